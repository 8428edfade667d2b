import assert from 'node:assert/strict';
import { ConfLexer, parseConf, quote, unquote } from '../../../server/src/core/conf/parse';

const kinds = (text: string) => {
  const lx = new ConfLexer(text);
  const out: string[] = [];
  for (let t = lx.next(); t.kind !== 'eof'; t = lx.next()) out.push(`${t.kind}:${text.slice(t.start, t.end)}`);
  return out;
};

describe('postgresql.conf lexer (guc-file.l rules)', () => {
  it('takes the longest match, the earlier rule on a tie', () => {
    assert.deepEqual(kinds('work_mem'), ['id:work_mem']);
    assert.deepEqual(kinds('ext.name'), ['qualified:ext.name']);
    assert.deepEqual(kinds('a.b.c'), ['unquoted:a.b.c']);
    assert.deepEqual(kinds('x/y:z-w'), ['unquoted:x/y:z-w']);
    assert.deepEqual(kinds('0x1Fkb'), ['integer:0x1Fkb']);
    assert.deepEqual(kinds('0xg'), ['integer:0xg']);
    assert.deepEqual(kinds('-12MB'), ['integer:-12MB']);
    assert.deepEqual(kinds('1.5GB'), ['real:1.5', 'id:GB']);
    assert.deepEqual(kinds('1e5'), ['integer:1e', 'integer:5']);
    assert.deepEqual(kinds('1.0e5 .5 . +.'), ['real:1.0e5', 'real:.5', 'real:.', 'real:+.']);
    assert.deepEqual(kinds('127.0.0.1'), ['real:127.0', 'real:.0', 'real:.1']);
    assert.deepEqual(kinds('- * /'), ['error:-', 'error:*', 'error:/']);
    assert.deepEqual(kinds("a='x'#c\nb"), ['id:a', 'equals:=', "string:'x'", 'eol:\n', 'id:b']);
    assert.deepEqual(kinds('\f'), ['error:\f'], 'only blank, tab and CR are white space');
  });

  it('reads quoted strings with doubled quotes and backslash escapes, never across a newline', () => {
    assert.deepEqual(kinds("'it''s'"), ["string:'it''s'"]);
    assert.deepEqual(kinds("'a\\'b'"), ["string:'a\\'b'"]);
    assert.deepEqual(kinds("'a'' x"), ["string:'a'", "error:'", 'id:x']);
    assert.deepEqual(kinds("'open\n'"), ["error:'", 'id:open', 'eol:\n', "error:'"]);
    assert.equal(unquote("'it''s \\n\\t\\101\\q\\\\'"), "it's \n\tAq\\");
    assert.equal(unquote(quote("a'b\\c")), "a'b\\c");
    assert.equal(unquote("'\\303\\251t\\303\\251 😀'"), 'été 😀', 'octal escapes are UTF-8 bytes');
    assert.equal(unquote("'\\0'"), '\u0000');
  });
});

describe('postgresql.conf parser', () => {
  it('keeps exact UTF-16 ranges of names and values', () => {
    const text = "# héllo 😀\nwörk_mem = '4MB' # c\nx😀 5\n";
    const p = parseConf(text);
    assert.deepEqual(p.errors, []);
    const [a, b] = p.entries;
    assert.equal(text.slice(a.nameStart, a.nameEnd), 'wörk_mem');
    assert.equal(text.slice(a.valueStart, a.valueEnd), "'4MB'");
    assert.equal(a.value, '4MB');
    assert.equal(a.line, 1);
    assert.equal(text.slice(b.nameStart, b.nameEnd), 'x😀');
    assert.equal(b.value, '5');
    assert.equal(b.line, 2);
    assert.deepEqual(p.comments.map((c) => c.body), [' héllo 😀', ' c']);
  });

  it('recognises directives case-insensitively and folds names to lower case', () => {
    const p = parseConf("INCLUDE_dir = 'conf.d'\nWork_Mem 1\n");
    assert.equal(p.entries[0].directive, 'include_dir');
    assert.equal(p.entries[1].key, 'work_mem');
    assert.equal(p.entries[1].name, 'Work_Mem');
  });

  it('reports one syntax error per bad line and goes on with the next', () => {
    const p = parseConf('a = 1 2\n= 3\nb = 4\nc =\nd\n');
    assert.deepEqual(
      p.errors.map((e) => [e.line, e.message]),
      [
        [0, 'syntax error near token "2"'],
        [1, 'syntax error near token "="'],
        [3, 'syntax error near end of line'],
        [4, 'syntax error near end of line'],
      ],
    );
    assert.deepEqual(p.entries.map((e) => e.name), ['b']);
  });

  it('treats CR as a blank, so CRLF files parse and a lone CR does not end a line', () => {
    assert.deepEqual(parseConf('a = 1\r\nb = 2\r\n').errors, []);
    assert.equal(parseConf('a = 1\rb = 2').errors.length, 1);
  });

  describe('hostile input: never throws, stays linear', () => {
    const timed = (text: string) => {
      const t0 = Date.now();
      const p = parseConf(text);
      return { p, ms: Date.now() - t0 };
    };

    it('binary data', () => {
      let s = '';
      for (let i = 0; i < 65536; i++) s += String.fromCharCode((i * 7919) % 256);
      const { p, ms } = timed(s);
      assert.ok(p.errors.length > 0);
      assert.ok(ms < 2000, `${ms} ms`);
    });

    it('a 1 MB file', () => {
      const text = 'work_mem = 4MB # comment\n'.repeat(Math.ceil(1_000_000 / 25));
      const { p, ms } = timed(text);
      assert.equal(p.entries.length, Math.ceil(1_000_000 / 25));
      assert.ok(ms < 5000, `${ms} ms`);
    });

    it('10,000-character lines and unbalanced quotes', () => {
      const long = 'x = ' + "'".repeat(1) + 'a'.repeat(10_000);
      const quotes = "a = '" + "'x".repeat(5_000);
      const backslashes = "a = '" + '\\'.repeat(10_001);
      const { p, ms } = timed([long, quotes, backslashes, "'''''''''".repeat(1000)].join('\n'));
      assert.equal(p.errors.length, 4);
      assert.ok(ms < 2000, `${ms} ms`);
    });
  });
});

describe('postgresql.conf parser: after a syntax error', () => {
  it('reads the rest of the line like the server, so a comment there is still a comment', () => {
    const p = parseConf("work_mem = 4 MB # pgwarden-disable-file conf-syntax\nssl = on\n");
    assert.equal(p.errors.length, 1);
    assert.deepEqual(p.comments.map((c) => c.body), [' pgwarden-disable-file conf-syntax']);
    assert.deepEqual(p.entries.map((e) => e.name), ['ssl']);
  });

  it('a quote that opens no string does not hide a later comment', () => {
    const p = parseConf("a = 1 ' x # note\n");
    assert.equal(p.errors.length, 1);
    assert.deepEqual(p.comments.map((c) => c.body), [' note']);
  });

  it('stays linear on lines of unmatched quotes and backslashes', () => {
    const lines = ["a = 1 '" + "\\'".repeat(200_000), "b = 2 " + "'\\".repeat(200_000), "c = 3 '" + "''x".repeat(100_000)];
    const t0 = Date.now();
    const p = parseConf(lines.join('\n'));
    assert.equal(p.errors.length, 3);
    // Quadratic rescanning would take minutes here; linear work is well under a second.
    assert.ok(Date.now() - t0 < 5000, `${Date.now() - t0} ms`);
  });
});
