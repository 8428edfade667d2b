// Property tests of the SQL pipeline (split -> parse -> facts -> every rule -> suppressions):
// for arbitrary text and for security-relevant SQL mutated character by character, no
// exception escapes, every finding range and fix edit lies inside the document, and on a
// document without syntax errors every preferred fix, alone and all together as fixAll
// applies them, yields text that still parses.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultConfig } from '../../../server/src/core/config';
import { ResolvedFinding } from '../../../server/src/core/engine';
import { applyEdits, preferredEdits } from '../../../server/src/core/fix';
import { analyzeSql, lintAnalyzedSql } from '../../../server/src/core/lint';
import { loadParser } from '../../../server/src/core/sql/parser';
import { Workspace } from '../../../server/src/core/workspace';
import { anyUnit, check, mutate, mutationArb, RUNS, SQL_TOKENS, TIMEOUT } from './support';

import { SEEDS } from './seeds';

export { SEEDS };

const config = defaultConfig();

/** Lints one document in a workspace that also holds a second file of seed statements. */
function lintDoc(text: string): { findings: ResolvedFinding[]; syntaxErrors: number } {
  const ws = new Workspace();
  const other = analyzeSql('file:///other.sql', SEEDS.slice(11, 16).join('\n'));
  ws.setFile('file:///other.sql', other.facts);
  const a = analyzeSql('file:///doc.sql', text);
  ws.setFile('file:///doc.sql', a.facts);
  const internal: string[] = [];
  const findings = lintAnalyzedSql(a, ws, config, (id, err) => internal.push(`${id}: ${(err as Error)?.stack ?? err}`));
  assert.deepEqual(internal, [], 'a rule threw');
  return { findings, syntaxErrors: a.doc.syntaxErrors.length };
}

function assertInside(text: string, findings: readonly ResolvedFinding[]): void {
  const n = text.length;
  for (const f of findings) {
    assert.ok(Number.isInteger(f.start) && Number.isInteger(f.end), `${f.ruleId}: non-integer range`);
    assert.ok(0 <= f.start && f.start <= f.end && f.end <= n, `${f.ruleId}: range [${f.start}, ${f.end}) outside [0, ${n}]`);
    for (const fix of f.fixes ?? []) {
      for (const e of fix.edits) {
        assert.ok(0 <= e.start && e.start <= e.end && e.end <= n, `${f.ruleId}: fix "${fix.title}" edit [${e.start}, ${e.end}) outside [0, ${n}]`);
        assert.equal(typeof e.newText, 'string');
      }
    }
  }
}

/** On a document that parses, each preferred fix, and all of them together, keep it parsing. */
function assertFixesParse(text: string, findings: readonly ResolvedFinding[], syntaxErrors: number): void {
  if (syntaxErrors > 0) return;
  for (const f of findings) {
    const fx = f.fixes?.find((x) => !x.snippet);
    if (!fx) continue;
    const fixed = applyEdits(text, fx.edits);
    const again = analyzeSql('file:///doc.sql', fixed);
    assert.deepEqual(
      again.doc.syntaxErrors.map((e) => e.message),
      [],
      `fix "${fx.title}" of ${f.ruleId} broke the SQL:\n--- before\n${text}\n--- after\n${fixed}`,
    );
  }
  // With unsafe fixes too: `--fix --unsafe-fixes` applies every non-snippet fix at once.
  const all = preferredEdits(findings, { unsafe: true });
  if (all.length > 0) {
    const fixed = applyEdits(text, all);
    assert.deepEqual(analyzeSql('file:///doc.sql', fixed).doc.syntaxErrors.map((e) => e.message), [], `fixAll broke the SQL:\n${fixed}`);
  }
}

function property(text: string): void {
  const { findings, syntaxErrors } = lintDoc(text);
  assertInside(text, findings);
  assertFixesParse(text, findings, syntaxErrors);
}

