// The worker half of test/support/psql.ts: runs SQL for a test that wants a synchronous
// answer, as `psql -X -q -A -t -v ON_ERROR_STOP=1` would. The registry's server packages ship
// no psql, so the tests talk to the server with node-postgres from this thread while the
// test's thread waits on a shared flag.
//
// Each statement runs on its own, as psql sends them: a string of several statements sent
// in one message would run as one implicit transaction, where CREATE DATABASE is refused.
// Statement boundaries come from the real parser (libpg-query), so dollar quotes, comments
// and semicolons in strings split as the server sees them.
'use strict';

const { parentPort, workerData } = require('node:worker_threads');
const { Client } = require('pg');
const { loadModule, parseSync } = require('libpg-query');

const { flag } = workerData;
const parser = loadModule();

// Every value as the server's text: the tests compare with what psql prints ('t', '1', JSON).
const raw = { getTypeParser: () => (v) => v };

function statements(sql) {
  let parsed;
  try {
    parsed = parseSync(sql);
  } catch {
    // Text the parser rejects goes as it is: the server's own error message is the answer.
    return [sql];
  }
  const bytes = Buffer.from(sql, 'utf8');
  return (parsed.stmts ?? []).map((s) => {
    const start = s.stmt_location ?? 0;
    return bytes.subarray(start, s.stmt_len === undefined ? bytes.length : start + s.stmt_len).toString('utf8');
  });
}

/** One session per call, as one psql run: SET ROLE, temporary tables and GUCs end with it. */
async function run({ target, sql }) {
  await parser;
  const c = new Client({ host: target.host, port: target.port, user: target.user, database: target.database, application_name: 'psql' });
  // A server stopped under the session must not crash the worker.
  c.on('error', () => {});
  await c.connect();
  try {
    let out = '';
    for (const text of statements(sql)) {
      if (!text.trim()) continue;
      const r = await c.query({ text, rowMode: 'array', types: raw });
      for (const result of Array.isArray(r) ? r : [r]) {
        if (!result.fields?.length) continue;
        for (const row of result.rows) out += row.map((v) => (v === null ? '' : v)).join('|') + '\n';
      }
    }
    return out;
  } finally {
    await c.end().catch(() => {});
  }
}

parentPort.on('message', async ({ port, request }) => {
  let answer;
  try {
    answer = { out: await run(request) };
  } catch (err) {
    answer = { error: `ERROR:  ${err && err.message ? err.message : String(err)}` };
  }
  port.postMessage(answer);
  port.close();
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
