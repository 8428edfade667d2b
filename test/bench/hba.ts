// pg_hba.conf benchmark: lints a generated file of 10,000 records (the hba linter's own
// generator and timing), warm, median of several runs. Prints one line of JSON.
//   node --require tsx/cjs test/bench/hba.ts
import { benchHba } from '../../server/src/core/hba/lint';

const runs: number[] = [];
let last = benchHba(10_000);
for (let i = 0; i < 5; i++) {
  last = benchHba(10_000);
  runs.push(last.ms);
}
runs.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ records: last.records, bytes: last.bytes, findings: last.findings, medianMs: runs[2], minMs: runs[0] }) + '\n');