describe(`SQL pipeline properties (${RUNS} runs per target)`, function () {
  this.timeout(TIMEOUT);
  before(() => loadParser());

  it('the seeds themselves parse and trigger findings, so mutations start from real SQL', () => {
    const { findings, syntaxErrors } = lintDoc(SEEDS.join('\n'));
    assert.equal(syntaxErrors, 0);
    assert.ok(new Set(findings.map((f) => f.ruleId)).size >= 10, 'the seeds should reach at least ten rules');
    assert.ok(findings.some((f) => f.fixes?.some((x) => !x.snippet)), 'the seeds should offer preferred fixes');
  });

  it('arbitrary printable text', () => {
    check('sql/arbitrary-grapheme', fc.string({ unit: 'grapheme', maxLength: 300 }), property);
  });

  it('arbitrary UTF-16 (NUL, lone surrogates, control characters)', () => {
    check('sql/arbitrary-utf16', fc.string({ unit: anyUnit, maxLength: 300 }), property);
  });

  it('arbitrary sequences of SQL and psql tokens', () => {
    const word = fc.constantFrom('select', 'grant', 'create', 'role', 'table', 'policy', 'on', 'to', 'x', '1', 'function', 'as', 'end');
    check('sql/token-soup', fc.array(fc.oneof(fc.constantFrom(...SQL_TOKENS), word), { maxLength: 60 }).map((a) => a.join(' ')), property);
  });

  it('security-relevant SQL mutated character by character', () => {
    const doc = fc.tuple(fc.array(fc.constantFrom(...SEEDS), { minLength: 1, maxLength: 4 }), fc.array(mutationArb, { maxLength: 6 }));
    check('sql/mutated-seeds', doc, ([stmts, mutations]) => property(mutate(stmts.join('\n'), mutations)));
  });

  it('incremental re-lint (previous ParseCache, remembered rule results) equals a fresh lint after every edit', () => {
    const session = fc.tuple(
      fc.array(fc.constantFrom(...SEEDS), { minLength: 2, maxLength: 6 }),
      fc.array(fc.array(mutationArb, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 4 }),
    );
    check('sql/incremental-equals-fresh', session, ([stmts, edits]) => {
      const uri = 'file:///doc.sql';
      const ws = new Workspace();
      let text = stmts.join('\n');
      let a = analyzeSql(uri, text);
      ws.setFile(uri, a.facts);
      lintAnalyzedSql(a, ws, config);
      for (const m of edits) {
        text = mutate(text, m);
        a = analyzeSql(uri, text, a.cache);
        ws.setFile(uri, a.facts);
        const incremental = lintAnalyzedSql(a, ws, config);
        const freshWs = new Workspace();
        const fresh = analyzeSql(uri, text);
        freshWs.setFile(uri, fresh.facts);
        // Facts remembered per statement and moved to where it stands now equal fresh ones.
        assert.deepEqual(a.facts, fresh.facts, `facts after an edit, text:\n${text}`);
        assert.deepEqual(incremental, lintAnalyzedSql(fresh, freshWs, config), `after an edit, text:\n${text}`);
      }
    });
  });

  it('a transient analysis (trees let go after facts, read again for the rules) gives the facts and findings of a kept one', () => {
    const doc = fc.tuple(fc.array(fc.constantFrom(...SEEDS), { minLength: 1, maxLength: 6 }), fc.array(mutationArb, { maxLength: 3 }));
    check('sql/transient-equals-kept', doc, ([stmts, mutations]) => {
      const text = mutate(stmts.join('\n'), mutations);
      const uri = 'file:///doc.sql';
      const kept = analyzeSql(uri, text);
      const transient = analyzeSql(uri, text, undefined, { transient: true });
      assert.deepEqual(transient.facts, kept.facts, `facts, text:\n${text}`);
      assert.deepEqual(transient.doc.syntaxErrors, kept.doc.syntaxErrors);
      // Every statement's tree was let go, and reads back equal to the kept one.
      transient.doc.statements.forEach((s, i) => {
        assert.equal(s.transient, true);
        // (JSON: the kept tree carries the facts' and the findings' memos under symbols.)
        assert.equal(JSON.stringify(s.node), JSON.stringify(kept.doc.statements[i].node));
        s.release();
      });
      const ws = (a: typeof kept): Workspace => {
        const w = new Workspace();
        w.setFile(uri, a.facts);
        return w;
      };
      assert.deepEqual(lintAnalyzedSql(transient, ws(transient), config), lintAnalyzedSql(kept, ws(kept), config), `findings, text:\n${text}`);
    });
  });

  it("incremental re-lint tells a psql variable :'pw' from the literal ':pw' (same parse text)", () => {
    const uri = 'file:///doc.sql';
    const ws = new Workspace();
    let a = analyzeSql(uri, "CREATE ROLE app LOGIN PASSWORD :'pw';");
    ws.setFile(uri, a.facts);
    assert.deepEqual(lintAnalyzedSql(a, ws, config).filter((f) => f.ruleId === 'hardcoded-password'), []);
    a = analyzeSql(uri, "CREATE ROLE app LOGIN PASSWORD ':pw';", a.cache);
    ws.setFile(uri, a.facts);
    assert.deepEqual(
      lintAnalyzedSql(a, ws, config)
        .filter((f) => f.ruleId === 'hardcoded-password')
        .map((f) => [f.start, f.end]),
      [[31, 36]],
    );
  });

  it('unmutated seed combinations: every preferred fix keeps the SQL parsing', () => {
    check(
      'sql/seed-combinations',
      fc.array(fc.constantFrom(...SEEDS), { minLength: 1, maxLength: 8 }).map((s) => s.join('\n')),
      property,
    );
  });
});
