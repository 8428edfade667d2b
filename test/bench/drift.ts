// Drift benchmark: 1,000 migration files declaring 10,000 roles and 100,000 grants (1,000
// tables, each granted to 100 roles), built into a real PostgreSQL, then `pgwarden drift`
// run in-process end to end (fold the files, read the catalog, compare), with one grant
// made by hand so there is drift to find; then the impact hover on the last file's GRANT.
// Prints one line of JSON: the medians of 3 runs after one warm-up. Needs PostgreSQL server binaries (test/support/postgres).
//   node --require tsx/cjs test/bench/drift.ts
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadDeclared } from '../../server/src/cli/declared';
import { run as drift } from '../../server/src/cli/drift';
import { statementImpact } from '../../server/src/core/drift/statement-impact';
import { loadParser } from '../../server/src/core/sql/parser';
import { captureIo, cleanEnv } from '../db/helpers';
import { startCluster } from '../support/postgres';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ROLES = 10_000;
const FILES = 1_000;
const PER_TABLE = 100;

async function main(): Promise<void> {
  await loadParser();
  const c = await startCluster();
  const dir = mkdtempSync(join(tmpdir(), 'pgwarden-drift-bench-'));
  try {
    const folder = join(dir, 'migrations');
    mkdirSync(folder);
    const files: string[] = [];
    // The roles in the first 10 files, then one table per file with its grants.
    for (let f = 0; f < FILES; f++) {
      const lines: string[] = [];
      if (f < 10) for (let r = f * (ROLES / 10); r < (f + 1) * (ROLES / 10); r++) lines.push(`CREATE ROLE r${r} NOLOGIN;`);
      if (f === 0) lines.push('CREATE SCHEMA app;');
      const grantees = Array.from({ length: PER_TABLE }, (_, i) => `r${(f * PER_TABLE + i) % ROLES}`);
      lines.push(`CREATE TABLE app.t${f} (id int, v text);`, `GRANT SELECT ON app.t${f} TO ${grantees.join(', ')};`);
      const text = lines.join('\n') + '\n';
      files.push(text);
      writeFileSync(join(folder, `${String(f).padStart(4, '0')}_m.sql`), text);
    }
    const client = new Client({ host: c.host, port: c.port, user: c.superuser, password: c.password, database: 'postgres' });
    await client.connect();
    for (const text of files) await client.query(text);
    await client.query('GRANT UPDATE ON app.t7 TO r1');
    await client.end();
    const conn = `host=127.0.0.1 port=${c.port} user=postgres dbname=postgres sslmode=disable`;
    const runs: number[] = [];
    let found = 0;
    for (let i = 0; i < 4; i++) {
      const io = captureIo(cleanEnv({ PGPASSWORD: c.password }));
      const t0 = process.hrtime.bigint();
      const code = await drift(['--db', conn, '--format', 'json', folder], io);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 1) throw new Error(`drift exited ${code}: ${io.err}`);
      found = JSON.parse(io.out).findings.length;
      if (i > 0) runs.push(ms);
    }
    // The impact hover on the last file's GRANT: the history folded up to it and through it.
    const { model } = loadDeclared([folder], undefined, '');
    const last = model.files[model.files.length - 1];
    const grant = last.effects.find((e) => e.op === 'grant')!;
    const hovers: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t0 = process.hrtime.bigint();
      if (!statementImpact(model.files, last.uri, last.effects, grant.start + 1)?.lines.length) throw new Error('the hover shows no change');
      if (i > 0) hovers.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    process.stdout.write(JSON.stringify({ files: FILES, roles: ROLES, grants: FILES * PER_TABLE, findings: found, medianMs: median(runs), hoverMs: median(hovers) }) + '\n');
  } finally {
    c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
