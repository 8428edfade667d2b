import { ruleTester } from './harness';

ruleTester('grant-option', {
  valid: [
    { code: "GRANT regress_priv_role TO regress_priv_user1 WITH ADMIN OPTION GRANTED BY regress_priv_role; -- error, doesn't have ADMIN OPTION", name: 'expected to fail (pg_regress)' },
    { code: 'GRANT SELECT ON vault.secrets TO bob WITH GRANT OPTION;', path: 'test/fixtures.sql', name: 'a test file builds the grants it checks' },
    'GRANT SELECT ON t TO alice;',
    { code: 'REVOKE GRANT OPTION FOR SELECT ON t FROM alice;', name: 'revoking the grant option' },
    { code: 'REVOKE ADMIN OPTION FOR admins FROM alice;', name: 'revoking the admin option' },
    { code: 'GRANT admins TO alice WITH ADMIN FALSE;', name: 'ADMIN FALSE' },
    { code: 'GRANT admins TO alice WITH INHERIT FALSE, SET TRUE;', name: 'other membership options' },
    "SELECT 'WITH GRANT OPTION';",
    { code: 'CREATE ROLE team ROLE alice;', name: 'CREATE ROLE ... ROLE gives plain membership' },
    '-- GRANT SELECT ON t TO alice WITH GRANT OPTION\nSELECT 1;',
    { code: 'GRANT ALL ON SCHEMA auth TO postgres WITH GRANT OPTION;', name: 'a superuser may grant everything anyway (Supabase setup scripts)' },
    { code: 'GRANT ALL ON ALL TABLES IN SCHEMA auth TO dba WITH GRANT OPTION;', files: { 'r.sql': 'CREATE ROLE dba SUPERUSER;' }, name: 'a superuser created in the workspace' },
    { code: 'GRANT app_admin TO postgres WITH ADMIN OPTION;', name: 'ADMIN option to a superuser' },
  ],
  invalid: [
    {
      code: 'CREATE ROLE team NOLOGIN ADMIN alice, bob IN ROLE staff;',
      name: 'CREATE ROLE ... ADMIN members',
      errors: [{ line: 1, column: 26, endColumn: 42, message: 'ADMIN "alice", "bob" gives membership in the new role "team" with the admin option' }],
      output: 'CREATE ROLE team NOLOGIN IN ROLE staff;',
    },
    {
      code: 'GRANT SELECT ON t TO alice WITH GRANT OPTION;',
      errors: [{ line: 1, column: 28, endColumn: 45, message: 'lets "alice" re-grant these privileges' }],
      output: 'GRANT SELECT ON t TO alice;',
    },
    {
      code: 'grant select on t to alice\n  with   grant   option granted by bob;',
      name: 'lower case, spread over lines, GRANTED BY kept',
      errors: [{ line: 2, column: 3, endLine: 2, endColumn: 24 }],
      output: 'grant select on t to alice granted by bob;',
    },
    {
      code: 'ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO app WITH GRANT OPTION;',
      errors: [{ line: 1, column: 56, endColumn: 73, message: 'every object created later' }],
      output: 'ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO app;',
    },
    {
      code: 'GRANT admins TO alice WITH ADMIN OPTION;',
      errors: [{ line: 1, column: 28, endColumn: 40, message: 'lets "alice" grant and revoke membership in "admins"' }],
      output: 'GRANT admins TO alice;',
    },
    {
      code: 'GRANT admins TO alice WITH ADMIN TRUE, INHERIT FALSE;',
      name: 'ADMIN TRUE first among options',
      errors: [{ line: 1, column: 28, endColumn: 38 }],
      output: 'GRANT admins TO alice WITH INHERIT FALSE;',
    },
    {
      code: 'GRANT admins TO alice WITH INHERIT FALSE, admin true;',
      name: 'admin true last, lower case',
      errors: [{ line: 1, column: 43, endColumn: 53 }],
      output: 'GRANT admins TO alice WITH INHERIT FALSE;',
    },
    {
      code: "SELECT '🙂🙂'; GRANT USAGE ON SCHEMA \"日本\" TO bob WITH GRANT OPTION;",
      name: 'positions after emoji and CJK',
      errors: [{ line: 1, column: 50, endColumn: 67 }],
      output: "SELECT '🙂🙂'; GRANT USAGE ON SCHEMA \"日本\" TO bob;",
    },
    {
      code: 'GRANT SELECT ON t TO :reader WITH GRANT OPTION;',
      name: 'psql variable grantee',
      errors: [{ line: 1, column: 30, endColumn: 47, message: 'lets :reader re-grant' }],
      output: 'GRANT SELECT ON t TO :reader;',
    },
  ],
});
