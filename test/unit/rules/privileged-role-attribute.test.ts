import { ruleTester } from './harness';

ruleTester('privileged-role-attribute', {
  valid: [
    'CREATE ROLE app LOGIN;',
    { code: 'CREATE ROLE app NOCREATEROLE NOBYPASSRLS NOREPLICATION;', name: 'the NO forms' },
    { code: 'ALTER ROLE app WITH nocreaterole;', name: 'NO form, lower case, after WITH' },
    { code: 'CREATE ROLE app CREATEDB NOSUPERUSER;', name: 'CREATEDB is not in the list' },
    "SELECT 'CREATE ROLE x CREATEROLE';",
    '/* ALTER ROLE x BYPASSRLS */ SELECT 1;',
  ],
  invalid: [
    {
      code: 'CREATE ROLE admin CREATEROLE;',
      errors: [{ line: 1, column: 19, endColumn: 29, message: 'Role "admin" is given CREATEROLE' }],
      output: 'CREATE ROLE admin NOCREATEROLE;',
    },
    {
      code: 'create user etl with login bypassrls replication;',
      name: 'lower case after WITH, two attributes',
      errors: [
        { line: 1, column: 28, endColumn: 37, message: 'ignores every row-level security policy' },
        { line: 1, column: 38, endColumn: 49, message: 'stream a copy of every row' },
      ],
      output: 'create user etl with login nobypassrls noreplication;',
    },
    {
      code: 'ALTER ROLE reporter WITH\n  BYPASSRLS;',
      errors: [{ line: 2, column: 3, endColumn: 12, message: 'Role "reporter"' }],
      output: 'ALTER ROLE reporter WITH\n  NOBYPASSRLS;',
    },
    {
      code: "SELECT '日本語'; ALTER USER \"Ümit\" ReplicaTion;",
      name: 'mixed case and CJK before',
      errors: [{ line: 1, column: 33, endColumn: 44, message: 'Role "Ümit"' }],
      output: "SELECT '日本語'; ALTER USER \"Ümit\" NOREPLICATION;",
    },
    {
      code: 'CREATE ROLE :name WITH CREATEROLE;',
      name: 'psql variable role name',
      errors: [{ line: 1, column: 24, endColumn: 34, message: 'Role :name is given CREATEROLE' }],
      output: 'CREATE ROLE :name WITH NOCREATEROLE;',
    },
  ],
});
