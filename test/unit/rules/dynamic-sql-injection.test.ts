import assert from 'node:assert/strict';
import { applyEdits } from '../../../server/src/core/fix';
import { parsePlpgsql } from '../../../server/src/core/sql/parser';
import { findingsOf, InvalidCase, ruleTester } from './harness';

const fn = (body: string, params = 'tbl text, id int', decl = '', returns = 'void') =>
  `CREATE FUNCTION f(${params}) RETURNS ${returns} LANGUAGE plpgsql AS $fn$\n${decl ? `DECLARE ${decl}\n` : ''}BEGIN\n${body}\nEND $fn$;`;

const invalid: InvalidCase[] = [
  {
    code: fn("  EXECUTE 'select * from ' || tbl;"),
    errors: [{ line: 3, column: 11, endColumn: 34, message: 'EXECUTE runs SQL text built from tbl without quoting' }],
    output: fn("  EXECUTE format('select * from %I', tbl);"),
  },
  {
    code: fn("  EXECUTE 'delete from t where name = ''' || tbl || ''' and id = ' || id;"),
    name: 'a value between quotes becomes %L; a safe integer stays %s',
    errors: [{ line: 3, column: 11, endColumn: 73 }],
    output: fn("  EXECUTE format('delete from t where name = %L and id = %s', tbl, id);"),
  },
  {
    code: fn("  RETURN QUERY EXECUTE 'select * from ' || $1 || ' limit 10';", 'text', '', 'SETOF record'),
    name: 'RETURN QUERY EXECUTE with an unnamed parameter',
    errors: [{ line: 3, column: 24, endColumn: 61, message: 'RETURN QUERY EXECUTE runs SQL text built from $1 without quoting' }],
    output: fn("  RETURN QUERY EXECUTE format('select * from %I limit 10', $1);", 'text', '', 'SETOF record'),
  },
  {
    code: fn("  FOR r IN EXECUTE 'select * from ' || lower(tbl) LOOP\n  END LOOP;", 'tbl text', 'r record;'),
    name: 'FOR ... IN EXECUTE through lower()',
    errors: [{ line: 4, column: 20, endColumn: 50, message: 'FOR ... IN EXECUTE' }],
    output: fn("  FOR r IN EXECUTE format('select * from %I', lower(tbl)) LOOP\n  END LOOP;", 'tbl text', 'r record;'),
  },
  {
    code: fn("  OPEN c FOR EXECUTE 'select ' || col || ' from t';", 'col varchar(30)', 'c refcursor;'),
    name: 'OPEN ... FOR EXECUTE with a varchar parameter',
    errors: [{ line: 4, column: 22, endColumn: 51, message: 'OPEN ... FOR EXECUTE' }],
    output: fn("  OPEN c FOR EXECUTE format('select %I from t', col);", 'col varchar(30)', 'c refcursor;'),
  },
  {
    code: fn("  EXECUTE format('select * from %s where x = %L', tbl, tbl);"),
    name: 'format with %s of a parameter; no rewrite offered for format()',
    errors: [{ line: 3, column: 11, endColumn: 60, message: 'from tbl' }],
  },
  {
    code: fn("  EXECUTE format('%2$s %1$I', tbl, v);", 'tbl text, v text'),
    name: 'format with an explicit position for %s',
    errors: [{ line: 3, column: 11, endColumn: 38, message: 'built from v without' }],
  },
  {
    code: fn("  q := 'drop table ' || tbl;\n  IF id > 0 THEN\n    EXECUTE q;\n  END IF;", 'tbl text, id int', 'q text;'),
    name: 'a variable built by concatenation, executed in a nested block',
    errors: [{ line: 6, column: 13, endColumn: 14, message: 'q (built from tbl)' }],
  },
  {
    code: "DO $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT relname FROM pg_class LOOP\n    EXECUTE 'analyze ' || r.relname;\n  END LOOP;\nEND $$;",
    name: 'DO block, a record field',
    errors: [{ line: 5, column: 13, endColumn: 36, message: 'r.relname' }],
    output: "DO $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT relname FROM pg_class LOOP\n    EXECUTE format('analyze %I', r.relname);\n  END LOOP;\nEND $$;",
  },
  {
    code: "CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'insert into log values (''' || NEW.note || ''')' ; RETURN NEW; END $$;",
    name: 'a field of the trigger row is user data; %L replaces the hand-made quotes',
    errors: [{ line: 1, column: 78, endColumn: 127, message: 'built from new.note without' }],
    output: "CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN EXECUTE format('insert into log values (%L)', NEW.note) ; RETURN NEW; END $$;",
  },
  {
    code: "SELECT '日本語🙂';\n" + fn("  EXECUTE concat('select * from ', tbl, ' -- 🙂');"),
    name: 'concat(), positions after CJK and emoji',
    errors: [{ line: 4, column: 11, endColumn: 50 }],
  },
  {
    code: "CREATE FUNCTION f(tbl text) RETURNS void LANGUAGE plpgsql AS '\nBEGIN\n  EXECUTE ''select 1 from '' || tbl;\nEND';",
    name: 'a single-quoted body: the line is marked, no rewrite',
    errors: [{ line: 3, column: 3, endColumn: 37 }],
  },
  {
    code: fn("  EXECUTE 'select 100% from ' || coalesce(tbl, 'x');"),
    name: 'a percent sign is escaped in the format string',
    errors: [{ line: 3, column: 11 }],
    output: fn("  EXECUTE format('select 100%% from %I', coalesce(tbl, 'x'));"),
  },
];

