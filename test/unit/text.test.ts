// Offsets are the base of every position pgwarden reports: LineIndex converts UTF-16
// offsets to line/character, ByteMap converts libpg-query's UTF-8 byte offsets and
// code-point cursors to UTF-16. CJK (3 bytes, 1 unit) and emoji (4 bytes, 2 units) are
// where a wrong conversion shows.

import assert from 'node:assert/strict';
import { ByteMap, LineIndex } from '../../server/src/core/text';

describe('LineIndex', () => {
  it('counts lines for LF, CRLF and lone CR line ends', () => {
    const text = 'a\nbc\r\nd\re';
    const li = new LineIndex(text);
    assert.equal(li.lineCount, 4);
    assert.deepEqual([0, 1, 2, 3].map((l) => [li.lineStart(l), li.lineEnd(l)]), [
      [0, 1],
      [2, 4],
      [6, 7],
      [8, 9],
    ]);
  });

  it('maps offsets to positions and back, the line break belonging to its line', () => {
    const text = 'ab\r\ncd\n';
    const li = new LineIndex(text);
    assert.deepEqual(li.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(li.positionAt(2), { line: 0, character: 2 });
    assert.deepEqual(li.positionAt(3), { line: 0, character: 3 });
    assert.deepEqual(li.positionAt(4), { line: 1, character: 0 });
    assert.deepEqual(li.positionAt(7), { line: 2, character: 0 });
    for (let o = 0; o <= text.length; o++) {
      if (o === 3) continue; // between CR and LF: no position addresses it
      assert.equal(li.offsetAt(li.positionAt(o)), o, `round trip of offset ${o}`);
    }
  });

  it('clamps offsets and positions outside the text', () => {
    const li = new LineIndex('ab\ncd');
    assert.deepEqual(li.positionAt(-5), { line: 0, character: 0 });
    assert.deepEqual(li.positionAt(99), { line: 1, character: 2 });
    assert.equal(li.offsetAt({ line: 0, character: 99 }), 2, 'a character past the line end stops at the line end');
    assert.equal(li.offsetAt({ line: 7, character: 0 }), 5);
    assert.equal(li.offsetAt({ line: -1, character: -3 }), 0);
    assert.equal(li.lineStart(99), 3);
  });

  it('has one line for an empty text', () => {
    const li = new LineIndex('');
    assert.equal(li.lineCount, 1);
    assert.deepEqual(li.positionAt(0), { line: 0, character: 0 });
    assert.equal(li.lineEnd(0), 0);
  });

  it('counts columns in UTF-16 units after CJK and emoji', () => {
    const text = "x\n'日本🙂' y";
    const li = new LineIndex(text);
    assert.deepEqual(li.positionAt(text.indexOf('y')), { line: 1, character: 7 });
  });
});

describe('ByteMap', () => {
  it('maps ASCII one to one and clamps to the text', () => {
    const m = new ByteMap('select 1');
    assert.equal(m.byteLength, 8);
    assert.equal(m.toUtf16(3), 3);
    assert.equal(m.toUtf16(-1), 0);
    assert.equal(m.toUtf16(100), 8);
    assert.equal(m.codePointToUtf16(5), 5);
    assert.equal(m.codePointToUtf16(100), 8);
  });

  it('maps byte offsets after 2- and 3-byte characters (é, CJK)', () => {
    const text = "é'日本'x";
    const m = new ByteMap(text);
    assert.equal(m.byteLength, Buffer.byteLength(text));
    assert.equal(m.byteLength, 11);
    // é = bytes 0-1, ' = 2, 日 = 3-5, 本 = 6-8, ' = 9, x = 10, the end = 11.
    assert.equal(m.toUtf16(2), 1);
    assert.equal(m.toUtf16(3), 2);
    assert.equal(m.toUtf16(6), 3);
    assert.equal(m.toUtf16(9), 4);
    assert.equal(m.toUtf16(10), 5);
    assert.equal(m.toUtf16(11), 6);
    assert.equal(m.toUtf16(12), 6, 'past the end clamps to the end');
    // A byte inside a character maps to the character's start.
    assert.equal(m.toUtf16(4), 2);
  });

  it('maps an emoji (4 bytes, a surrogate pair) to its first unit and what follows after both', () => {
    const text = 'a🙂b';
    const m = new ByteMap(text);
    assert.equal(m.byteLength, 6);
    assert.equal(m.toUtf16(1), 1);
    assert.equal(m.toUtf16(3), 1);
    assert.equal(m.toUtf16(5), 3);
    assert.equal(m.toUtf16(6), 4);
  });

  it('agrees with Buffer on every character boundary of mixed text', () => {
    const text = "SELECT 'ñ日🙂\u{10ffff}x' AS \"列\"";
    const m = new ByteMap(text);
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
      const cp = text.codePointAt(i)!;
      assert.equal(m.toUtf16(bytes), i, `byte ${bytes}`);
      const unit = String.fromCodePoint(cp);
      bytes += Buffer.byteLength(unit);
      if (cp > 0xffff) i++;
    }
    assert.equal(m.toUtf16(bytes), text.length);
  });

  it('counts a lone surrogate as three bytes, as the parser receives it', () => {
    const text = 'a\ud800b\udc00c';
    const m = new ByteMap(text);
    assert.equal(m.byteLength, 9);
    assert.equal(m.toUtf16(4), 2);
    assert.equal(m.toUtf16(8), 4);
  });

  it('converts code-point cursors, emoji counting as one code point', () => {
    const text = "'日🙂' x";
    const m = new ByteMap(text);
    assert.equal(m.codePointToUtf16(0), 0);
    assert.equal(m.codePointToUtf16(2), 2);
    assert.equal(m.codePointToUtf16(3), 4);
    assert.equal(m.codePointToUtf16(5), 6);
    assert.equal(text[m.codePointToUtf16(5)], 'x');
  });

  it('counts a lone high surrogate as one code point', () => {
    // The parser sees the lone surrogate as one character, so its cursor after it is one less
    // than a pair would need.
    const text = "'\ud800' x";
    const m = new ByteMap(text);
    assert.equal(m.codePointToUtf16(4), 4);
    assert.equal(text[m.codePointToUtf16(4)], 'x');
  });
});
