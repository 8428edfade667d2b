// In-process benchmark of the core (no LSP): libpg-query parsing the whole file (SQL and
// PL/pgSQL bodies) as the baseline, against pgwarden's full open (split, per-statement
// parse, PL/pgSQL bodies, facts, every rule, suppressions, severities); then the edit ->
// diagnostics latency when one digit changes and the previous ParseCache is reused.
// Prints one line of JSON. Run by scripts/bench.mjs; by hand:
//   node --require tsx/cjs test/bench/core.ts [editCount]

import * as pg from 'libpg-query';
import { defaultConfig } from '../../server/src/core/config';
import { analyzeSql, AnalyzedSql, lintAnalyzedSql } from '../../server/src/core/lint';
import { loadParser } from '../../server/src/core/sql/parser';
import { Workspace } from '../../server/src/core/workspace';
import { generateSql } from './generate';

const config = defaultConfig();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

/** CPU time (user + system) of this process in ms: on a machine shared with other work it
 * stays close to what the wall clock would show on an idle one. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Wall and CPU milliseconds of each repetition. */
function timeIt(fn: () => void, repeat: number): { wall: number[]; cpu: number[] } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
  }
  return { wall, cpu };
}

function open(uri: string, text: string): { a: AnalyzedSql; ws: Workspace; findings: number } {
  const a = analyzeSql(uri, text);
  const ws = new Workspace();
  ws.setFile(uri, a.facts);
  const findings = lintAnalyzedSql(a, ws, config).length;
  return { a, ws, findings };
}

/** One-digit edits at the file's edit sites, each re-analysed with the previous cache. */
function edits(text: string, sites: number[], count: number) {
  const uri = 'file:///bench/edit.sql';
  let { a, ws } = open(uri, text);
  let current = text;
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < count + 10; i++) {
    const at = sites[(i * 37) % sites.length];
    const digit = String((Number(current[at]) + 1) % 10);
    current = current.slice(0, at) + digit + current.slice(at + 1);
    const c0 = cpuMs();
    const t0 = performance.now();
    const next = analyzeSql(uri, current, a.cache);
    ws.setFile(uri, next.facts);
    lintAnalyzedSql(next, ws, config);
    const ms = performance.now() - t0;
    a = next;
    if (i >= 10) {
      // The first ten warm the JIT up.
      times.push(ms);
      cpu.push(cpuMs() - c0);
    }
  }
  return { p50: pct(times, 50), p99: pct(times, 99), max: Math.max(...times), cpuP50: pct(cpu, 50), cpuP99: pct(cpu, 99), samples: times.length };
}

async function main(): Promise<void> {
  const editCount = Number(process.argv[2] ?? 200);
  // pgwarden drives libpg-query's WASM through its own binding (parser.ts); the baseline is
  // the package's own parse, whose module is loaded separately.
  await Promise.all([loadParser(), pg.loadModule()]);
  const big = generateSql(10_000);
  const small = generateSql(200);

  // Warm both paths up before measuring, as a running server is warm.
  for (let i = 0; i < 3; i++) {
    pg.parseSync(big.text);
    pg.parsePlPgSQLSync(big.text);
    open('file:///bench/warm.sql', big.text);
  }
  const parseSql = timeIt(() => pg.parseSync(big.text), 9);
  const parsePl = timeIt(() => pg.parsePlPgSQLSync(big.text), 9);
  const parseBoth = timeIt(() => {
    pg.parseSync(big.text);
    pg.parsePlPgSQLSync(big.text);
  }, 9);
  let findings = 0;
  const openTimes = timeIt(() => {
    findings = open('file:///bench/open.sql', big.text).findings;
  }, 9);
  const analyzeOnly = timeIt(() => analyzeSql('file:///bench/open.sql', big.text), 9);

  const result = {
    file10k: { lines: big.lines, bytes: big.text.length, findings },
    file200: { lines: small.lines, bytes: small.text.length },
    parseSqlMs: median(parseSql.wall),
    parsePlpgsqlMs: median(parsePl.wall),
    parseMs: median(parseBoth.wall),
    parseCpuMs: median(parseBoth.cpu),
    openMs: median(openTimes.wall),
    openCpuMs: median(openTimes.cpu),
    analyzeMs: median(analyzeOnly.wall),
    edit10k: edits(big.text, big.editSites, editCount),
    edit200: edits(small.text, small.editSites, editCount),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