ruleTester('dynamic-sql-injection', {
  valid: [
    fn("  EXECUTE 'select * from ' || quote_ident(tbl) || ' where name = ' || quote_literal(tbl);"),
    fn("  EXECUTE 'select * from t where a = ' || quote_nullable(tbl);"),
    fn("  EXECUTE format('select * from %I where a = %L', tbl, tbl);"),
    fn("  EXECUTE format('select * from %1$I where a = %1$L and b = %2$s', tbl, id);"),
    { code: fn("  EXECUTE format($$ delete from %I; insert into %I select 1 $$::text, tbl, tbl);"), name: 'a cast format string' },
    { code: fn("  EXECUTE format('select %s from %I', quote_ident(tbl), tbl);"), name: '%s of a quoted value' },
    fn("  EXECUTE 'select * from t where a = $1' USING tbl;"),
    fn("  EXECUTE 'select * from t limit ' || id;"),
    fn("  EXECUTE 'select * from ' || tbl::regclass;"),
    fn("  EXECUTE 'select ' || n::text;", 'n bigint'),
    fn("  EXECUTE 'select 1';"),
    { code: fn('  EXECUTE tbl;'), name: 'a caller-given statement is not concatenation' },
    { code: fn("  EXECUTE 'select 1 order by 1 ' || dir;", 'tbl text', "dir text := 'ASC';"), name: 'a variable only ever given constants' },
    {
      code: fn("  dir := CASE WHEN id > 0 THEN 'ASC' ELSE 'DESC' END;\n  EXECUTE 'select 1 order by 1 ' || dir;", 'tbl text, id int', 'dir text;'),
      name: 'a variable assigned a CASE of constants',
    },
    { code: fn("  q := format('drop table %I', tbl);\n  EXECUTE q;", 'tbl text', 'q text;'), name: 'a variable built safely' },
    "CREATE FUNCTION f(tbl text) RETURNS void LANGUAGE sql AS $$ SELECT 'x' || tbl $$;",
    "DO LANGUAGE plperl $$ my $x = 'select ' . $_[0]; $$;",
    "DO $$ BEGIN EXECUTE 'drop table ' || current_user; END $$;",
    {
      code: "CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'select ' || quote_literal(TG_OP) || ' ' || TG_WHEN || TG_LEVEL; RETURN NEW; END $$;",
      name: 'trigger variables the server sets to keywords',
    },
    { code: fn("  EXECUTE 'select ' || tbl"), name: 'a body PL/pgSQL rejects yields no finding' },
  ],
  invalid,
});

