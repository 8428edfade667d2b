// The main thread sends the analysis worker only the range of a document that changed:
// applying that change to the worker's text must give exactly the editor's new text.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { applyTextChange, textChange } from '../../server/src/lsp/textChange';

describe('textChange', () => {
  it('finds the one changed range between the common prefix and suffix', () => {
    assert.deepEqual(textChange('select 1;', 'select 21;', 4), { base: 4, start: 7, end: 7, insert: '2' });
    assert.deepEqual(textChange('abcabc', 'abc', 1), { base: 1, start: 3, end: 6, insert: '' });
    assert.deepEqual(textChange('same', 'same', 2), { base: 2, start: 4, end: 4, insert: '' });
  });

  it('compares in chunks across a large text and still finds a one-character edit exactly', () => {
    const before = 'x'.repeat(20_000) + 'y' + 'z'.repeat(9_000);
    const after = 'x'.repeat(20_000) + 'Q' + 'z'.repeat(9_000);
    assert.deepEqual(textChange(before, after, 1), { base: 1, start: 20_000, end: 20_001, insert: 'Q' });
  });

  it('applied to the old text gives the new text, for any pair of texts', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '\n', 'é', '😀'), maxLength: 9000 });
    fc.assert(
      fc.property(text, text, (before, after) => {
        const c = textChange(before, after, 7);
        assert.equal(applyTextChange(before, c), after);
        assert.ok(c.start <= c.end && c.end <= before.length);
      }),
      { numRuns: 300 },
    );
  });

  it('applied after an edit in the middle of a long text gives the new text', () => {
    const base = 'select 1;\n'.repeat(2000);
    fc.assert(
      fc.property(fc.nat(base.length), fc.nat(40), fc.string({ maxLength: 30 }), (at, len, insert) => {
        const after = base.slice(0, at) + insert + base.slice(Math.min(base.length, at + len));
        assert.equal(applyTextChange(base, textChange(base, after, 1)), after);
      }),
      { numRuns: 300 },
    );
  });
});
