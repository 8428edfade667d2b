import { ruleTester } from './harness';

ruleTester('superuser-use', {
  valid: [
    'SET ROLE app_writer;',
    { code: 'RESET ROLE;', name: 'RESET goes back to the session user' },
    { code: 'SET ROLE NONE;', name: 'NONE is not a role' },
    { code: 'SET SESSION AUTHORIZATION DEFAULT;', name: 'DEFAULT is not a role' },
    { code: 'SET ROLE "Postgres";', name: 'a quoted mixed-case name is another role' },
    { code: 'SET ROLE :target;', name: 'a psql variable is decided at run time' },
    { code: 'GRANT app_reader TO alice;', name: 'an ordinary role' },
    { code: 'REVOKE postgres FROM alice;', name: 'revoking superuser membership' },
    { code: 'CREATE ROLE admin NOSUPERUSER;\nSET ROLE admin;', name: 'NOSUPERUSER role' },
    { code: 'SET ROLE admin;', files: { 'other.sql': 'CREATE ROLE admin LOGIN;' }, name: 'created elsewhere without SUPERUSER' },
    "SELECT 'SET ROLE postgres';",
    { code: 'CREATE ROLE alice IN ROLE app_readers;', name: 'IN ROLE of an ordinary role' },
    { code: 'CREATE ROLE team ROLE alice, bob;', name: 'members of an ordinary new role' },
    '-- SET ROLE postgres\nSELECT 1;',
    { code: "SELECT plan(3);\nSET ROLE postgres;\nSELECT ok(true);\nSELECT * FROM finish();", name: 'pgTAP switches to the superuser to set up its scenario' },
    { code: 'SET ROLE postgres;', path: 'supabase/tests/07_definer_isolation.test.sql', name: 'a file named like a test' },
    { code: 'SET SESSION AUTHORIZATION postgres;', path: 'test/sql/permissions.sql', name: 'a file in a test folder' },
  ],
  invalid: [
    {
      code: 'GRANT postgres TO authenticator;',
      path: 'supabase/tests/26_privileges.test.sql',
      name: 'membership in a superuser is reported in tests too',
      errors: [{ line: 1, column: 7, endColumn: 15 }],
    },
    {
      code: 'SET ROLE postgres;',
      path: 'supabase/migrations/20240101_setup.sql',
      name: 'a migration is not a test',
      errors: [{ line: 1, column: 10, endColumn: 18 }],
    },
    {
      code: 'CREATE ROLE alice LOGIN IN ROLE readers, postgres;',
      name: 'CREATE ROLE ... IN ROLE a superuser',
      errors: [{ line: 1, column: 42, endColumn: 50, message: 'IN ROLE makes "alice" a member that can SET ROLE "postgres"' }],
    },
    {
      code: 'create user bob in group dba;',
      name: 'IN GROUP, the superuser from another file',
      files: { 'roles.sql': 'CREATE ROLE dba SUPERUSER;' },
      errors: [{ line: 1, column: 26, endColumn: 29 }],
    },
    {
      code: 'CREATE ROLE dba SUPERUSER ROLE alice, "Bob";',
      name: 'members of a new superuser role',
      errors: [
        { line: 1, column: 32, endColumn: 37, message: '"dba" is a superuser: this makes "alice" a member' },
        { line: 1, column: 39, endColumn: 44, message: '"Bob"' },
      ],
    },
    {
      code: 'SET ROLE postgres;',
      errors: [{ line: 1, column: 10, endColumn: 18, message: 'SET ROLE "postgres" makes this session run as a superuser (the bootstrap superuser)' }],
    },
    {
      code: "set session authorization 'postgres';",
      name: 'SET SESSION AUTHORIZATION with a literal, lower case',
      errors: [{ line: 1, column: 27, endColumn: 37, message: 'SET SESSION AUTHORIZATION "postgres"' }],
    },
    {
      code: 'SET LOCAL ROLE dba;',
      name: 'a superuser created in another file',
      files: { 'roles.sql': 'CREATE ROLE dba WITH SUPERUSER LOGIN;' },
      errors: [{ line: 1, column: 16, endColumn: 19, message: 'created or altered WITH SUPERUSER in the workspace' }],
    },
    {
      code: 'SET ROLE ops;',
      name: 'a superuser from pgwarden.json',
      config: { superusers: ['ops'] },
      errors: [{ line: 1, column: 10, endColumn: 13, message: 'listed under "superusers" in pgwarden.json' }],
    },
    {
      code: 'ALTER ROLE dba SUPERUSER;\nSET ROLE "dba";',
      name: 'ALTER ROLE ... SUPERUSER in the same file, quoted name',
      errors: [{ line: 2, column: 10, endColumn: 15 }],
    },
    {
      code: "ALTER ROLE app SET role = 'postgres';",
      name: 'a role whose every session becomes superuser',
      errors: [{ line: 1, column: 27, endColumn: 37, message: 'every session of role "app"' }],
    },
    {
      code: 'ALTER DATABASE appdb SET session_authorization TO postgres;',
      errors: [{ line: 1, column: 51, endColumn: 59, message: 'every session in database "appdb"' }],
    },
    {
      code: 'GRANT postgres TO alice;',
      errors: [{ line: 1, column: 7, endColumn: 15, message: 'membership lets "alice" SET ROLE "postgres"' }],
    },
    {
      code: "SELECT '🙂日本'; GRANT readers, \"dba\", ops TO bob, carol;",
      name: 'several granted roles after emoji and CJK, one cross-file, one configured',
      files: { 'roles.sql': 'create role dba superuser;' },
      config: { superusers: ['ops'] },
      errors: [
        { line: 1, column: 31, endColumn: 36, message: 'lets "bob", "carol"' },
        { line: 1, column: 38, endColumn: 41 },
      ],
    },
  ],
});
