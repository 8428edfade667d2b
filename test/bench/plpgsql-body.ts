// dynamic-sql-injection on one large PL/pgSQL body: the rule's own time (data flow, query
// output columns, locating every EXECUTE), with the body's PL/pgSQL parse done beforehand,
// on a body of N blocks and of 4N blocks. Linear work gives a ratio near 4; a quadratic
// step (a line scan per EXECUTE, a pass over every assignment per change) gives ~16.
// Prints one line of JSON. Run by scripts/bench.mjs; by hand:
//   node --require tsx/cjs test/bench/plpgsql-body.ts [blocks]

import { defaultConfig } from '../../server/src/core/config';
import { analyzeSql } from '../../server/src/core/lint';
import { loadParser } from '../../server/src/core/sql/parser';
import { dynamicSqlInjection } from '../../server/src/core/sql/rules/dynamic-sql-injection';
import { Workspace } from '../../server/src/core/workspace';

/** A function whose body has `blocks` blocks of assignments, a loop query and EXECUTEs, chained backwards. */
function body(blocks: number): string {
  const decl: string[] = [];
  const lines: string[] = [];
  for (let i = 0; i < blocks; i++) {
    decl.push(`  v${i} text; r${i} record;`);
    lines.push(
      `  v${i} := v${i + 1} || ' and x${i} = 1';`,
      `  FOR r${i} IN SELECT format('%I.%I', nspname, relname) AS rel, relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LOOP`,
      `    EXECUTE format('ANALYZE %s', r${i}.rel);`,
      `    EXECUTE 'SELECT 1 FROM t WHERE ' || v${i};`,
      `  END LOOP;`,
    );
  }
  decl.push(`  v${blocks} text;`);
  lines.push(`  v${blocks} := tbl;`);
  return `CREATE FUNCTION f(tbl text) RETURNS void LANGUAGE plpgsql AS $$\nDECLARE\n${decl.join('\n')}\nBEGIN\n${lines.join('\n')}\nEND $$;\n`;
}

function ruleMs(blocks: number, repeat: number): { ms: number; findings: number; lines: number } {
  const text = body(blocks);
  const uri = 'file:///bench/body.sql';
  const a = analyzeSql(uri, text);
  const workspace = new Workspace();
  workspace.setFile(uri, a.facts);
  const stmt = a.doc.statements[0];
  stmt.plpgsql();
  const ctx = { doc: a.doc, workspace, config: defaultConfig() };
  let findings = 0;
  const times: number[] = [];
  for (let k = 0; k < repeat; k++) {
    const t0 = performance.now();
    findings = dynamicSqlInjection.check(stmt, ctx).length;
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  return { ms: times[Math.floor(times.length / 2)], findings, lines: text.split('\n').length };
}

async function main(): Promise<void> {
  await loadParser();
  const n = Number(process.argv[2] ?? 250);
  ruleMs(Math.max(10, n / 10), 2); // warm-up
  const small = ruleMs(n, 5);
  const large = ruleMs(4 * n, 5);
  console.log(JSON.stringify({ small, large, ratio: large.ms / small.ms }));
}

void main();
