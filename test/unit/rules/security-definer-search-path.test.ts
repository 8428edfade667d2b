import { ruleTester } from './harness';

ruleTester('security-definer-search-path', {
  valid: [
    {
      code: 'CREATE OR REPLACE FUNCTION net.http_delete(url text) RETURNS bigint LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;',
      path: 'pg_net--0.6--0.7.sql',
      files: { 'pg_net--0.14.0--0.15.0.sql': 'DROP FUNCTION net.http_delete(text);\nCREATE FUNCTION net.http_delete(url text, body jsonb) RETURNS bigint LANGUAGE sql AS $$ SELECT 1 $$;' },
      name: 'a later migration drops this signature (pg_net)',
    },
    { code: 'CREATE FUNCTION c.f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;', path: '__tests__/kitchen-sink-schema.sql', name: 'a test schema is not deployed' },
    { code: "CREATE FUNCTION app.pay(int) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$ SELECT 1 $$;", name: 'public on PostgreSQL 15+: only the database owner may create in it' },
    { code: "CREATE SCHEMA util;\nGRANT CREATE ON SCHEMA util TO PUBLIC;\nCREATE FUNCTION app.pay(int) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;", name: 'the writable schema is not on its path' },
    { code: "CREATE SCHEMA util;\nGRANT CREATE ON SCHEMA util TO PUBLIC;\nCREATE FUNCTION app.pay(int) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = util, pg_temp AS $$ SELECT 1 $$;\nALTER FUNCTION app.pay(int) SET search_path = pg_catalog, pg_temp;", name: 'a later ALTER FUNCTION pins a safe path' },
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;',
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql SET search_path TO app, pg_temp SECURITY DEFINER AS $$ SELECT 1 $$;',
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path FROM CURRENT AS $$ SELECT 1 $$;',
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;',
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY INVOKER AS $$ SELECT 1 $$;',
    {
      code: 'CREATE FUNCTION app.f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;',
      files: { 'z-later.sql': 'ALTER FUNCTION app.f() SET search_path = pg_catalog;' },
      name: 'search_path set by ALTER FUNCTION in another file',
    },
    {
      code: 'ALTER FUNCTION net.http_get(url text) SECURITY DEFINER;',
      path: 'pg_net--0.3--0.4.sql',
      files: {
        'pg_net--0.1--0.2.sql': 'CREATE FUNCTION net.http_get(url text) RETURNS bigint LANGUAGE sql AS $$ SELECT 1 $$;',
        'pg_net--0.11.0--0.12.0.sql': 'ALTER FUNCTION net.http_get(url text) SECURITY INVOKER;',
      },
      name: 'a later upgrade script makes the function SECURITY INVOKER: the final state has no definer (pg_net)',
    },
    {
      code: 'CREATE FUNCTION app.f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;\nCREATE OR REPLACE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;',
      name: 'replaced later in the file by a SECURITY INVOKER body',
    },
    {
      code: 'CREATE FUNCTION dogrant_ok() RETURNS void LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;\nSELECT dogrant_ok();\nDROP FUNCTION dogrant_ok();',
      name: 'dropped later in the same file (a test that cleans up)',
    },
    {
      code: 'CREATE FUNCTION has_role() RETURNS boolean LANGUAGE sql SECURITY DEFINER AS $$ SELECT true $$;',
      path: 'supabase_rbac--0.0.1.sql',
      files: { 'supabase_rbac--5.2.1.sql': 'CREATE FUNCTION has_role() RETURNS boolean LANGUAGE sql SECURITY DEFINER SET search_path = rbac AS $$ SELECT true $$;' },
      name: 'an install script that a newer install script of the same extension supersedes',
    },
    'ALTER FUNCTION f(int) SECURITY DEFINER SET search_path = pg_catalog;',
    'ALTER FUNCTION f(int) SECURITY INVOKER;',
    "SELECT 'CREATE FUNCTION f() SECURITY DEFINER';",
  ],
  invalid: [
    {
      code: 'CREATE FUNCTION has_role() RETURNS boolean LANGUAGE sql SECURITY DEFINER AS $$ SELECT true $$;',
      path: 'supabase_rbac--5.2.1.sql',
      files: { 'supabase_rbac--0.0.1.sql': 'CREATE FUNCTION has_role() RETURNS boolean LANGUAGE sql SECURITY DEFINER SET search_path = rbac AS $$ SELECT true $$;' },
      name: 'the newest install script is the extension\'s state, whatever older ones did',
      errors: [{ line: 1, column: 57, endColumn: 73 }],
      output: 'CREATE FUNCTION has_role() RETURNS boolean LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT true $$;',
    },
    {
      code: 'CREATE OR REPLACE FUNCTION pgbouncer.get_auth(p_username text) RETURNS text LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;',
      files: { 'z-kube-example.sql': 'CREATE OR REPLACE FUNCTION pgbouncer.get_auth(p_username text) RETURNS text LANGUAGE sql SECURITY DEFINER AS $$ SELECT 2 $$;' },
      name: 'the same unsafe definition repeated in another file (examples side by side) is reported in each',
      errors: [{ line: 1, column: 90, endColumn: 106 }],
      output: 'CREATE OR REPLACE FUNCTION pgbouncer.get_auth(p_username text) RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;',
    },
    {
      code: 'CREATE FUNCTION reset_max_rows_config() RETURNS void LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;',
      files: { 'z-spec-database.sql': 'DROP SCHEMA IF EXISTS public CASCADE;' },
      name: 'a DROP SCHEMA ... CASCADE in another plain file (a fixture resetting the schema) does not settle it',
      errors: [{ line: 1, column: 67 }],
      output: 'CREATE FUNCTION reset_max_rows_config() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;',
    },
    {
      code: 'CREATE FUNCTION app.f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;\nALTER FUNCTION app.f() SET work_mem = \'64MB\';',
      name: 'a later ALTER FUNCTION that sets something else leaves the finding on the CREATE',
      errors: [{ line: 1, column: 50 }],
      output: "CREATE FUNCTION app.f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;\nALTER FUNCTION app.f() SET work_mem = '64MB';",
    },
    {
      code: 'CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;',
      errors: [{ line: 1, column: 46, endColumn: 62, message: 'Function f is SECURITY DEFINER without SET search_path' }],
      output: 'CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;',
    },
    {
      code: "CREATE OR REPLACE PROCEDURE app.p(a int)\n  LANGUAGE plpgsql\n  EXTERNAL  SECURITY\n  DEFINER\nAS $$ BEGIN RAISE NOTICE 'x'; END $$;",
      name: 'procedure, EXTERNAL SECURITY DEFINER over two lines',
      errors: [{ line: 3, column: 3, endLine: 4, endColumn: 10, message: 'Procedure app.p' }],
      output:
        "CREATE OR REPLACE PROCEDURE app.p(a int)\n  LANGUAGE plpgsql\n  EXTERNAL  SECURITY\n  DEFINER SET search_path = pg_catalog, pg_temp\nAS $$ BEGIN RAISE NOTICE 'x'; END $$;",
    },
    {
      code: 'ALTER FUNCTION app.f(int) SECURITY DEFINER;',
      name: 'ALTER FUNCTION ... SECURITY DEFINER',
      errors: [{ line: 1, column: 27, endColumn: 43 }],
      output: 'ALTER FUNCTION app.f(int) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;',
    },
    {
      code: 'CREATE FUNCTION app.f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;\nALTER FUNCTION app.f() RESET search_path;',
      files: { 'other.sql': 'ALTER FUNCTION billing.f() SET search_path = pg_catalog;' },
      name: 'RESET is not SET, and another schema\'s function does not count',
      errors: [{ line: 1, column: 50 }],
      output:
        'CREATE FUNCTION app.f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;\nALTER FUNCTION app.f() RESET search_path;',
    },
    {
      code: "/* SECURITY DEFINER */ CREATE FUNCTION f() RETURNS text LANGUAGE sql\n-- SECURITY DEFINER\nAS 'select ''SECURITY DEFINER''' SECURITY DEFINER;",
      name: 'the keywords in comments and strings are skipped',
      errors: [{ line: 3, column: 34, endColumn: 50 }],
      output:
        "/* SECURITY DEFINER */ CREATE FUNCTION f() RETURNS text LANGUAGE sql\n-- SECURITY DEFINER\nAS 'select ''SECURITY DEFINER''' SECURITY DEFINER SET search_path = pg_catalog, pg_temp;",
    },
    {
      code: "CREATE FUNCTION app.pay(int) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$ SELECT app.debit($1) $$;",
      files: { 'schema.sql': 'GRANT CREATE ON SCHEMA public TO PUBLIC;' },
      name: 'a pinned path that lists a schema PUBLIC may create in',
      errors: [{ line: 1, column: 73, endColumn: 88, message: 'Function app.pay is SECURITY DEFINER and its search_path lists schema public, where PUBLIC may create objects' }],
    },
    {
      code: "CREATE SCHEMA util;\nGRANT CREATE ON SCHEMA util TO app_writer;\nCREATE FUNCTION app.pay(int) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, util, pg_temp AS $$ SELECT 1 $$;",
      name: 'a schema a named role may create in',
      errors: [{ line: 3, column: 73, endColumn: 88, message: 'lists schema util, where "app_writer" may create objects' }],
    },
  ],
});