describe('dynamic-sql-injection rewrites', () => {
  invalid.forEach((c, i) => {
    if (c.output === undefined) return;
    it(`the rewritten body of invalid #${i + 1} is valid PL/pgSQL`, () => {
      const f = findingsOf('dynamic-sql-injection', c);
      const fixed = applyEdits(c.code, f.flatMap((x) => x.fixes?.[0]?.edits ?? []));
      assert.equal(fixed, c.output);
      // The harness re-parses the SQL; the body is PL/pgSQL, which only parsePlpgsql checks.
      const stmt = fixed.slice(Math.max(0, fixed.search(/^(CREATE|DO)\b/m)));
      const parsed = parsePlpgsql(stmt);
      assert.ok(parsed.ok, `PL/pgSQL rejects the rewrite: ${!parsed.ok ? parsed.error.message : ''}`);
      assert.ok(f.every((x) => x.fixes?.every((fx) => fx.snippet === true)), 'rewrites are snippets');
    });
  });
});

describe('dynamic-sql-injection on half-typed code', () => {
  it('flags `EXECUTE || p` (a prefix operator, no left operand) without throwing and offers no rewrite', () => {
    // Found by the property test (seed 4242): the rewrite assumed a left operand.
    const code = fn('  EXECUTE  || tbl;');
    const f = findingsOf('dynamic-sql-injection', { code });
    assert.deepEqual(
      f.map((x) => [x.ruleId, code.slice(x.start, x.end), x.fixes?.length ?? 0]),
      [['dynamic-sql-injection', '|| tbl', 0]],
    );
  });
});

describe('suppressing dynamic-sql-injection inside a function body', () => {
  it('honours a pgwarden-disable-next-line comment inside the dollar-quoted body, as "Disable for this line" writes it', () => {
    const code = fn(['  -- pgwarden-disable-next-line dynamic-sql-injection -- tbl is checked by the caller', "  EXECUTE 'select * from ' || tbl;", "  EXECUTE 'select * from ' || tbl;"].join('\n'));
    const lines = (x: { start: number }) => code.slice(0, x.start).split('\n').length;
    assert.deepEqual(findingsOf('dynamic-sql-injection', { code }).map(lines), [5]);
    assert.deepEqual(findingsOf('unused-suppression', { code }), []);
  });

  it('does not take body text that merely mentions pgwarden- for a directive', () => {
    const code = fn("  EXECUTE 'select ''pgwarden-disable-next-line dynamic-sql-injection'' from ' || tbl;");
    assert.equal(findingsOf('dynamic-sql-injection', { code }).length, 1);
  });
});

describe('dynamic-sql-injection and bodies without the word EXECUTE', () => {
  // The rule skips the PL/pgSQL parse of a body whose decoded text never says EXECUTE;
  // these prove the check reads the decoded body, in any letter case, for both forms.
  it('still flags EXECUTE spelled with an escape in an E-string body', () => {
    const code = "CREATE FUNCTION f(tbl text) RETURNS void LANGUAGE plpgsql AS E'BEGIN \\x45XECUTE ''select * from '' || tbl; END';";
    assert.deepEqual(findingsOf('dynamic-sql-injection', { code }).map((x) => x.ruleId), ['dynamic-sql-injection']);
  });

  it('still flags ExEcUtE in mixed case, in a DO block', () => {
    const code = "DO $$DECLARE t text := current_setting('app.t'); BEGIN ExEcUtE 'drop table ' || t; END$$;";
    assert.deepEqual(findingsOf('dynamic-sql-injection', { code }).map((x) => x.ruleId), ['dynamic-sql-injection']);
  });

  it('finds nothing in a body without the word', () => {
    assert.deepEqual(findingsOf('dynamic-sql-injection', { code: fn("  PERFORM 'select * from ' || tbl;") }), []);
  });
});
