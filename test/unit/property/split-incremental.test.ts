// incrementalSplit must give exactly what a full splitSql of the edited text gives: the
// language server re-splits only around each edit, so any difference would be a wrong
// statement boundary (and wrong diagnostics) that only shows up while someone types.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { incrementalSplit, splitSql, SplitEdit, SplitResult, splitSqlPart } from '../../../server/src/core/sql/split';
import { textChange } from '../../../server/src/lsp/textChange';
import { anyUnit, check, mutate, mutationArb, RUNS, SQL_TOKENS, TIMEOUT } from './support';

/** Statements with every construct the splitter tracks: quotes, dollar bodies, BEGIN ATOMIC, COPY data, meta-commands. */
const SEEDS = [
  'GRANT SELECT ON accounts TO PUBLIC;',
  "\\set pw 'x'\nCREATE ROLE app LOGIN PASSWORD :'pw';",
  'CREATE FUNCTION app.f(p text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$\nBEGIN\n  -- pgwarden-disable-next-line x\n  EXECUTE \'SELECT \' || p;\nEND;\n$$;',
  'CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END;',
  "CREATE FUNCTION h() RETURNS text LANGUAGE plpython3u AS $py$ return 'x' $py$;",
  'COPY accounts FROM stdin;\n1\tx\n\\.',
  "SELECT '日本語🙂', E'\\\\', $$;$$, :'var', :\"ident\", a::int FROM t; -- pgwarden-disable-next-line grant-all",
  '/* a /* nested */ comment */ SELECT (1; 2);',
  'SELECT 1 \\gset\nSELECT 2;',
  ';',
];

/** One edit of a text: a range (wrapped into the text's length) and what replaces it. */
const editArb = fc.record({
  at: fc.nat(),
  len: fc.integer({ min: 0, max: 40 }),
  insert: fc.oneof(
    fc.constantFrom(...SQL_TOKENS),
    fc.array(fc.constantFrom(...SQL_TOKENS), { maxLength: 5 }).map((t) => t.join('')),
    fc.constantFrom(...SEEDS),
    fc.string({ unit: anyUnit, maxLength: 4 }),
    fc.constant(''),
  ),
});

function applyEdit(text: string, e: { at: number; len: number; insert: string }): { after: string; edit: SplitEdit } {
  const start = text.length === 0 ? 0 : e.at % (text.length + 1);
  const end = Math.min(text.length, start + e.len);
  return { after: text.slice(0, start) + e.insert + text.slice(end), edit: { start, end, insert: e.insert } };
}

/** Applies the edits in turn, each to the previous incremental result, checking every step. */
function assertEditsSplitLikeFull(text: string, edits: ReadonlyArray<{ at: number; len: number; insert: string }>): void {
  let prev = splitSql(text);
  for (const e of edits) {
    const { after, edit } = applyEdit(text, e);
    const incremental = incrementalSplit(prev, after, edit);
    assert.deepStrictEqual(incremental, splitSql(after), `edit ${JSON.stringify(edit)} of:\n${JSON.stringify(text)}`);
    // The range textChange derives (the one the server computes) must give the same too.
    const derived = textChange(text, after, 0);
    assert.deepStrictEqual(incrementalSplit(prev, after, derived), incremental);
    text = after;
    prev = incremental;
  }
}

/**
 * The text split in parts one after the other (as the lint pool's threads do), each from
 * where the one before ended, up to the first clean place at or after its cut, must join
 * into splitSql(text); every part ends where the whole split has a statement's end.
 */
function assertPartsJoinLikeFull(text: string, cuts: readonly number[]): void {
  const joined: SplitResult = { statements: [], comments: [], skipped: [] };
  let from = 0;
  for (const at of [...cuts.map((c) => (text.length === 0 ? 0 : c % (text.length + 1))).sort((a, b) => a - b), Infinity]) {
    const { split, end } = splitSqlPart(text, from, at);
    assert.ok(end >= from && (end >= at || end === text.length), `part from ${from} to ${at} ended at ${end}`);
    joined.statements.push(...split.statements);
    joined.comments.push(...split.comments);
    joined.skipped.push(...split.skipped);
    from = end;
  }
  assert.equal(from, text.length);
  assert.deepStrictEqual(joined, splitSql(text), `cut at ${JSON.stringify(cuts)}:\n${JSON.stringify(text)}`);
}

