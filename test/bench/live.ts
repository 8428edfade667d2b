// Live-database benchmark: a real PostgreSQL with 10,000 more roles, timed through the
// db API the role tree and the audit use. Prints one line of JSON: the first level of the
// tree (group counts and the first page of each group) and a full live audit, medians
// of 5 runs after one warm-up. Needs PostgreSQL server binaries (test/support/postgres).
//   node --require tsx/cjs test/bench/live.ts
import { audit, connect, listRoles, roleGroupCounts, RoleGroup } from '../../server/src/db';
import { cleanEnv } from '../db/helpers';
import { startCluster } from '../support/postgres';
import { resolveProfile } from '../../server/src/db';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const c = await startCluster();
  try {
    c.psql(`DO $$ BEGIN FOR i IN 1..10000 LOOP EXECUTE format('CREATE ROLE %I NOLOGIN', 'scale_' || i); END LOOP; END $$;`);
    const target = resolveProfile({ name: 'bench', host: '127.0.0.1', port: c.port, user: 'postgres', database: 'postgres', sslmode: 'disable' }, cleanEnv());
    const s = await connect(target, async () => c.password);
    const firstLevel: number[] = [];
    const audits: number[] = [];
    try {
      for (let i = 0; i < 6; i++) {
        let t0 = process.hrtime.bigint();
        await roleGroupCounts(s);
        await Promise.all((['superuser', 'login', 'group'] as RoleGroup[]).map((group) => listRoles(s, { group, offset: 0, limit: 200 })));
        const tree = Number(process.hrtime.bigint() - t0) / 1e6;
        t0 = process.hrtime.bigint();
        await audit(s);
        const a = Number(process.hrtime.bigint() - t0) / 1e6;
        if (i > 0) {
          firstLevel.push(tree);
          audits.push(a);
        }
      }
    } finally {
      await s.close();
    }
    process.stdout.write(JSON.stringify({ roles: 10_000, firstLevelMedianMs: median(firstLevel), auditMedianMs: median(audits) }) + '\n');
  } finally {
    c.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
