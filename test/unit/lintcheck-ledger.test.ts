// The lintcheck ledger's bookkeeping (test/corpus/lintcheck.ts): keys that survive edits
// elsewhere but notice a moved finding, --update keeping verdicts and reasons, the diff
// the corpus test prints, and the TSV round trip.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliFinding } from '../../server/src/cli/output';
import {
  describeDiff,
  diffLedger,
  formatLedger,
  keyFindings,
  LedgerEntry,
  parseLedger,
  precisionTable,
  Project,
  tally,
  updateLedger,
  withPrecisionTable,
} from '../corpus/lintcheck';

describe('lintcheck ledger', () => {
  let dir: string;
  let project: Project;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-lintcheck-'));
    project = { name: 'demo', root: dir };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const grant = (file: string, line: number, message = 'GRANT to PUBLIC gives this privilege to every role.'): CliFinding => ({
    file: join(dir, file),
    ruleId: 'grant-to-public',
    severity: 'warning',
    message,
    line,
    column: 22,
    endLine: line,
    endColumn: 28,
  });

  it('keeps a key when lines are added above, and changes it when the finding\'s own text changes', () => {
    writeFileSync(join(dir, 'a.sql'), 'GRANT SELECT ON t TO PUBLIC;\n');
    const [before] = keyFindings(project, [grant('a.sql', 1)]);
    writeFileSync(join(dir, 'a.sql'), '-- a new comment\nCREATE TABLE u (id int);\nGRANT SELECT ON t TO PUBLIC;\n');
    const [shifted] = keyFindings(project, [grant('a.sql', 3)]);
    assert.equal(shifted.key, before.key);
    assert.equal(shifted.line, 3);
    assert.equal(shifted.file, 'a.sql');
    assert.equal(shifted.excerpt, 'GRANT SELECT ON t TO PUBLIC;');
    writeFileSync(join(dir, 'a.sql'), 'GRANT SELECT ON v TO PUBLIC;\n');
    const [moved] = keyFindings(project, [grant('a.sql', 1)]);
    assert.notEqual(moved.key, before.key);
  });

  it('tells identical findings on identical lines apart by their order', () => {
    writeFileSync(join(dir, 'a.sql'), 'GRANT SELECT ON t TO PUBLIC;\nGRANT SELECT ON t TO PUBLIC;\n');
    const keys = keyFindings(project, [grant('a.sql', 1), grant('a.sql', 2)]).map((f) => f.key);
    assert.equal(keys[1], `${keys[0]}#2`);
  });

  it('--update keeps verdicts and reasons, keeps them across a reworded message, and marks new findings needs-review', () => {
    writeFileSync(join(dir, 'a.sql'), 'GRANT SELECT ON t TO PUBLIC;\nGRANT SELECT ON u TO PUBLIC;\n');
    const first = keyFindings(project, [grant('a.sql', 1), grant('a.sql', 2)]);
    const reviewed = updateLedger([], first).entries.map((e, i): LedgerEntry => ({ ...e, verdict: i === 0 ? 'true' : 'false-positive (open)', reason: `reason ${i}` }));
    assert.deepEqual(
      reviewed.map((e) => [e.line, e.verdict]),
      [
        [1, 'true'],
        [2, 'false-positive (open)'],
      ],
    );

    writeFileSync(join(dir, 'a.sql'), 'GRANT SELECT ON t TO PUBLIC;\nGRANT SELECT ON u TO PUBLIC;\nGRANT SELECT ON w TO PUBLIC;\n');
    const next = keyFindings(project, [grant('a.sql', 1, 'Reworded: GRANT to PUBLIC.'), grant('a.sql', 3)]);
    const u = updateLedger(reviewed, next);
    assert.deepEqual(
      u.entries.map((e) => [e.line, e.verdict, e.reason]),
      [
        [1, 'true', 'reason 0'],
        [3, 'needs-review', ''],
      ],
    );
    assert.deepEqual([u.reworded, u.added, u.dropped], [1, 1, 1]);
  });

  it('reports unlisted findings, entries that stopped firing and severity changes', () => {
    writeFileSync(join(dir, 'a.sql'), 'GRANT SELECT ON t TO PUBLIC;\nGRANT SELECT ON u TO PUBLIC;\n');
    const [t, u] = keyFindings(project, [grant('a.sql', 1), grant('a.sql', 2)]);
    const ledger = updateLedger([], [t]).entries.map((e) => ({ ...e, verdict: 'true' as const, reason: 'a real grant' }));
    assert.deepEqual(diffLedger(ledger, [t]), { unlisted: [], gone: [], severity: [] });

    const d = diffLedger(ledger, [{ ...t, severity: 'info' }, u]);
    assert.deepEqual(d.unlisted, [u]);
    assert.deepEqual(d.gone, []);
    assert.deepEqual(d.severity.map((s) => [s.entry.line, s.now]), [[1, 'info']]);
    const text = describeDiff(d);
    assert.match(text, /^1 finding\(s\) not in the ledger/);
    assert.ok(text.includes(`  + demo/a.sql:2:22 grant-to-public [${u.key}] GRANT to PUBLIC`), text);
    assert.ok(text.includes('  ~ demo/a.sql:1:22 grant-to-public warning -> info'), text);

    const gone = diffLedger(ledger, []);
    assert.deepEqual(gone.gone.map((e) => e.line), [1]);
    assert.ok(describeDiff(gone).includes('1 ledger entr(y/ies) no longer firing:\n  - demo/a.sql:1:22 grant-to-public'));
    assert.equal(describeDiff({ unlisted: [], gone: [], severity: [] }), '');
  });

  it('round-trips the TSV, flattens tabs and line breaks in reasons, and refuses an unknown verdict', () => {
    writeFileSync(join(dir, 'a.sql'), 'GRANT SELECT ON t TO PUBLIC;\n');
    const [entry] = updateLedger([], keyFindings(project, [grant('a.sql', 1)])).entries;
    const text = formatLedger([{ ...entry, verdict: 'true', reason: 'every role\treads t\nand its rows' }]);
    assert.deepEqual(parseLedger(text), [{ ...entry, verdict: 'true', reason: 'every role reads t and its rows' }]);
    assert.throws(() => parseLedger(text.replace('\ttrue\t', '\tprobably\t')), /unknown verdict "probably"/);
    assert.throws(() => parseLedger('demo\ta.sql\t1\n'), /ledger line 1: 3 columns, expected 10/);
  });

  it('renders the README precision table with totals and refuses a README without markers', () => {
    const base = { file: 'a.sql', line: 1, column: 1, rule: 'r', severity: 'warning', key: 'k', excerpt: '' };
    const entries: LedgerEntry[] = [
      { ...base, project: 'demo', verdict: 'true', reason: 'x' },
      { ...base, project: 'demo', verdict: 'false-positive (open)', reason: 'y', key: 'k2' },
    ];
    const table = precisionTable(tally([project, { name: 'sql', root: dir }], entries));
    assert.equal(
      table,
      [
        '| project | findings | reviewed as true | false positives (open) | not yet reviewed |',
        '|---|---:|---:|---:|---:|',
        '| demo | 2 | 1 | 1 | 0 |',
        '| sql (fixture corpus) | 0 | 0 | 0 | 0 |',
        '| **total** | **2** | **1** | **1** | **0** |',
      ].join('\n'),
    );
    assert.equal(withPrecisionTable('a\n<!-- precision:begin -->\nold\n<!-- precision:end -->\nb', 'T'), 'a\n<!-- precision:begin -->\nT\n<!-- precision:end -->\nb');
    assert.throws(() => withPrecisionTable('no markers', 'T'), /lacks the <!-- precision:begin -->/);
  });
});
