// The CLI benchmark's baseline: a process that only loads libpg-query and parses a file
// (SQL statements and PL/pgSQL bodies), nothing else. `node test/bench/parse-only.cjs FILE`
const { readFileSync } = require('node:fs');
const pg = require('libpg-query');

pg.loadModule().then(() => {
  const text = readFileSync(process.argv[2], 'utf8');
  const stmts = pg.parseSync(text).stmts.length;
  const funcs = pg.parsePlPgSQLSync(text);
  process.stdout.write(JSON.stringify({ stmts, functions: Array.isArray(funcs) ? funcs.length : (funcs.plpgsql_funcs ?? []).length }) + '\n');
});
