// parser.ts drives libpg-query's WASM module itself (native UTF-8 copies in and out instead
// of the package's JavaScript loops). Its outcomes must be exactly what the package's own
// parseSync and parsePlPgSQLSync give, read the way parser.ts read them before: the same
// trees, the same error messages and cursors, for valid SQL and for SQL mutated into syntax
// errors, unterminated quotes and comments, NUL bytes, lone surrogates and invalid text.
// One difference is deliberate: the package sizes its copy of a text with a lone surrogate
// too small and cuts its end off; parser.ts hands the parser the whole text.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as pg from 'libpg-query';
import { loadParser, ParseOutcome, parsePlpgsql, parseText, PlpgsqlOutcome } from '../../../server/src/core/sql/parser';
import { anyUnit, check, mutate, mutationArb, TIMEOUT } from './support';
import { SEEDS } from './seeds';

/** parseText as it was written on the package's parseSync. */
function packageParse(text: string): ParseOutcome {
  try {
    const result = pg.parseSync(text) as unknown as { stmts?: Array<Record<string, any>> };
    return { ok: true, stmts: result.stmts ?? [] };
  } catch (err: any) {
    const details = err?.sqlDetails;
    if (details && typeof details.message === 'string') return { ok: false, error: { message: details.message, cursor: Math.max(0, details.cursorPosition ?? 0) } };
    return { ok: false, error: { message: `could not be parsed: ${err?.message ?? String(err)}`, cursor: 0 } };
  }
}

/** parsePlpgsql as it was written on the package's parsePlPgSQLSync. */
function packagePlpgsql(text: string): PlpgsqlOutcome {
  try {
    const result = pg.parsePlPgSQLSync(text) as unknown as { plpgsql_funcs?: any[] } | any[];
    return { ok: true, functions: Array.isArray(result) ? result : result.plpgsql_funcs ?? [] };
  } catch (err: any) {
    const details = err?.sqlDetails;
    return { ok: false, error: { message: details?.message ?? String(err?.message ?? err), cursor: details?.cursorPosition ?? 0 } };
  }
}

/**
 * Whether the package copies the whole text: its lengthBytesUTF8 counts a lone surrogate as
 * four bytes and skips the unit after it, where three bytes are written for it.
 */
function packageSeesAll(text: string): boolean {
  let len = 0;
  for (let i = 0; i < text.length; ++i) {
    const c = text.charCodeAt(i);
    if (c <= 0x7f) len++;
    else if (c <= 0x7ff) len += 2;
    else if (c >= 0xd800 && c <= 0xdfff) {
      len += 4;
      ++i;
    } else len += 3;
  }
  return len >= Buffer.byteLength(text, 'utf8');
}

const textArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SEEDS) },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...SEEDS), fc.array(mutationArb, { minLength: 1, maxLength: 4 })).map(([s, m]) => mutate(s, m)) },
  { weight: 1, arbitrary: fc.string({ unit: anyUnit, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '-- only a comment', "SELECT 'open", '/* open', 'SELECT $$open', "SELECT 'ü\ud800'", 'SELECT "日本🙂"', 'SELECT 1\0; SELECT 2') },
);

describe('property: the parser binding gives what libpg-query\'s own wrappers give', function () {
  this.timeout(TIMEOUT);
  before(async () => {
    await loadParser();
    await pg.loadModule();
  });

  it('parseText: the same statements and trees, or the same error and cursor', () => {
    check('parser-binding-sql', textArb, (text) => {
      if (packageSeesAll(text)) assert.deepEqual(parseText(text), packageParse(text));
    });
  });

  it('parsePlpgsql: the same functions, or the same error', () => {
    const bodies = fc.oneof(
      fc.constantFrom(...SEEDS.filter((s) => /LANGUAGE plpgsql|^DO/i.test(s))),
      fc.tuple(fc.constantFrom(...SEEDS.filter((s) => /LANGUAGE plpgsql|^DO/i.test(s))), fc.array(mutationArb, { minLength: 1, maxLength: 3 })).map(([s, m]) => mutate(s, m)),
    );
    check('parser-binding-plpgsql', bodies, (text) => {
      if (packageSeesAll(text)) assert.deepEqual(parsePlpgsql(text), packagePlpgsql(text));
    });
  });

  it('a long statement with multi-byte text round-trips, and its error cursor counts code points', () => {
    const name = 'ü🙂'.repeat(2000);
    const ok = parseText(`SELECT '${name}' AS x`);
    assert.ok(ok.ok);
    assert.equal(ok.stmts[0].stmt!.SelectStmt.targetList[0].ResTarget.val.A_Const.sval.sval, name);
    assert.deepEqual(parseText(`SELECT '${name}' FROM WHERE`), { ok: false, error: { message: 'syntax error at or near "WHERE"', cursor: 7 + 2 * 2000 + 2 + 6 } });
  });

  it('a lone surrogate reaches the parser as its three bytes, and the text after it is not cut off', () => {
    const r = parseText("SELECT 'a\ud800é' AS x");
    assert.ok(r.ok);
    const target = r.stmts[0].stmt!.SelectStmt.targetList[0].ResTarget;
    assert.equal(target.name, 'x');
    assert.equal(target.val.A_Const.sval.sval, 'a\ufffd\ufffd\ufffdé');
  });
});
