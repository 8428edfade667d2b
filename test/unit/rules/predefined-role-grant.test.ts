import { ruleTester } from './harness';

ruleTester('predefined-role-grant', {
  valid: [
    'GRANT pg_monitor TO monitoring;',
    { code: 'GRANT pg_read_all_settings, pg_signal_backend TO ops;', name: 'other predefined roles' },
    { code: 'REVOKE pg_read_server_files FROM etl;', name: 'revoking' },
    { code: 'GRANT "PG_READ_ALL_DATA" TO etl;', name: 'a quoted upper-case name is another role' },
    { code: 'GRANT SELECT ON pg_read_all_data TO etl;', name: 'a table that happens to carry the name' },
    "SELECT 'GRANT pg_write_all_data TO x';",
    { code: 'CREATE ROLE etl IN ROLE pg_monitor;', name: 'IN ROLE of a harmless predefined role' },
  ],
  invalid: [
    {
      code: 'CREATE ROLE backup LOGIN IN ROLE pg_read_all_data, pg_monitor;',
      name: 'CREATE ROLE ... IN ROLE',
      errors: [{ line: 1, column: 34, endColumn: 50, message: 'lets "backup" read every table' }],
    },
    {
      code: 'GRANT pg_execute_server_program TO etl;',
      errors: [{ line: 1, column: 7, endColumn: 32, message: 'Membership in pg_execute_server_program lets "etl" run any program on the database server' }],
    },
    {
      code: 'grant pg_read_all_data, "pg_write_all_data" to reporting with inherit true;',
      name: 'two roles, one quoted, lower case',
      errors: [
        { line: 1, column: 7, endColumn: 23, message: 'read every table' },
        { line: 1, column: 25, endColumn: 44, message: 'insert, update and delete' },
      ],
    },
    {
      code: "SELECT '日本🙂';\nGRANT app_reader, pg_read_server_files, pg_write_server_files TO loader;",
      name: 'after CJK and emoji, on line 2',
      errors: [
        { line: 2, column: 19, endColumn: 39, message: 'read any file' },
        { line: 2, column: 41, endColumn: 62, message: 'write any file' },
      ],
    },
    {
      code: 'GRANT /* pg_read_all_data */ pg_write_all_data TO :grantee;',
      name: 'a comment with another role name, psql variable grantee',
      errors: [{ line: 1, column: 30, endColumn: 47 }],
    },
  ],
});
