import assert from 'node:assert/strict';
import { applyEdits } from '../../../server/src/core/fix';
import { parsePlpgsql } from '../../../server/src/core/sql/parser';
import { LineIndex } from '../../../server/src/core/text';
import { findingsOf, InvalidCase, ruleTester } from './harness';

const fn = (body: string, params = 'tbl text, id int', decl = '', returns = 'void') =>
  `CREATE FUNCTION f(${params}) RETURNS ${returns} LANGUAGE plpgsql AS $fn$\n${decl ? `DECLARE ${decl}\n` : ''}BEGIN\n${body}\nEND $fn$;`;
const doBlock = (decl: string, body: string) => `DO $$\nDECLARE ${decl}\nBEGIN\n${body}\nEND $$;`;

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
    code: fn("  LOOP\n    EXECUTE c;\n    EXIT;\n  END LOOP;\n  c := b || ' cascade';\n  b := 'drop table ' || a;\n  a := tbl;", 'tbl text', 'a text; b text; c text;'),
    name: 'taint carried through three variables assigned after the EXECUTE, in reverse order',
    errors: [{ line: 5, column: 13, endColumn: 14, message: 'c (built from tbl)' }],
  },
  {
    code: "DO $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT relname FROM pg_class LOOP\n    EXECUTE 'analyze ' || r.relname;\n  END LOOP;\nEND $$;",
    name: 'DO block, a catalog name read into a record',
    errors: [{ line: 5, column: 13, endColumn: 36, message: 'built from r.relname without', severity: 'warning' }],
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
    name: 'a single-quoted body: the exact expression, doubled quotes included; no rewrite',
    errors: [{ line: 3, column: 11, endColumn: 36 }],
  },
  {
    code: "CREATE FUNCTION f(tbl text) RETURNS void LANGUAGE plpgsql AS E'BEGIN \\x45XECUTE ''select * from '' || tbl; \\n\\tEXECUTE ''drop table '' || tbl; END';",
    name: 'an E-string body with escapes before and between the queries: exact columns on the document',
    errors: [
      { line: 1, column: 81, endColumn: 106 },
      { line: 1, column: 120, endColumn: 142 },
    ],
  },
  {
    code: "DO $$DECLARE t text := current_setting('app.t'); BEGIN ExEcUtE 'drop table ' || t; END$$;",
    name: 'ExEcUtE in mixed case in a DO block; a setting the caller chooses',
    errors: [{ line: 1, column: 64, endColumn: 82, message: 't (from current_setting()) without quoting: a value holding a quote or a semicolon changes the statement. The block runs with the rights of whoever runs it', severity: 'info' }],
    output: "DO $$DECLARE t text := current_setting('app.t'); BEGIN ExEcUtE format('drop table %I', t); END$$;",
  },
  {
    code: fn("  EXECUTE 'select 100% from ' || coalesce(tbl, 'x');"),
    name: 'a percent sign is escaped in the format string',
    errors: [{ line: 3, column: 11 }],
    output: fn("  EXECUTE format('select 100%% from %I', coalesce(tbl, 'x'));"),
  },
  {
    code: "CREATE FUNCTION f(tbl text) RETURNS void LANGUAGE plpgsql AS -- the body:\n$$\nBEGIN\n  EXECUTE 'select * from ' || tbl;\nEND $$;",
    name: 'a comment between AS and the body: the finding is on the EXECUTE, not on the statement',
    errors: [{ line: 4, column: 11, endColumn: 34 }],
    output: "CREATE FUNCTION f(tbl text) RETURNS void LANGUAGE plpgsql AS -- the body:\n$$\nBEGIN\n  EXECUTE format('select * from %I', tbl);\nEND $$;",
  },
  {
    code: "CREATE FUNCTION f(tbl text) RETURNS void AS /* $x$ not a tag */ $b$BEGIN EXECUTE 'select * from ' || tbl; END$b$ LANGUAGE plpgsql;",
    name: 'a block comment holding a dollar tag between AS and the body',
    errors: [{ line: 1, column: 82, endColumn: 105 }],
    output: "CREATE FUNCTION f(tbl text) RETURNS void AS /* $x$ not a tag */ $b$BEGIN EXECUTE format('select * from %I', tbl); END$b$ LANGUAGE plpgsql;",
  },
  {
    code: "DO -- maintenance\n$$DECLARE r record; BEGIN FOR r IN SELECT nspname FROM pg_namespace LOOP EXECUTE 'grant usage on schema ' || r.nspname || ' to app'; END LOOP; END$$;",
    name: 'a comment between DO and the body',
    errors: [{ line: 2, column: 82, endColumn: 132 }],
    output: "DO -- maintenance\n$$DECLARE r record; BEGIN FOR r IN SELECT nspname FROM pg_namespace LOOP EXECUTE format('grant usage on schema %I to app', r.nspname); END LOOP; END$$;",
  },
  // Real patterns from extension scripts.
  {
    code: fn("  EXECUTE format('DELETE FROM pgmq.q_%s', queue_name);", 'queue_name text'),
    name: "a queue name spliced into a table name with format's %s",
    errors: [{ line: 3, column: 11, endColumn: 54, message: 'built from queue_name without', severity: 'info' }],
  },
  {
    code: fn(
      "  EXECUTE FORMAT(\n    $QUERY$\n    UPDATE public.part_config SET retention = '%s' WHERE parent_table = 'pgmq.q_%s';\n    $QUERY$,\n    retention_interval, queue_name\n  );",
      'queue_name text, retention_interval text',
    ),
    name: "hand-made quotes around %s ('%s' instead of %L)",
    errors: [{ line: 3, column: 11, endLine: 8, endColumn: 4, message: 'built from retention_interval, queue_name without' }],
  },
  {
    code: fn(
      "  EXECUTE 'ALTER TABLE ' || qualified || ' RENAME TO ' || old_name;",
      'table_name text',
      "old_name text := pgmq.format_table_name(table_name, 'a') || '_old';\n  qualified text := format('pgmq.%I', pgmq.format_table_name(table_name, 'a'));",
    ),
    name: 'a name through a user function and concatenation is still the parameter; a %I-quoted one is not',
    errors: [{ line: 5, column: 11, endColumn: 67, message: 'built from old_name (from table_name) without' }],
    output: fn(
      "  EXECUTE format('ALTER TABLE %s RENAME TO %I', qualified, old_name);",
      'table_name text',
      "old_name text := pgmq.format_table_name(table_name, 'a') || '_old';\n  qualified text := format('pgmq.%I', pgmq.format_table_name(table_name, 'a'));",
    ),
  },
  {
    code: fn("  EXECUTE 'ALTER INDEX pgmq.archived_at_idx_' || table_name || ' RENAME TO archived_at_idx_' || table_name || '_old';", 'table_name text'),
    name: 'a parameter glued into a longer name: flagged, and no rewrite (neither %I nor %L keeps one name)',
    errors: [{ line: 3, column: 11, message: 'built from table_name without' }],
  },
  {
    code: fn("  EXECUTE 'DELETE FROM t WHERE name = ''' || (payload->>'name') || '''';", 'payload jsonb'),
    name: 'text extracted from a jsonb parameter',
    errors: [{ line: 3, column: 11, endColumn: 72, message: 'built from payload without' }],
    output: fn("  EXECUTE format('DELETE FROM t WHERE name = %L', (payload->>'name'));", 'payload jsonb'),
  },
  {
    code: fn("  EXECUTE 'DELETE FROM log WHERE at < ''' || since || '''';", 'since timestamptz'),
    name: 'timestamptz text ends with the TimeZone abbreviation, which the caller sets',
    errors: [{ line: 3, column: 11, message: 'built from since without' }],
    output: fn("  EXECUTE format('DELETE FROM log WHERE at < %L', since);", 'since timestamptz'),
  },
  {
    code: fn("  EXECUTE format('ANALYZE %s', array_to_string(rels, ', '));", 'rels regclass[]'),
    name: 'an array of regclass is not safe: array output re-quotes quoted names',
    errors: [{ line: 3, column: 11, message: 'built from rels without' }],
  },
  {
    code: fn(
      "  SELECT * INTO STRICT rule FROM pgsodium.masking_rule WHERE attrelid = relid;\n  body = format($c$ CREATE OR REPLACE FUNCTION %s.%s_encrypt_secret() RETURNS trigger LANGUAGE plpgsql AS $t$ BEGIN RETURN new; END; $t$; $c$, rule.relnamespace, rule.relname);\n  EXECUTE body;",
      'relid oid',
      'body text;\n  rule pgsodium.masking_rule;',
    ),
    name: 'a record filled by SELECT *: its name fields are stored text, its OID-like fields are not',
    errors: [{ line: 7, column: 11, endColumn: 15, message: 'body (built from rule.relname) without' }],
  },
  {
    code: fn(
      "  SELECT string_agg(cs.segmentby_column, ',') INTO segmentby_columns\n    FROM (SELECT unnest(segmentby) FROM _timescaledb_catalog.compression_settings) AS cs(segmentby_column);\n  EXECUTE format('CREATE INDEX ON %s (%s, _ts_meta_sequence_num);', rel, segmentby_columns);",
      'rel regclass',
      'segmentby_columns text;',
    ),
    name: 'column names read from a table and joined unquoted with string_agg',
    errors: [{ line: 6, column: 11, message: 'built from segmentby_columns (from cs.segmentby_column) without', severity: 'warning' }],
  },
  {
    code: fn(
      "  FOR index_name IN SELECT format('%s.%s', i.schemaname, i.indexname) FROM pg_indexes i LOOP\n    EXECUTE format('DROP INDEX %s;', index_name);\n  END LOOP;",
      '',
      'index_name text;',
    ),
    name: "catalog names joined with format's %s in the loop's query",
    errors: [{ line: 5, column: 13, message: 'built from index_name (from i.schemaname, i.indexname) without' }],
  },
  {
    code: doBlock('r record;', "  FOR r IN SELECT format('ANALYZE %s.%s', n.nspname, c.relname) AS stmt FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LOOP\n    EXECUTE r.stmt;\n  END LOOP;"),
    name: 'a statement the loop query built from catalog names, executed whole',
    errors: [{ line: 5, column: 13, endColumn: 19, message: 'r.stmt (built from n.nspname, c.relname) without' }],
  },
  {
    code: `${fn(
      "  SELECT string_agg(attname, ',') INTO cols FROM pg_attribute WHERE attrelid = (schema_name || '.t')::regclass;\n  EXECUTE format('CREATE INDEX ON %s.t (%s)', schema_name, cols);",
      'schema_name text',
      'cols text;',
    )}\nSELECT f(nspname) FROM pg_namespace;\nDROP FUNCTION f(text);`,
    name: 'a helper its script creates, calls and drops: its arguments are the script\'s own, what it reads from the catalog is not',
    errors: [{ line: 5, column: 11, message: 'built from cols (from attname) without', severity: 'warning' }],
  },
  {
    code: fn("  EXECUTE format('DELETE FROM pgmq.q_%s', tbl);", 'tbl text'),
    files: { 'a-install.sql': "CREATE FUNCTION f(tbl text) RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE format('DELETE FROM pgmq.%I', 'q_' || tbl); END $$;" },
    name: 'an upgrade script that replaces a safe body with an unsafe one',
    errors: [{ line: 3, column: 11, message: 'built from tbl without' }],
  },
  {
    code: fn("  EXECUTE 'GRANT SELECT ON t TO ' || who;", 'who text', '', 'void SECURITY DEFINER'),
    name: 'SECURITY DEFINER: the message says whose rights the statement runs with',
    errors: [{ line: 3, column: 11, message: "SECURITY DEFINER: the statement runs with its owner's rights", severity: 'warning' }],
    output: fn("  EXECUTE format('GRANT SELECT ON t TO %I', who);", 'who text', '', 'void SECURITY DEFINER'),
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
    fn("  EXECUTE 'select * from t where u = ''' || u || ''' and d > ''' || d || '''';", 'u uuid, d date'),
    fn("  EXECUTE 'select 1';"),
    { code: fn('  EXECUTE tbl;'), name: 'a caller-given statement is not concatenation' },
    { code: fn('  q := tbl;\n  EXECUTE q;', 'tbl text', 'q text;'), name: 'a caller-given statement passed on whole through a variable' },
    { code: fn("  EXECUTE 'select 1 order by 1 ' || dir;", 'tbl text', "dir text := 'ASC';"), name: 'a variable only ever given constants' },
    {
      code: fn("  dir := CASE WHEN id > 0 THEN 'ASC' ELSE 'DESC' END;\n  EXECUTE 'select 1 order by 1 ' || dir;", 'tbl text, id int', 'dir text;'),
      name: 'a variable assigned a CASE whitelist of constants',
    },
    { code: fn("  q := format('drop table %I', tbl);\n  EXECUTE q;", 'tbl text', 'q text;'), name: 'a variable built safely' },
    {
      code: fn("  EXECUTE format(fmt, tbl, id);", 'tbl text, id int', "fmt text := 'SELECT * FROM %I WHERE id = %L';"),
      name: 'a constant format string held in a variable',
    },
    {
      code: fn("  EXECUTE 'ALTER TABLE ' || qualified || ' OWNER TO app';", 'tbl text', "qualified text := format('pgmq.%I', tbl);"),
      name: 'a name quoted with %I in the declaration',
    },
    {
      code: fn(
        "  FOR column_name, column_type IN SELECT attname, atttypid::regtype FROM pg_attribute WHERE attrelid = hypertable LOOP\n    cmd := format('ALTER TABLE %s ADD COLUMN %I %s', hypertable, column_name, column_type);\n    EXECUTE cmd;\n  END LOOP;",
        'hypertable regclass',
        'column_name name; column_type regtype; cmd text;',
      ),
      name: 'regclass and regtype variables with %s, a catalog name with %I',
    },
    {
      code: fn(
        "  FOR r IN SELECT pg_catalog.format('%I.%I', c.schema_name, c.table_name) AS chunk_table, cc.constraint_name AS old_name FROM _timescaledb_catalog.chunk_constraint cc JOIN _timescaledb_catalog.chunk c ON c.id = cc.chunk_id LOOP\n    EXECUTE pg_catalog.format('ALTER TABLE %s RENAME CONSTRAINT %I TO %I', r.chunk_table, r.old_name, r.old_name || '_old');\n  END LOOP;",
        '',
        'r record;',
      ),
      name: "a record field the loop's query quoted with format('%I.%I')",
    },
    {
      code: doBlock(
        'func text;',
        "  FOREACH func IN ARRAY ARRAY['crypto_secretbox(bytea, bytea, bytea)', 'crypto_auth(bytea, bytea)'] LOOP\n    EXECUTE pg_catalog.format($i$ REVOKE ALL ON FUNCTION %s FROM PUBLIC; GRANT EXECUTE ON FUNCTION %s TO keyholder; $i$, func, func);\n  END LOOP;",
      ),
      name: 'FOREACH over an array of constants',
    },
    {
      code: doBlock(
        'compressed_relations text[]; rel text;',
        "  SELECT array_agg(format('%I.%I', schema_name, table_name)) INTO compressed_relations FROM _timescaledb_catalog.hypertable;\n  FOREACH rel IN ARRAY compressed_relations LOOP\n    EXECUTE format('DROP TABLE IF EXISTS %s', rel);\n  END LOOP;",
      ),
      name: 'FOREACH over an array of names quoted by the query that built it',
    },
    {
      code: fn(
        "  SELECT DISTINCT(quote_ident(relname)) INTO STRICT view_name FROM pg_class c WHERE c.oid = relid;\n  source_name := relid::regclass;\n  EXECUTE format('DROP VIEW IF EXISTS masks.%s; CREATE VIEW masks.%s AS SELECT * FROM %s', view_name, view_name, source_name);",
        'relid oid',
        'view_name text; source_name text;',
      ),
      name: 'quote_ident in SELECT INTO; a text variable given a regclass',
    },
    {
      code: doBlock(
        'index_name name; cmd text; idx regclass;',
        "  SELECT relname INTO STRICT index_name FROM pg_class WHERE oid = idx;\n  cmd := pg_get_indexdef(idx);\n  cmd := replace(cmd, format(' INDEX %s ON ', index_name), ' INDEX ON ');\n  EXECUTE cmd;",
      ),
      name: "server-generated SQL; replace() drops its search argument, which holds the raw name",
    },
    {
      code: fn(
        "  IF samplerate < 100 THEN\n    v_sample_clause := format(' TABLESAMPLE BERNOULLI(%s)', samplerate);\n  END IF;\n  SELECT ' + (' || string_agg(format('pg_column_size(%I)', attname), ' + ') || ')' FROM pg_attribute INTO v_varlen_query WHERE attrelid = rel;\n  EXECUTE format('SELECT (1 %s) FROM %s%s', v_varlen_query, rel, v_sample_clause) INTO total;",
        'rel regclass, samplerate double precision, OUT total bigint',
        "v_varlen_query text := ''; v_sample_clause text := '';",
      ),
      name: 'text variables built only from numbers, %I-quoted names and a regclass',
    },
    {
      code: fn(
        "  SELECT string_agg(quote_ident(c), ', ') INTO cols FROM unnest(columns) c;\n  EXECUTE 'SELECT ' || cols || ' FROM t';\n  EXECUTE 'SELECT ' || array_to_string(array(SELECT quote_ident(x) FROM unnest(columns) x), ', ') || ' FROM t';",
        'columns text[]',
        'cols text;',
      ),
      name: 'string_agg and array_to_string of quoted names',
    },
    {
      code: fn(
        "  FOR acl IN SELECT e.grantee, e.privilege_type FROM pg_catalog.aclexplode(acl_in) e LOOP\n    EXECUTE format('GRANT %s ON t TO %s', acl.privilege_type, quote_ident(pg_catalog.pg_get_userbyid(acl.grantee)));\n  END LOOP;",
        'acl_in aclitem[]',
        'acl record;',
      ),
      name: "aclexplode's privilege keywords",
    },
    { code: fn("  EXECUTE 'SELECT count(*) FROM ' || to_regclass(tbl);"), name: 'to_regclass() validates the name' },
    {
      code: doBlock('r record;', "  FOR r IN SELECT format('CREATE TABLE fuzzysearch.unknown_table_%s ()', n) AS ct FROM generate_series(1, 499) n LOOP\n    EXECUTE r.ct;\n  END LOOP;"),
      name: 'statements built by the loop query from generate_series numbers',
    },
    {
      code: "DO $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT oid::regclass AS rel FROM pg_class WHERE relkind = 'r' LOOP\n    EXECUTE format('ANALYZE %s', r.rel);\n  END LOOP;\nEND $$;",
      name: 'the docs example: a catalog OID cast to regclass',
    },
    {
      code: fn("  EXECUTE format('SELECT count(*) FROM %s WHERE name = $1', tbl) INTO n USING name;", 'tbl regclass, name text', 'n bigint;'),
      name: 'the docs example: a regclass parameter and USING',
    },
    {
      code: fn("  EXECUTE format('DELETE FROM pgmq.q_%s', tbl);", 'tbl text'),
      files: { 'z-upgrade.sql': "CREATE OR REPLACE FUNCTION f(tbl text) RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE format('DELETE FROM pgmq.%I', 'q_' || tbl); END $$;" },
      name: 'a body a later upgrade script replaces (same signature) is history: the final body is judged',
    },
    {
      code: fn("  EXECUTE format('DELETE FROM pgmq.q_%s', tbl);", 'tbl text'),
      files: { 'z-upgrade.sql': 'DROP FUNCTION f(text);' },
      name: 'a function a later file drops',
    },
    {
      code: `${fn("  EXECUTE format('DELETE FROM pgmq.q_%s', tbl);", 'tbl text')}\nCREATE OR REPLACE FUNCTION f(tbl text) RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE format('DELETE FROM pgmq.%I', 'q_' || tbl); END $$;`,
      name: 'a body replaced later in the same file',
    },
    {
      code: `${fn("  EXECUTE format('ALTER TABLE %s.%s ADD COLUMN n int', s, t);", 's text, t text')}\nSELECT f(schema_name, table_name) FROM _timescaledb_catalog.chunk;\nDROP FUNCTION f(text, text);`,
      name: 'a helper its script creates, calls and drops: no caller but the script passes it arguments',
    },
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

describe('dynamic-sql-injection severity', () => {
  const severity = (code: string) => findingsOf('dynamic-sql-injection', { code }).map((f) => (f as { severity?: string }).severity);

  it("is info when a SECURITY INVOKER function splices its caller's own argument", () => {
    assert.deepEqual(severity(fn("  EXECUTE format('DELETE FROM pgmq.q_%s', queue_name);", 'queue_name text')), ['info']);
  });

  it('is a warning in a SECURITY DEFINER function', () => {
    assert.deepEqual(severity(fn("  EXECUTE 'GRANT SELECT ON t TO ' || who;", 'who text', '', 'void SECURITY DEFINER')), ['warning']);
  });

  it('is a warning for text read from the database, even with the caller\'s rights', () => {
    const code = "DO $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT relname FROM pg_class LOOP\n    EXECUTE 'analyze ' || r.relname;\n  END LOOP;\nEND $$;";
    assert.deepEqual(severity(code), ['warning']);
    const f = findingsOf('dynamic-sql-injection', { code })[0];
    assert.match(f.message, /read from the database, so whoever wrote it chooses what runs here, with the rights of whoever runs this script/);
  });

  it('follows the configured severity over its own choice', () => {
    const code = fn("  EXECUTE format('DELETE FROM pgmq.q_%s', queue_name);", 'queue_name text');
    const f = findingsOf('dynamic-sql-injection', { code, config: { rules: { 'dynamic-sql-injection': 'error' } } });
    assert.deepEqual(f.map((x) => (x as { severity?: string }).severity), ['error']);
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

describe('dynamic-sql-injection positions', () => {
  const at = (code: string) => {
    const lines = new LineIndex(code);
    return findingsOf('dynamic-sql-injection', { code }).map((f) => {
      const s = lines.positionAt(f.start);
      return `${s.line + 1}:${s.character + 1} ${code.slice(f.start, f.end)}`;
    });
  };

  it('puts two identical queries on one line each on its own text', () => {
    const code = fn("  EXECUTE 'drop table ' || tbl; EXECUTE 'drop table ' || tbl;");
    assert.deepEqual(at(code), ["3:11 'drop table ' || tbl", "3:41 'drop table ' || tbl"]);
  });

  it('maps a query after a \\u escape that decodes to a surrogate pair in an E-string body', () => {
    const code = "CREATE FUNCTION f(tbl text) RETURNS void LANGUAGE plpgsql AS E'BEGIN RAISE NOTICE ''\\U0001F642''; EXECUTE ''drop table '' || tbl; END';";
    assert.deepEqual(at(code), ["1:107 ''drop table '' || tbl"]);
  });
});

describe('dynamic-sql-injection and bodies without the word EXECUTE', () => {
  it('finds nothing in a body without the word', () => {
    assert.deepEqual(findingsOf('dynamic-sql-injection', { code: fn("  PERFORM 'select * from ' || tbl;") }), []);
  });
});
