#!/usr/bin/env node
// `npm run fuzz`: runs the property tests (test/unit/property) with many more cases than CI
// (default 100,000 per target; PGWARDEN_FUZZ_RUNS overrides, PGWARDEN_FUZZ_SEED picks
// another seed) and prints a report: per target the runs, the time and the outcome, with
// the counterexample of any failure. Exit code 0 only when every target held.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = process.env.PGWARDEN_FUZZ_RUNS ?? '100000';
const seed = process.env.PGWARDEN_FUZZ_SEED ?? String(Date.now() % 2 ** 31);
const dir = mkdtempSync(join(tmpdir(), 'pgwarden-fuzz-'));
const report = join(dir, 'report.jsonl');

console.log(`pgwarden fuzz: ${runs} runs per target, seed ${seed} (repeat with PGWARDEN_FUZZ_SEED=${seed})\n`);
const t0 = Date.now();
const r = spawnSync(
  'npx',
  ['mocha', '--require', 'tsx/cjs', '--extension', 'ts', '--reporter', 'dot', 'test/unit/property/**/*.test.ts'],
  { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, PGWARDEN_FUZZ_RUNS: runs, PGWARDEN_FUZZ_SEED: seed, PGWARDEN_FUZZ_REPORT: report } },
);

const rows = existsSync(report)
  ? readFileSync(report, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
rmSync(dir, { recursive: true, force: true });

console.log('\n=== fuzz report ===');
console.log(`${'target'.padEnd(28)} ${'runs'.padStart(8)} ${'seconds'.padStart(8)} ${'cases/s'.padStart(8)}  result`);
let cases = 0;
for (const row of rows) {
  cases += row.runs;
  const s = row.ms / 1000;
  console.log(`${row.target.padEnd(28)} ${String(row.runs).padStart(8)} ${s.toFixed(1).padStart(8)} ${String(Math.round(row.runs / Math.max(s, 0.001))).padStart(8)}  ${row.ok ? 'held' : 'FAILED'}`);
}
for (const row of rows.filter((x) => !x.ok)) console.log(`\n--- ${row.target} ---\n${row.error}`);
const failed = rows.filter((x) => !x.ok).length;
console.log(`\n${rows.length} targets, ${cases} cases, ${((Date.now() - t0) / 1000).toFixed(0)} s, ${failed} failed; mocha exit ${r.status}`);
if (rows.length === 0) console.log('no target reported: the property tests did not run (see the output above)');
process.exit(r.status === 0 && failed === 0 && rows.length > 0 ? 0 : 1);
