// Suppression comments: which findings each directive form removes, and the exact
// `unused-suppression` hint (range = the whole comment) for a directive or an id in it
// that suppressed nothing. Comments come from the real splitter, findings are made by hand
// so each case controls exactly which rule fires where.

import assert from 'node:assert/strict';
import { Finding } from '../../server/src/core/rules';
import { splitSql } from '../../server/src/core/sql/split';
import { applySuppressions, parseDirectives, UNUSED_SUPPRESSION } from '../../server/src/core/suppress';
import { LineIndex } from '../../server/src/core/text';

/** A finding of `ruleId` on the first occurrence of `needle` in `text`. */
function at(text: string, needle: string, ruleId: string): Finding {
  const start = text.indexOf(needle);
  assert.ok(start >= 0, `${needle} not in the text`);
  return { ruleId, start, end: start + needle.length, message: ruleId };
}

/** Applies the text's suppression comments and describes what is left as [rule, covered text]. */
function run(text: string, findings: Finding[]): Array<[string, string]> {
  const { comments } = splitSql(text);
  return applySuppressions(findings, comments, new LineIndex(text)).map((f) => [f.ruleId, text.slice(f.start, f.end)]);
}

describe('suppression comments', () => {
  describe('parseDirectives', () => {
    it('reads the kind, the ids separated by commas or blanks, and stops at a -- reason', () => {
      const text = [
        '-- pgwarden-disable-next-line grant-all, grant-option -- the app needs it',
        '-- pgwarden-disable missing-rls rls-not-forced',
        '-- pgwarden-enable missing-rls',
        '-- pgwarden-disable-file copy-program --',
        '/* pgwarden-disable-next-line weak-setting */',
        '-- pgwarden-disable-next-line -- every rule, with a reason',
        '-- pgwarden-disablement is not a directive',
        '-- see pgwarden-disable x (not at the start)',
      ].join('\n');
      const d = parseDirectives(splitSql(text).comments);
      assert.deepEqual(
        d.map((x) => [x.kind, x.ids]),
        [
          ['next-line', ['grant-all', 'grant-option']],
          ['disable', ['missing-rls', 'rls-not-forced']],
          ['enable', ['missing-rls']],
          ['file', ['copy-program']],
          ['next-line', ['weak-setting']],
          ['next-line', '*'],
        ],
      );
    });
  });

  describe('disable-next-line', () => {
    it('suppresses the named rules on the next line only', () => {
      const text = '-- pgwarden-disable-next-line grant-all\nGRANT ALL ON a TO x;\nGRANT ALL ON b TO x;';
      assert.deepEqual(run(text, [at(text, 'ALL ON a', 'grant-all'), at(text, 'ALL ON b', 'grant-all')]), [
        ['grant-all', 'ALL ON b'],
      ]);
    });

    it('does not suppress other rules on that line, and reports itself unused then', () => {
      const text = '-- pgwarden-disable-next-line grant-all\nGRANT ALL ON a TO PUBLIC;';
      const comment = '-- pgwarden-disable-next-line grant-all';
      assert.deepEqual(run(text, [at(text, 'PUBLIC', 'grant-to-public')]), [
        ['grant-to-public', 'PUBLIC'],
        [UNUSED_SUPPRESSION, comment],
      ]);
    });

    it('suppresses several ids, and a reason after -- does not count as an id', () => {
      const text = '-- pgwarden-disable-next-line grant-all, grant-to-public -- legacy\nGRANT ALL ON a TO PUBLIC;';
      assert.deepEqual(run(text, [at(text, 'ALL', 'grant-all'), at(text, 'PUBLIC', 'grant-to-public')]), []);
    });

    it('without ids suppresses every rule on the next line', () => {
      const text = '-- pgwarden-disable-next-line\nGRANT ALL ON a TO PUBLIC;';
      assert.deepEqual(run(text, [at(text, 'ALL', 'grant-all'), at(text, 'PUBLIC', 'grant-to-public')]), []);
    });

    it('works as a trailing comment on the line before and as a block comment', () => {
      const text = 'SELECT 1; -- pgwarden-disable-next-line grant-all\nGRANT ALL ON a TO x;\n/* pgwarden-disable-next-line grant-all */\nGRANT ALL ON b TO x;';
      assert.deepEqual(run(text, [at(text, 'ALL ON a', 'grant-all'), at(text, 'ALL ON b', 'grant-all')]), []);
    });

    it('reports exactly the id that suppressed nothing, with the comment as its range', () => {
      const text = 'SELECT 1;\n  -- pgwarden-disable-next-line grant-all, grant-option\nGRANT ALL ON a TO x;';
      const { comments } = splitSql(text);
      const out = applySuppressions([at(text, 'ALL', 'grant-all')], comments, new LineIndex(text));
      assert.equal(out.length, 1);
      const hint = out[0];
      assert.equal(hint.ruleId, UNUSED_SUPPRESSION);
      assert.equal(hint.severity, 'hint');
      assert.equal(hint.unnecessary, true);
      assert.equal(hint.start, 12);
      assert.equal(hint.end, 65);
      assert.equal(text.slice(hint.start, hint.end), '-- pgwarden-disable-next-line grant-all, grant-option');
      assert.equal(hint.message, 'This pgwarden-disable-next-line comment suppresses nothing for "grant-option".');
    });

    it('reports an id-less directive that suppressed nothing as "every rule"', () => {
      const text = '-- pgwarden-disable-next-line\nSELECT 1;';
      const out = applySuppressions([], splitSql(text).comments, new LineIndex(text));
      assert.deepEqual(
        out.map((f) => [f.ruleId, f.start, f.end, f.message]),
        [[UNUSED_SUPPRESSION, 0, 29, 'This pgwarden-disable-next-line comment suppresses nothing for every rule.']],
      );
    });
  });

  describe('disable / enable blocks', () => {
    it('suppresses from the disable comment to the matching enable', () => {
      const text = [
        'GRANT ALL ON a TO x;',
        '-- pgwarden-disable grant-all',
        'GRANT ALL ON b TO x;',
        'GRANT ALL ON c TO x;',
        '-- pgwarden-enable grant-all',
        'GRANT ALL ON d TO x;',
      ].join('\n');
      const f = ['a', 'b', 'c', 'd'].map((t) => at(text, `ALL ON ${t}`, 'grant-all'));
      assert.deepEqual(run(text, f), [
        ['grant-all', 'ALL ON a'],
        ['grant-all', 'ALL ON d'],
      ]);
    });

    it('runs to the end of the file without an enable, and an enable of another id does not end it', () => {
      const text = '-- pgwarden-disable grant-all\n-- pgwarden-enable grant-option\nGRANT ALL ON a TO x;';
      assert.deepEqual(run(text, [at(text, 'ALL', 'grant-all')]), []);
    });

    it('is reported unused when nothing inside it was suppressed', () => {
      const text = 'GRANT ALL ON a TO x;\n-- pgwarden-disable grant-all\nSELECT 1;\n-- pgwarden-enable grant-all\n';
      assert.deepEqual(run(text, [at(text, 'ALL', 'grant-all')]), [
        ['grant-all', 'ALL'],
        [UNUSED_SUPPRESSION, '-- pgwarden-disable grant-all'],
      ]);
    });

    it('an id-less enable ends every block', () => {
      const text = '-- pgwarden-disable grant-all\nGRANT ALL ON a TO x;\n-- pgwarden-enable\nGRANT ALL ON b TO x;';
      assert.deepEqual(run(text, [at(text, 'ALL ON a', 'grant-all'), at(text, 'ALL ON b', 'grant-all')]), [
        ['grant-all', 'ALL ON b'],
      ]);
    });
  });

  describe('disable-file', () => {
    it('suppresses the rule everywhere in the file, also above the comment', () => {
      const text = 'GRANT ALL ON a TO x;\n-- pgwarden-disable-file grant-all -- generated file\nGRANT ALL ON b TO PUBLIC;';
      assert.deepEqual(
        run(text, [at(text, 'ALL ON a', 'grant-all'), at(text, 'ALL ON b', 'grant-all'), at(text, 'PUBLIC', 'grant-to-public')]),
        [['grant-to-public', 'PUBLIC']],
      );
    });

    it('is reported unused with its own message when the rule never fires', () => {
      const text = '-- pgwarden-disable-file copy-program\nSELECT 1;';
      const out = applySuppressions([], splitSql(text).comments, new LineIndex(text));
      assert.deepEqual(
        out.map((f) => [f.start, f.end, f.message]),
        [[0, 37, 'This pgwarden-disable-file comment suppresses nothing for "copy-program".']],
      );
    });
  });

  it('leaves findings untouched when there is no directive', () => {
    const text = '-- just a comment\nGRANT ALL ON a TO x;';
    const f = [at(text, 'ALL', 'grant-all')];
    assert.deepEqual(run(text, f), [['grant-all', 'ALL']]);
  });
});