describe(`incremental split properties (${RUNS} runs per target)`, function () {
  this.timeout(TIMEOUT);

  it('edits of seed documents mutated by SQL and psql tokens split like a full split', () => {
    const arb = fc.tuple(
      fc.array(fc.constantFrom(...SEEDS), { minLength: 1, maxLength: 12 }),
      fc.array(mutationArb, { maxLength: 4 }),
      fc.array(editArb, { minLength: 1, maxLength: 5 }),
    );
    check('split/incremental-seeds', arb, ([stmts, mutations, edits]) => {
      assertEditsSplitLikeFull(mutate(stmts.join('\n'), mutations), edits);
    });
  });

  it('edits of random token sequences split like a full split', () => {
    const arb = fc.tuple(
      fc.array(fc.constantFrom(...SQL_TOKENS, 'select 1', 'x', 'copy t from stdin', 'E', '$', 'a'), { maxLength: 60 }),
      fc.array(editArb, { minLength: 1, maxLength: 5 }),
    );
    check('split/incremental-tokens', arb, ([tokens, edits]) => {
      assertEditsSplitLikeFull(tokens.join(''), edits);
    });
  });

  it('edits of arbitrary UTF-16 text split like a full split', () => {
    const arb = fc.tuple(fc.string({ unit: fc.constantFrom(';', "'", '$', '-', '\n', '\\', '(', ')', 'E', 'a', ':', '/', '*', ' '), maxLength: 80 }), fc.array(editArb, { minLength: 1, maxLength: 5 }));
    check('split/incremental-chars', arb, ([text, edits]) => {
      assertEditsSplitLikeFull(text, edits);
    });
  });

  it('a text split in parts, each from where the last ended, joins into the whole split', () => {
    const arb = fc.tuple(
      fc.array(fc.constantFrom(...SEEDS), { minLength: 1, maxLength: 12 }),
      fc.array(mutationArb, { maxLength: 4 }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
    );
    check('split/parts-seeds', arb, ([stmts, mutations, cuts]) => assertPartsJoinLikeFull(mutate(stmts.join('\n'), mutations), cuts));
    const chars = fc.tuple(fc.string({ unit: fc.constantFrom(';', "'", '$', '-', '\n', '\\', '(', ')', 'E', 'a', ':', '/', '*', ' ', 'c', 'o', 'p', 'y'), maxLength: 80 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }));
    check('split/parts-chars', chars, ([text, cuts]) => assertPartsJoinLikeFull(text, cuts));
  });

  it('a part ends just after the first statement ending at or after its cut, never inside a COPY and its data', () => {
    const text = 'SELECT 1;\nCOPY t FROM stdin;\n1;2\n\\.\nSELECT 3;\nSELECT 4;';
    const { split, end } = splitSqlPart(text, 0, 3);
    assert.equal(end, text.indexOf('SELECT 1;') + 9);
    assert.deepStrictEqual(split.statements.map((s) => s.parseText), ['SELECT 1']);
    // A cut inside the COPY's data: the part runs on past the data to the next statement's end.
    const second = splitSqlPart(text, end, text.indexOf('1;2'));
    assert.deepStrictEqual(second.split.statements.map((s) => s.parseText.trim()), ['COPY t FROM stdin', 'SELECT 3']);
    assert.equal(second.end, text.indexOf('SELECT 3;') + 9);
    assert.deepStrictEqual(second.split.skipped, splitSql(text).skipped);
  });

  it('reuses the statements after the edit instead of re-splitting them (and an edit deep in a long file stays local)', () => {
    const text = Array.from({ length: 200 }, (_, i) => `SELECT ${i};`).join('\n');
    const prev = splitSql(text);
    const at = text.indexOf('SELECT 100;') + 7;
    const after = text.slice(0, at) + '42' + text.slice(at);
    const next = incrementalSplit(prev, after, { start: at, end: at, insert: '42' });
    assert.deepStrictEqual(next, splitSql(after));
    // Before the edit the very objects are kept; the statement after the edited one is shifted.
    assert.equal(next.statements[50], prev.statements[50]);
    assert.equal(next.statements[100].parseText, 'SELECT 42100');
    assert.equal(next.statements[150].start, prev.statements[150].start + 2);
  });
});
