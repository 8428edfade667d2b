// The splitter decides statement boundaries the way psql does. Each case lists the exact
// statements (document slice, parse text and terminating semicolon), so a change in any
// boundary, placeholder or skipped range fails here before it shows up as a bad position.

import assert from 'node:assert/strict';
import { maskCode } from '../../server/src/core/sql/mask';
import { splitSql } from '../../server/src/core/sql/split';

/** The statements of `text` as [document slice, parse text if different, semicolon offset]. */
function stmts(text: string): Array<[string, string | null, number]> {
  return splitSql(text).statements.map((s) => {
    const slice = text.slice(s.start, s.end);
    assert.equal(s.parseText.length, slice.length, 'the parse text keeps the UTF-16 length of the slice');
    return [slice, s.parseText === slice ? null : s.parseText, s.semicolon];
  });
}

const skipped = (text: string) => splitSql(text).skipped.map((r) => text.slice(r.start, r.end));

describe('splitSql', () => {
  describe('plain statements', () => {
    it('splits on semicolons, trims trailing blanks, and keeps a final statement without one', () => {
      assert.deepEqual(stmts('select 1;  select 2  \n'), [
        ['select 1', null, 8],
        ['select 2', null, -1],
      ]);
    });

    it('returns nothing for an empty text, blanks, a lone semicolon or only comments', () => {
      assert.deepEqual(stmts(''), []);
      assert.deepEqual(stmts('  \n\t '), []);
      assert.deepEqual(stmts(';;'), []);
      assert.deepEqual(stmts('-- a\n/* b */'), []);
    });

    it('starts a statement at its first token, after comments', () => {
      const text = '-- head\n/* x */ select 1;';
      const [s] = splitSql(text).statements;
      assert.equal(s.start, 16);
      assert.equal(s.end, 24);
    });

    it('handles CRLF line ends', () => {
      assert.deepEqual(stmts('select 1;\r\nselect 2;\r\n'), [
        ['select 1', null, 8],
        ['select 2', null, 19],
      ]);
    });

    it('does not split inside parentheses, as psql does not', () => {
      assert.deepEqual(stmts('select (1;2); select 3;'), [
        ['select (1;2)', null, 12],
        ['select 3', null, 22],
      ]);
    });

    it('ignores a stray closing parenthesis', () => {
      assert.deepEqual(stmts('select 1); select 2;'), [
        ['select 1)', null, 9],
        ['select 2', null, 19],
      ]);
    });
  });

  describe('quotes', () => {
    it('keeps semicolons inside single quotes, with doubled quotes', () => {
      assert.deepEqual(stmts("select 'a;b'; select 'it''s;'; select 1;"), [
        ["select 'a;b'", null, 12],
        ["select 'it''s;'", null, 29],
        ['select 1', null, 39],
      ]);
    });

    it("honours backslash escapes in E'' strings only", () => {
      assert.deepEqual(stmts("select E'x\\';y'; select e'\\\\'; select 'a\\'; select 2;"), [
        ["select E'x\\';y'", null, 15],
        ["select e'\\\\'", null, 29],
        ["select 'a\\'", null, 42],
        ['select 2', null, 52],
      ]);
    });

    it("does not take an identifier ending in E before a quote as an E'' string", () => {
      // `tablE'x\'` is not valid SQL, but the quote that follows must end the literal.
      assert.deepEqual(stmts("select 1 ELSE'\\'; select 2;"), [
        ["select 1 ELSE'\\'", null, 16],
        ['select 2', null, 26],
      ]);
    });

    it('keeps semicolons inside double-quoted identifiers', () => {
      assert.deepEqual(stmts('select 1 as "a;""b"; select 2;'), [
        ['select 1 as "a;""b"', null, 19],
        ['select 2', null, 29],
      ]);
    });
  });

  describe('dollar quotes', () => {
    it('keeps semicolons inside $$ and tagged dollar quotes, where other tags do not close', () => {
      assert.deepEqual(stmts('select $$a;b$$; select $fn$ x $$ ; $fn$; select 3;'), [
        ['select $$a;b$$', null, 14],
        ['select $fn$ x $$ ; $fn$', null, 39],
        ['select 3', null, 49],
      ]);
    });

    it('accepts non-ASCII tags, as the PostgreSQL scanner does', () => {
      assert.deepEqual(stmts('select $ü$ ; $ü$; select 2;'), [
        ['select $ü$ ; $ü$', null, 16],
        ['select 2', null, 26],
      ]);
    });

    it('does not take $1 parameters or identifiers with $ as dollar quotes', () => {
      assert.deepEqual(stmts('select $1; select a$$b; select 2;'), [
        ['select $1', null, 9],
        ['select a$$b', null, 22],
        ['select 2', null, 32],
      ]);
    });
  });

  describe('comments', () => {
    it('skips nested block comments, semicolons inside included, and records their bodies', () => {
      const text = '/* a /* nested; */ still; */ select 1; -- tail; x\nselect 2;';
      const r = splitSql(text);
      assert.deepEqual(stmts(text), [
        ['select 1', null, 37],
        ['select 2', null, 58],
      ]);
      assert.deepEqual(
        r.comments.map((c) => [c.start, c.end, c.body]),
        [
          [0, 28, ' a /* nested; */ still; '],
          [39, 49, ' tail; x'],
        ],
      );
    });

    it('ends a statement without a semicolon before its trailing comments', () => {
      assert.deepEqual(stmts('select 1 -- one; two\n/* three */\n'), [['select 1', null, -1]]);
      assert.deepEqual(stmts('select 1 -- c\n;'), [['select 1', null, 14]]);
      assert.deepEqual(stmts('select 1\n\\echo hi\n'), [['select 1', null, -1]]);
    });

    it('keeps a comment inside a statement in its parse text', () => {
      assert.deepEqual(stmts('select 1 -- one;\n + 2;'), [['select 1 -- one;\n + 2', null, 21]]);
    });

    it('ends a -- comment at a lone CR too', () => {
      const r = splitSql('-- a\rselect 1;');
      assert.deepEqual(r.comments.map((c) => c.body), [' a']);
      assert.equal(r.statements.length, 1);
    });
  });

  describe('BEGIN ATOMIC bodies', () => {
    it('keeps the semicolons of a SQL-standard body inside the CREATE FUNCTION', () => {
      const text = 'create function f() returns int begin atomic select 1; select 2; end; select 3;';
      assert.deepEqual(stmts(text), [
        ['create function f() returns int begin atomic select 1; select 2; end', null, 68],
        ['select 3', null, 78],
      ]);
    });

    it('counts CASE ... END and nested BEGIN ... END inside the body', () => {
      const text =
        'create procedure p() begin atomic select case when true then 1 end; insert into t values (1); end;\nselect 9;';
      assert.deepEqual(stmts(text), [
        ['create procedure p() begin atomic select case when true then 1 end; insert into t values (1); end', null, 97],
        ['select 9', null, 107],
      ]);
    });

    it('does not treat a transaction BEGIN as a body', () => {
      assert.deepEqual(stmts('begin; select 1; end;'), [
        ['begin', null, 5],
        ['select 1', null, 15],
        ['end', null, 20],
      ]);
    });
  });

  describe('psql meta-commands', () => {
    it('skips meta-command lines between statements, without a statement for them', () => {
      const text = '\\set ON_ERROR_STOP on\n\\connect db\nselect 1;\n\\i other.sql\n';
      assert.deepEqual(stmts(text), [['select 1', null, 42]]);
      assert.deepEqual(skipped(text), ['\\set ON_ERROR_STOP on', '\\connect db', '\\i other.sql']);
    });

    it('blanks a non-sending meta-command inside a statement and keeps the statement going', () => {
      const text = 'select 1\n\\echo hi\n, 2;';
      assert.deepEqual(stmts(text), [['select 1\n\\echo hi\n, 2', 'select 1\n        \n, 2', 21]]);
    });

    it('ends the statement at \\g, \\gset, \\gx and \\gexec like a semicolon', () => {
      assert.deepEqual(stmts('select 1 as x \\gset\nselect :x;'), [
        ['select 1 as x', null, -1],
        ['select :x', 'select _x', 29],
      ]);
      assert.deepEqual(stmts('select 1\n\\g\nselect 2\n\\gx\nselect 3 \\gexec\n'), [
        ['select 1', null, -1],
        ['select 2', null, -1],
        ['select 3', null, -1],
      ]);
    });

    it('handles a meta-command on the line of a finished statement', () => {
      const text = 'select 1; \\connect db\nselect 2;';
      assert.deepEqual(stmts(text), [
        ['select 1', null, 8],
        ['select 2', null, 30],
      ]);
      assert.deepEqual(skipped(text), ['\\connect db']);
    });

    it('ends a meta-command at CRLF', () => {
      const text = '\\set x 1\r\nselect 1;\r\n';
      assert.deepEqual(skipped(text), ['\\set x 1']);
      assert.deepEqual(stmts(text), [['select 1', null, 18]]);
    });
  });

  describe('psql variables', () => {
    it("replaces :name, :'name' and :\"name\" by same-length placeholders and records them", () => {
      const text = "select :x, :'y', :\"z\", a::int;";
      const [s] = splitSql(text).statements;
      assert.equal(s.parseText, "select _x, ':y', \":z\", a::int");
      assert.deepEqual(
        s.variables.map((v) => [text.slice(v.start, v.end), v.name, v.kind]),
        [
          [':x', 'x', 'raw'],
          [":'y'", 'y', 'literal'],
          [':"z"', 'z', 'identifier'],
        ],
      );
    });

    it('leaves :: casts, array slices with numbers, and variables inside literals alone', () => {
      const text = "select a::text, b[1:2], ':no', $$ :no $$;";
      const [s] = splitSql(text).statements;
      assert.equal(s.parseText, text.slice(0, -1));
      assert.deepEqual(s.variables, []);
    });

    it("does not take an unclosed :'name as a variable", () => {
      const [s] = splitSql("select :'x;").statements;
      assert.deepEqual(s.variables, []);
    });

    it('keeps placeholders at the right offsets after CJK text', () => {
      const text = "select '日本', :'pw';";
      const [s] = splitSql(text).statements;
      assert.equal(s.parseText, "select '日本', ':pw'");
      assert.deepEqual(s.variables.map((v) => [v.start, v.end]), [[13, 18]]);
    });
  });

  describe('COPY FROM stdin', () => {
    it('skips the data lines up to \\. and resumes after them', () => {
      const text = 'copy t (a, b) from stdin;\n1\t;x\n2\t\'\n\\.\nselect 1;';
      assert.deepEqual(stmts(text), [
        ['copy t (a, b) from stdin', null, 24],
        ['select 1', null, 46],
      ]);
      assert.deepEqual(skipped(text), ["1\t;x\n2\t'\n\\."]);
    });

    it('handles CRLF data and the terminator with a CR', () => {
      const text = 'COPY t FROM STDIN WITH (FORMAT csv);\r\na;b\r\n\\.\r\nselect 1;';
      assert.deepEqual(stmts(text).map((s) => s[0]), ['COPY t FROM STDIN WITH (FORMAT csv)', 'select 1']);
      assert.deepEqual(skipped(text), ['a;b\r\n\\.\r']);
    });

    it('skips to the end of the file when the data has no terminator', () => {
      const text = 'copy t from stdin;\n1;2\nselect 1;';
      assert.deepEqual(stmts(text), [['copy t from stdin', null, 17]]);
      assert.deepEqual(skipped(text), ['1;2\nselect 1;']);
    });

    it('treats COPY TO stdout and COPY FROM a file as ordinary statements', () => {
      assert.deepEqual(stmts("copy t to stdout;\nselect 1;\ncopy t from '/x';\nselect 2;").map((s) => s[0]), [
        'copy t to stdout',
        'select 1',
        "copy t from '/x'",
        'select 2',
      ]);
    });
  });

  describe('unterminated constructs at the end of the file', () => {
    for (const [name, text] of [
      ['a quote', "select 1; select 'abc; select 2;"],
      ['an identifier', 'select 1; select "abc; select 2;'],
      ['an E string ending in a backslash', "select 1; select E'abc\\"],
      ['a dollar quote', 'select 1; select $x$ abc; select 2;'],
      ['a block comment', 'select 1; select 2 /* abc; select 3;'],
      ['a parenthesis', 'select 1; select (2; select 3;'],
      ['a BEGIN ATOMIC body', 'select 1; create function f() returns int begin atomic select 2; select 3;'],
    ] as const) {
      it(`runs ${name} to the end of the file as one statement`, () => {
        const all = stmts(text);
        assert.equal(all.length, 2);
        assert.deepEqual(all[0], ['select 1', null, 8]);
        assert.equal(all[1][0], text.slice(10).replace(/\s+$/, ''));
        assert.equal(all[1][2], -1, 'no semicolon ends it');
      });
    }

    it('starts a statement at an unterminated comment that opens it', () => {
      assert.deepEqual(stmts('select 1;\n/* never closed'), [
        ['select 1', null, 8],
        ['/* never closed', null, -1],
      ]);
    });
  });

  describe('maskCode (the keyword search text) agrees with the splitter', () => {
    it('blanks comments and the insides of literals, keeping length and line breaks', () => {
      const text = "grant x /* with\ngrant option */ to 'with grant option' -- with grant option\n\"with grant\" $$with grant option$$";
      const masked = maskCode(text);
      assert.equal(masked.length, text.length);
      assert.equal(masked.split('\n').length, text.split('\n').length);
      assert.doesNotMatch(masked, /with|option/i);
      assert.equal(masked.slice(0, 8), 'grant x ');
      assert.equal(masked.indexOf(' to '), text.indexOf(' to '));
    });

    it("treats ELSE'\\' as a standard string, not an E'' string", () => {
      const masked = maskCode("case when a then 1 ELSE'\\' end with grant option");
      assert.match(masked, /end with grant option$/);
    });

    it('blanks dollar quotes with non-ASCII tags', () => {
      assert.equal(maskCode('select $ü$ with grant option $ü$ x'), 'select $ü$                   $ü$ x');
    });
  });
});
