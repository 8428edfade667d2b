import assert from 'node:assert/strict';
import * as pg from 'libpg-query';
import { defaultConfig } from '../../../server/src/core/config';
import { analyzeSql, lintAnalyzedSql } from '../../../server/src/core/lint';
import { loadParser } from '../../../server/src/core/sql/parser';
import { CatalogFacts, Workspace } from '../../../server/src/core/workspace';
import { QUOTED_KEYWORDS, quoteIdent, quoteQualified } from '../../../server/src/core/sql/quote';
import { ruleTester } from './harness';

ruleTester('missing-rls', {
  valid: [
    'CREATE TABLE t (a int);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;',
    { code: 'CREATE TABLE app.t (a int);', files: { 'later.sql': 'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;' }, name: 'RLS enabled in another file' },
    { code: 'CREATE TABLE app.t (a int);', files: { 'later.sql': 'ALTER TABLE t ENABLE ROW LEVEL SECURITY;' }, name: 'an unqualified ENABLE matches a qualified table' },
    { code: 'CREATE TABLE "Order Items" (a int);\nALTER TABLE "Order Items" ENABLE ROW LEVEL SECURITY;', name: 'quoted name' },
    'CREATE TEMP TABLE scratch (a int);',
    'CREATE TEMPORARY TABLE scratch AS SELECT 1 AS a;',
    'SELECT 1 AS a INTO TEMP scratch;',
    'CREATE TABLE pg_temp.scratch (a int);',
    { code: 'CREATE TABLE m_1 PARTITION OF m FOR VALUES IN (1);', name: 'a partition is read through its parent' },
    'CREATE MATERIALIZED VIEW mv AS SELECT 1 AS a;',
    'CREATE VIEW v AS SELECT 1 AS a;',
    { code: 'CREATE TABLE audit.log (a int);', config: { rlsSchemas: ['app'] }, name: 'schema out of rls.schemas' },
    { code: 'CREATE TABLE t (a int);', config: { rlsSchemas: ['app'] }, name: 'unqualified counts as public, out of scope' },
    { code: 'CREATE SCHEMA audit CREATE TABLE log (a int);', config: { rlsSchemas: ['app'] }, name: 'CREATE SCHEMA of a schema out of scope' },
    { code: 'CREATE SCHEMA app CREATE TABLE t (a int);', files: { 'b.sql': 'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;' }, name: 'CREATE SCHEMA table with RLS elsewhere' },
    "SELECT 'CREATE TABLE t (a int)';",
    '-- CREATE TABLE t (a int);\nSELECT 1;',
    'SELECT 1 AS a;',
  ],
  invalid: [
    {
      code: 'CREATE TABLE t (a int);',
      errors: [{ line: 1, column: 14, endColumn: 15, message: 'ALTER TABLE t ENABLE ROW LEVEL SECURITY' }],
      output: 'CREATE TABLE t (a int);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;',
    },
    {
      code: 'CREATE UNLOGGED TABLE IF NOT EXISTS "App"."Order Items" (a int); -- orders\nSELECT 1;',
      name: 'quoted qualified unlogged table, trailing comment stays on its line',
      errors: [{ line: 1, column: 37, endColumn: 56 }],
      output: 'CREATE UNLOGGED TABLE IF NOT EXISTS "App"."Order Items" (a int); -- orders\nALTER TABLE "App"."Order Items" ENABLE ROW LEVEL SECURITY;\nSELECT 1;',
    },
    {
      code: 'CREATE TABLE "user" (a int);\nCREATE TABLE "select" (a int);',
      name: 'keywords are quoted in the fix',
      errors: [{ line: 1, column: 14, endColumn: 20 }, { line: 2, column: 14, endColumn: 22 }],
      output: 'CREATE TABLE "user" (a int);\nALTER TABLE "user" ENABLE ROW LEVEL SECURITY;\nCREATE TABLE "select" (a int);\nALTER TABLE "select" ENABLE ROW LEVEL SECURITY;',
    },
    {
      code: "SELECT '日本語🙂';\nCREATE TABLE app.t AS SELECT 1 AS a;",
      name: 'CREATE TABLE AS, positions after CJK and emoji',
      config: { rlsSchemas: ['app'] },
      errors: [{ line: 2, column: 14, endColumn: 19 }],
      output: "SELECT '日本語🙂';\nCREATE TABLE app.t AS SELECT 1 AS a;\nALTER TABLE app.t ENABLE ROW LEVEL SECURITY;",
    },
    {
      code: 'SELECT 1 AS a INTO copy_of_a;',
      name: 'SELECT INTO',
      errors: [{ line: 1, column: 20, endColumn: 29 }],
      output: 'SELECT 1 AS a INTO copy_of_a;\nALTER TABLE copy_of_a ENABLE ROW LEVEL SECURITY;',
    },
    {
      code: 'CREATE TABLE m (a int) PARTITION BY LIST (a)',
      name: 'a partitioned parent, no semicolon at the end of the file',
      errors: [{ line: 1, column: 14, endColumn: 15 }],
      output: 'CREATE TABLE m (a int) PARTITION BY LIST (a);\nALTER TABLE m ENABLE ROW LEVEL SECURITY;',
    },
    {
      code: 'CREATE TABLE t (a int);\r\nSELECT 1;\r\n',
      name: 'CRLF line endings are kept',
      errors: [{ line: 1, column: 14 }],
      output: 'CREATE TABLE t (a int);\r\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\r\nSELECT 1;\r\n',
    },
    {
      code: 'CREATE TABLE app.t (a int);',
      files: { 'other.sql': 'ALTER TABLE billing.t ENABLE ROW LEVEL SECURITY;' },
      name: 'RLS on a table of the same name in another schema does not count',
      errors: [{ line: 1, column: 14, endColumn: 19, message: 'Table app.t' }],
      output: 'CREATE TABLE app.t (a int);\nALTER TABLE app.t ENABLE ROW LEVEL SECURITY;',
    },
    {
      code: 'CREATE SCHEMA app\n  CREATE TABLE t (a int)\n  CREATE TABLE "U" (b int) CREATE VIEW v AS SELECT 1;\nALTER TABLE app.t ENABLE ROW LEVEL SECURITY;',
      name: 'tables created inside CREATE SCHEMA belong to that schema',
      errors: [{ line: 3, column: 16, endColumn: 19, message: 'Table app.U' }],
      output:
        'CREATE SCHEMA app\n  CREATE TABLE t (a int)\n  CREATE TABLE "U" (b int) CREATE VIEW v AS SELECT 1;\nALTER TABLE app."U" ENABLE ROW LEVEL SECURITY;\nALTER TABLE app.t ENABLE ROW LEVEL SECURITY;',
    },
    {
      code: 'CREATE SCHEMA AUTHORIZATION bob CREATE TABLE t (a int);',
      name: 'CREATE SCHEMA AUTHORIZATION names the schema after the role',
      config: { rlsSchemas: ['bob'] },
      errors: [{ line: 1, column: 46, message: 'Table bob.t' }],
      output: 'CREATE SCHEMA AUTHORIZATION bob CREATE TABLE t (a int);\nALTER TABLE bob.t ENABLE ROW LEVEL SECURITY;',
    },
    {
      code: 'CREATE TABLE t (a int);',
      name: 'FORCE alone does not enable RLS',
      files: { 'other.sql': 'ALTER TABLE t FORCE ROW LEVEL SECURITY;' },
      errors: [{ line: 1, column: 14 }],
      output: 'CREATE TABLE t (a int);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;',
    },
  ],
});

