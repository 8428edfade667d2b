import assert from 'node:assert/strict';
import * as pg from 'libpg-query';
import { defaultConfig } from '../../../server/src/core/config';
import { analyzeSql, lintAnalyzedSql } from '../../../server/src/core/lint';
import { loadParser } from '../../../server/src/core/sql/parser';
import { CatalogFacts, Workspace } from '../../../server/src/core/workspace';
import { QUOTED_KEYWORDS, quoteIdent, quoteQualified } from '../../../server/src/core/sql/quote';
import { ruleTester } from './harness';

/** rls.schemas naming every schema of the cases: the project says every table needs RLS. */
const schemas = { rlsSchemas: ['public', 'app', 'App'] };

/** A Supabase-style project: RLS on one table, a policy for the API roles. */
const supabase = { 'a_profiles.sql': 'CREATE TABLE public.profiles (id uuid, bio text);\nALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;\nCREATE POLICY "own profile" ON public.profiles FOR SELECT TO authenticated USING (id = auth.uid());' };

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
    { code: 'CREATE TABLE users (id bigint primary key, name text);\nGRANT SELECT ON users TO app;', name: 'a project that uses no RLS at all (authelia, nakama, umami, pgvector)' },
    {
      code: 'CREATE TABLE vault.secrets (id uuid, secret text);\nREVOKE ALL ON vault.secrets FROM PUBLIC;\nGRANT ALL ON vault.secrets TO pgsodium_keyiduser;',
      files: supabase,
      name: 'RLS is used elsewhere, but no role the policies name and not PUBLIC can reach this private table',
    },
    {
      code: 'CREATE TABLE app.t (a int);\nGRANT SELECT ON app.t TO authenticated;',
      files: { ...supabase, 'zz_rls.sql': "DO $$ BEGIN EXECUTE 'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY'; END $$;" },
      name: 'RLS enabled on the table by a DO block in another file',
    },
    { code: 'CREATE TABLE app.jobs (a int);\nGRANT SELECT ON app.jobs TO authenticated;\nALTER TABLE app.jobs ENABLE ROW LEVEL SECURITY;', files: supabase, name: 'enabled later in the same file' },
    { code: 'CREATE TABLE private.audit (a int);', files: supabase, name: 'a schema other than public, granted to no one' },
    {
      code: 'create table blog(id int primary key, owner_id int);\ngrant all on blog to anon;',
      path: 'test/sql/row_level_security.sql',
      files: supabase,
      name: 'a pg_regress test builds its own scenario',
    },
    {
      code: 'CREATE TABLE app.docs (a int);\nGRANT SELECT ON app.docs TO auditor;',
      files: { 'test/sql/rls.sql': 'CREATE TABLE app.x (a int);\nALTER TABLE app.x ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON app.x TO auditor USING (true);' },
      name: 'RLS used only by a test file does not make the project an RLS project',
    },
  ],
  invalid: [
    {
      code: 'CREATE TABLE public.documents (id uuid, owner uuid);\nCREATE POLICY "owner reads" ON public.documents FOR SELECT TO authenticated USING (owner = auth.uid());',
      name: 'policies but RLS never enabled: the policies do nothing',
      errors: [{ line: 1, column: 14, endColumn: 30, message: 'Table public.documents has no row-level security, so its policy "owner reads" does nothing' }],
      output:
        'CREATE TABLE public.documents (id uuid, owner uuid);\nALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;\nCREATE POLICY "owner reads" ON public.documents FOR SELECT TO authenticated USING (owner = auth.uid());',
    },
    {
      code: 'CREATE TABLE app.notes (id int, body text);\nGRANT SELECT, INSERT ON app.notes TO authenticated;',
      files: supabase,
      name: 'granted to a role the policies name',
      errors: [{ line: 1, column: 14, endColumn: 23, message: '"authenticated", which the project\'s policies restrict elsewhere, holds privileges on it' }],
      output: 'CREATE TABLE app.notes (id int, body text);\nALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;\nGRANT SELECT, INSERT ON app.notes TO authenticated;',
    },
    {
      code: 'CREATE TABLE net.http_request_queue (id bigint, headers jsonb);\nGRANT ALL ON ALL TABLES IN SCHEMA net TO PUBLIC;',
      files: supabase,
      name: 'granted to PUBLIC through ALL TABLES IN SCHEMA',
      errors: [{ line: 1, column: 14, endColumn: 36, message: 'while PUBLIC holds privileges on it, in a project that protects its tables with row-level security: every role sees and changes every row' }],
      output: 'CREATE TABLE net.http_request_queue (id bigint, headers jsonb);\nALTER TABLE net.http_request_queue ENABLE ROW LEVEL SECURITY;\nGRANT ALL ON ALL TABLES IN SCHEMA net TO PUBLIC;',
    },
    {
      code: 'CREATE TABLE uaccount (pguser name primary key, seclv int);\nGRANT SELECT ON uaccount TO public;',
      files: supabase,
      name: 'PUBLIC holds SELECT only: every role reads every row (the message says no more)',
      errors: [{ line: 1, column: 14, endColumn: 22, message: 'every role reads every row' }],
      output: 'CREATE TABLE uaccount (pguser name primary key, seclv int);\nALTER TABLE uaccount ENABLE ROW LEVEL SECURITY;\nGRANT SELECT ON uaccount TO public;',
    },
    {
      code: 'create table public.chats (id uuid primary key, user_id uuid not null, name text);',
      files: supabase,
      name: "a Supabase table in schema public: the platform grants it to anon and authenticated",
      errors: [{ line: 1, column: 14, endColumn: 26, message: "Supabase's API roles" }],
      output: 'create table public.chats (id uuid primary key, user_id uuid not null, name text);\nALTER TABLE public.chats ENABLE ROW LEVEL SECURITY;',
    },
    {
      config: schemas,
      code: 'CREATE TABLE t (a int);',
      errors: [{ line: 1, column: 14, endColumn: 15, message: 'ALTER TABLE t ENABLE ROW LEVEL SECURITY' }],
      output: 'CREATE TABLE t (a int);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;',
    },
    {
      config: schemas,
      code: 'CREATE UNLOGGED TABLE IF NOT EXISTS "App"."Order Items" (a int); -- orders\nSELECT 1;',
      name: 'quoted qualified unlogged table, trailing comment stays on its line',
      errors: [{ line: 1, column: 37, endColumn: 56 }],
      output: 'CREATE UNLOGGED TABLE IF NOT EXISTS "App"."Order Items" (a int); -- orders\nALTER TABLE "App"."Order Items" ENABLE ROW LEVEL SECURITY;\nSELECT 1;',
    },
    {
      config: schemas,
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
      config: schemas,
      code: 'SELECT 1 AS a INTO copy_of_a;',
      name: 'SELECT INTO',
      errors: [{ line: 1, column: 20, endColumn: 29 }],
      output: 'SELECT 1 AS a INTO copy_of_a;\nALTER TABLE copy_of_a ENABLE ROW LEVEL SECURITY;',
    },
    {
      config: schemas,
      code: 'CREATE TABLE m (a int) PARTITION BY LIST (a)',
      name: 'a partitioned parent, no semicolon at the end of the file',
      errors: [{ line: 1, column: 14, endColumn: 15 }],
      output: 'CREATE TABLE m (a int) PARTITION BY LIST (a);\nALTER TABLE m ENABLE ROW LEVEL SECURITY;',
    },
    {
      config: schemas,
      code: 'CREATE TABLE t (a int);\r\nSELECT 1;\r\n',
      name: 'CRLF line endings are kept',
      errors: [{ line: 1, column: 14 }],
      output: 'CREATE TABLE t (a int);\r\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\r\nSELECT 1;\r\n',
    },
    {
      config: schemas,
      code: 'CREATE TABLE app.t (a int);',
      files: { 'other.sql': 'ALTER TABLE billing.t ENABLE ROW LEVEL SECURITY;' },
      name: 'RLS on a table of the same name in another schema does not count',
      errors: [{ line: 1, column: 14, endColumn: 19, message: 'Table app.t' }],
      output: 'CREATE TABLE app.t (a int);\nALTER TABLE app.t ENABLE ROW LEVEL SECURITY;',
    },
    {
      config: schemas,
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
      config: schemas,
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
    // rls-not-forced is off by default; it is switched on here to see the catalog's FORCE
    // count. rls.schemas makes every table of schema app need RLS, whatever the files use.
    return lintAnalyzedSql(a, ws, { ...defaultConfig(), rlsSchemas: ['app'], rules: { 'rls-not-forced': 'info' } })
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
