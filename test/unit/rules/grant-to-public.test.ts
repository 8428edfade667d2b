import { ruleTester } from './harness';

ruleTester('grant-to-public', {
  valid: [
    'GRANT SELECT ON t TO app_reader;',
    'REVOKE ALL ON t FROM PUBLIC;',
    { code: 'GRANT SELECT ON t TO "PUBLIC";', name: 'a quoted upper-case PUBLIC is an ordinary role' },
    "SELECT 'GRANT SELECT ON t TO PUBLIC';",
    '-- GRANT SELECT ON t TO PUBLIC\nSELECT 1;',
    'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;',
  ],
  invalid: [
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
