// `npm run lintcheck [-- --update] [-- --project NAME ...]`: lints every project of
// ../shared/corpus on its own with `pgwarden lint` and prints a table per project and rule,
// with what the reviewed ledgers (test/corpus/ledger/<project>.tsv) say about those findings.
// --update rewrites the ledger (verdicts and reasons kept, new findings marked
// needs-review, vanished ones dropped) and the README's precision table.
// --all lists every difference instead of the first 40 of each kind.
// Exit code: 0 when the findings match the ledger and every entry is reviewed, 1 otherwise.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadParser } from '../server/src/core/sql/parser';
import {
  corpusProjects,
  countByRule,
  describeDiff,
  diffLedger,
  formatLedger,
  keyFindings,
  KeyedFinding,
  LEDGER_DIR,
  ledgerPath,
  lintProject,
  precisionTable,
  readLedger,
  README,
  tally,
  updateLedger,
  withPrecisionTable,
} from '../test/corpus/lintcheck';

async function mainScript(argv: string[]): Promise<number> {
  const update = argv.includes('--update');
  const only = argv.flatMap((a, i) => (a === '--project' && argv[i + 1] ? [argv[i + 1]] : []));
  const unknown = argv.filter((a, i) => a.startsWith('--') && !['--update', '--project', '--all'].includes(a) && argv[i - 1] !== '--project');
  if (unknown.length) {
    console.error(`lintcheck: unknown option ${unknown[0]} (--update, --project NAME, --all)`);
    return 2;
  }
  const all = corpusProjects();
  if (all.length === 0) {
    console.error('lintcheck: no corpus at ../shared/corpus (projects/ and sql/)');
    return 2;
  }
  const missing = only.filter((n) => !all.some((p) => p.name === n));
  if (missing.length) {
    console.error(`lintcheck: no project ${missing.join(', ')} (have: ${all.map((p) => p.name).join(', ')})`);
    return 2;
  }
  const projects = only.length ? all.filter((p) => only.includes(p.name)) : all;

  await loadParser();
  const findings: KeyedFinding[] = [];
  const t0 = Date.now();
  for (const p of projects) findings.push(...keyFindings(p, await lintProject(p)));
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);

  let entries = readLedger(projects);
  if (update) {
    const u = updateLedger(entries, findings);
    entries = u.entries;
    mkdirSync(LEDGER_DIR, { recursive: true });
    for (const p of projects) writeFileSync(ledgerPath(p.name), formatLedger(entries.filter((e) => e.project === p.name)));
    writeFileSync(README, withPrecisionTable(readFileSync(README, 'utf8'), precisionTable(tally(all, readLedger(all)))));
    console.log(`ledger: ${u.added} new (needs-review), ${u.dropped} dropped, ${u.reworded} kept across a reworded message; README table regenerated`);
  }

  // Per project and rule: findings, and how the ledger judged those that it lists.
  const verdictOf = new Map(entries.map((e) => [`${e.project}\0${e.file}\0${e.rule}\0${e.key}`, e.verdict]));
  const rows: string[][] = [['project', 'rule', 'findings', 'true', 'open FP', 'unreviewed']];
  const totals = [0, 0, 0, 0];
  for (const p of projects) {
    const own = findings.filter((f) => f.project === p.name);
    const byRule = countByRule(own);
    if (byRule.size === 0) rows.push([p.name, '-', '0', '0', '0', '0']);
    for (const [rule, n] of byRule) {
      const verdicts = own.filter((f) => f.rule === rule).map((f) => verdictOf.get(`${f.project}\0${f.file}\0${f.rule}\0${f.key}`));
      const t = verdicts.filter((v) => v === 'true').length;
      const fp = verdicts.filter((v) => v === 'false-positive (open)').length;
      const un = n - t - fp;
      rows.push([p.name, rule, String(n), String(t), String(fp), String(un)]);
      totals[0] += n;
      totals[1] += t;
      totals[2] += fp;
      totals[3] += un;
    }
  }
  rows.push(['total', '', ...totals.map(String)]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  '));
  console.log(`\n${findings.length} finding(s) in ${projects.length} project(s), linted in ${seconds} s`);

  const diff = diffLedger(entries, findings);
  const text = describeDiff(diff, argv.includes('--all') ? Infinity : 40);
  if (text) console.log('\n' + text);
  const unreviewed = entries.filter((e) => e.verdict === 'needs-review' || !e.reason.trim());
  if (unreviewed.length) console.log(`\n${unreviewed.length} ledger entr(y/ies) still need a verdict and a reason (verdict needs-review or no reason) in test/corpus/ledger/`);
  return text || unreviewed.length ? 1 : 0;
}

mainScript(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`lintcheck: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(2);
  },
);
