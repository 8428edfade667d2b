// pg_hba.conf benchmark: lints a generated file of 10,000 records (the hba linter's own
// generator and timing) and prints one line of JSON: the warm median and best of 7 runs
// after 3 warm-up runs (as the SQL benchmarks measure after warm-up edits: the first runs
// still interpret and compile the linter), their CPU time, and the first, cold run.
//   node --require tsx/cjs test/bench/hba.ts
import { benchHba } from '../../server/src/core/hba/lint';

// The first run in the process is "cold": the code is still interpreted and compiled as it goes.
const cold = benchHba(10_000);
for (let i = 0; i < 2; i++) benchHba(10_000);
const runs: Array<{ ms: number; cpuMs: number }> = [];
let last = cold;
for (let i = 0; i < 7; i++) {
  last = benchHba(10_000);
  runs.push(last);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = runs.map((r) => r.ms);
process.stdout.write(
  JSON.stringify({
    records: last.records,
    bytes: last.bytes,
    findings: last.findings,
    medianMs: median(ms),
    minMs: Math.min(...ms),
    cpuMedianMs: median(runs.map((r) => r.cpuMs)),
    coldMs: cold.ms,
  }) + '\n',
);