describe('quoteIdent', () => {
  before(() => loadParser());

  it('leaves plain lower-case names bare and quotes the rest', () => {
    assert.equal(quoteIdent('orders'), 'orders');
    assert.equal(quoteIdent('Orders'), '"Orders"');
    assert.equal(quoteIdent('order items'), '"order items"');
    assert.equal(quoteIdent('a"b'), '"a""b"');
    assert.equal(quoteIdent('1abc'), '"1abc"');
    assert.equal(quoteIdent('table'), '"table"');
    assert.equal(quoteIdent('name'), 'name');
    assert.equal(quoteQualified({ schema: 'App', name: 'user' }), '"App"."user"');
  });

  it('quotes exactly the keywords the parser does not take as unreserved', () => {
    // Every word in the list must be a keyword the scanner classes as not unreserved.
    for (const kw of QUOTED_KEYWORDS) {
      const tok = (pg.scanSync(kw) as any).tokens[0];
      assert.notEqual(tok.keywordName, 'NO_KEYWORD', `${kw} is not a keyword`);
      assert.notEqual(tok.keywordName, 'UNRESERVED_KEYWORD', `${kw} is unreserved`);
    }
    // And every reserved word the scanner knows round-trips through quoteIdent as a table name.
    for (const kw of ['all', 'user', 'table', 'join', 'time', 'values', 'verbose', 'system_user']) {
      const sql = `ALTER TABLE ${quoteIdent(kw)} ENABLE ROW LEVEL SECURITY`;
      const parsed = pg.parseSync(sql) as any;
      assert.equal(parsed.stmts[0].stmt.AlterTableStmt.relation.relname, kw);
    }
  });
});

describe('RLS rules with a connected database', () => {
  before(() => loadParser());

  /** Findings of the RLS rules for `code` when the catalog reports the given facts. */
  function lintWithCatalog(code: string, catalog: Partial<CatalogFacts>): string[] {
    const ws = new Workspace();
    const a = analyzeSql('file:///test.sql', code);
    ws.setFile('file:///test.sql', a.facts);
    ws.setCatalog({ superusers: [], roles: [], rlsEnabled: [], rlsForced: [], policies: [], ...catalog });
    // rls-not-forced is off by default; it is switched on here to see the catalog's FORCE count.
    return lintAnalyzedSql(a, ws, { ...defaultConfig(), rules: { 'rls-not-forced': 'info' } })
      .filter((f) => ['missing-rls', 'rls-no-policy', 'rls-not-forced', 'view-bypasses-rls'].includes(f.ruleId))
      .map((f) => f.ruleId);
  }

  it('counts RLS, FORCE and policies the catalog reports', () => {
    assert.deepEqual(lintWithCatalog('CREATE TABLE IF NOT EXISTS app.t (a int);', {}), ['missing-rls']);
    assert.deepEqual(lintWithCatalog('CREATE TABLE IF NOT EXISTS app.t (a int);', { rlsEnabled: [{ schema: 'app', name: 't' }] }), []);
    assert.deepEqual(lintWithCatalog('ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;', {}), ['rls-no-policy', 'rls-not-forced']);
    assert.deepEqual(
      lintWithCatalog('ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;', { policies: [{ schema: 'app', name: 't' }], rlsForced: [{ schema: 'app', name: 't' }] }),
      [],
    );
    assert.deepEqual(lintWithCatalog('CREATE VIEW v AS SELECT * FROM app.t;', { rlsEnabled: [{ schema: 'app', name: 't' }] }), ['view-bypasses-rls']);
  });
});
