import { ruleTester } from './harness';

ruleTester('grant-to-public', {
  valid: [
    { code: 'GRANT USAGE ON LANGUAGE c TO PUBLIC; -- fail\nGRANT SELECT, INSERT ON LARGE OBJECT 1001 TO PUBLIC;\t-- to be failed', name: 'statements the script expects PostgreSQL to reject (pg_regress) grant nothing' },
    'GRANT SELECT ON t TO app_reader;',
    'REVOKE ALL ON t FROM PUBLIC;',
    { code: 'GRANT SELECT ON t TO "PUBLIC";', name: 'a quoted upper-case PUBLIC is an ordinary role' },
    "SELECT 'GRANT SELECT ON t TO PUBLIC';",
    '-- GRANT SELECT ON t TO PUBLIC\nSELECT 1;',
    'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;',
    {
      code: 'CREATE SCHEMA _cat;\nCREATE TABLE _cat.hypertable (id int, table_name name);\nGRANT USAGE ON SCHEMA _cat TO PUBLIC;\nGRANT SELECT ON ALL TABLES IN SCHEMA _cat TO PUBLIC;\nGRANT SELECT ON _cat.hypertable TO PUBLIC;',
      path: 'updates/2.13.1--2.14.0.sql',
      name: "an extension's catalogue readable by every role, as pg_catalog is (timescaledb)",
    },
  ],
  invalid: [
    {
      code: 'GRANT SELECT ON t TO PUBLIC; -- failover replicas read it too',
      name: 'a comment that only starts with the letters of fail is no expected failure',
      errors: [{ line: 1, column: 22, endColumn: 28 }],
      output: 'GRANT SELECT ON t TO app_role; -- failover replicas read it too',
    },
    {
      code: 'CREATE TABLE app.tokens (id int, api_key text);\nGRANT SELECT ON app.tokens TO PUBLIC;',
      path: 'app--1.0.sql',
      name: 'an extension table with a column named like a secret is no catalogue',
      errors: [{ line: 2, column: 31, endColumn: 37, severity: 'warning' }],
      output: 'CREATE TABLE app.tokens (id int, api_key text);\nGRANT SELECT ON app.tokens TO app_role;',
    },
    {
      code: 'CREATE SCHEMA s;\nCREATE FUNCTION s.create_key() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = \'\' AS $$ SELECT 1 $$;\nGRANT USAGE ON SCHEMA s TO PUBLIC;',
      path: 'pgsodium--2.0.2--3.0.0.sql',
      name: 'USAGE on an extension schema whose SECURITY DEFINER function PUBLIC may call (pgsodium)',
      errors: [{ line: 3, column: 28, endColumn: 34 }],
      output: "CREATE SCHEMA s;\nCREATE FUNCTION s.create_key() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ SELECT 1 $$;\nGRANT USAGE ON SCHEMA s TO app_role;",
    },
    {
      code: 'CREATE SCHEMA net;\nCREATE TABLE net.http_request_queue (id int);\nGRANT USAGE ON SCHEMA net TO PUBLIC;\nGRANT SELECT ON ALL TABLES IN SCHEMA net TO PUBLIC;\nGRANT ALL ON ALL TABLES IN SCHEMA net TO PUBLIC;',
      path: 'pg_net--0.11.0--0.12.0.sql',
      name: 'USAGE on an extension schema where PUBLIC may write a table, and the ALL grant itself (pg_net)',
      errors: [{ line: 3, column: 30 }, { line: 5, column: 42 }],
      output: 'CREATE SCHEMA net;\nCREATE TABLE net.http_request_queue (id int);\nGRANT USAGE ON SCHEMA net TO app_role;\nGRANT SELECT ON ALL TABLES IN SCHEMA net TO PUBLIC;\nGRANT ALL ON ALL TABLES IN SCHEMA net TO app_role;',
    },
    {
      code: 'CREATE TABLE public.profiles (id uuid, bio text);\nALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;\nCREATE POLICY own ON public.profiles FOR SELECT USING (id = auth.uid());\nGRANT SELECT ON public.profiles TO PUBLIC;',
      name: 'a table whose rows RLS filters is info',
      errors: [{ line: 4, column: 36, endColumn: 42, severity: 'info', message: 'row-level security on public.profiles still decides which rows' }],
      output:
        'CREATE TABLE public.profiles (id uuid, bio text);\nALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;\nCREATE POLICY own ON public.profiles FOR SELECT USING (id = auth.uid());\nGRANT SELECT ON public.profiles TO app_role;',
    },
    {
      code: 'CREATE TABLE t (a int);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\nGRANT SELECT ON t TO PUBLIC;',
      name: 'RLS without a policy filters nothing in: still a warning',
      errors: [{ line: 3, column: 22, severity: 'warning' }],
      output: 'CREATE TABLE t (a int);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\nGRANT SELECT ON t TO app_role;',
    },
    {
      code: 'GRANT SELECT ON t TO PUBLIC;',
      errors: [{ line: 1, column: 22, endColumn: 28, message: 'every role' }],
      output: 'GRANT SELECT ON t TO app_role;',
    },
    {
      code: 'GRANT SELECT ON t TO "public";',
      name: 'quoted lower-case public is still PUBLIC',
      errors: [{ line: 1, column: 22, endColumn: 30 }],
      output: 'GRANT SELECT ON t TO app_role;',
    },
    {
      code: "SELECT '日本語🙂';\nGRANT USAGE ON SCHEMA s TO alice, public;",
      name: 'positions after CJK and emoji',
      errors: [{ line: 2, column: 35, endColumn: 41 }],
      output: "SELECT '日本語🙂';\nGRANT USAGE ON SCHEMA s TO alice, app_role;",
    },
    {
      code: 'ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO PUBLIC;',
      errors: [{ line: 1, column: 64, message: 'ALTER DEFAULT PRIVILEGES' }],
      output: 'ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO app_role;',
    },
  ],
});
