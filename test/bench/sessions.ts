// Sessions benchmark: a real PostgreSQL with 200 open client sessions; times the first page
// of the Sessions node as the language server builds it (pg_stat_activity with pg_stat_ssl,
// the judgement, the presenter's summary and the first 200 of "All sessions"). Medians of
// 5 runs after one warm-up; one line of JSON.
//   node --require tsx/cjs test/bench/sessions.ts
import { Client } from 'pg';
import { judgeSessions } from '../../server/src/core/live/activity';
import { connect, readActivity, resolveProfile } from '../../server/src/db';
import { sessionGroupNodes, sessionsNodes } from '../../server/src/lsp/live/sessions-tree';
import { cleanEnv } from '../db/helpers';
import { startCluster } from '../support/postgres';

const SESSIONS = 200;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const c = await startCluster({ conf: 'max_connections = 300' });
  const clients: Client[] = [];
  try {
    c.psql(`CREATE ROLE app LOGIN PASSWORD 'pw-app'`);
    for (let i = 0; i < SESSIONS; i++) {
      const cl = new Client({ host: '127.0.0.1', port: c.port, user: 'app', password: 'pw-app', database: 'postgres', application_name: `worker-${i % 7}` });
      await cl.connect();
      clients.push(cl);
    }
    const target = resolveProfile({ name: 'bench', host: '127.0.0.1', port: c.port, user: 'postgres', database: 'postgres', sslmode: 'disable' }, cleanEnv());
    const s = await connect(target, async () => c.password);
    const runs: number[] = [];
    let shown = 0;
    try {
      for (let i = 0; i < 6; i++) {
        const t0 = process.hrtime.bigint();
        const report = judgeSessions(await readActivity(s));
        const top = sessionsNodes(report);
        const list = sessionGroupNodes(report, 'list').slice(0, 200);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        shown = top.length + list.length;
        if (report.clients < SESSIONS) throw new Error(`only ${report.clients} sessions seen`);
        if (i > 0) runs.push(ms);
      }
    } finally {
      await s.close();
    }
    process.stdout.write(JSON.stringify({ sessions: SESSIONS, nodes: shown, firstPageMedianMs: median(runs) }) + '\n');
  } finally {
    for (const cl of clients) await cl.end().catch(() => undefined);
    c.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
