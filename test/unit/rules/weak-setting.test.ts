import assert from 'node:assert/strict';
import { parseBool } from '../../../server/src/core/sql/rules/weak-setting';
import { ruleTester } from './harness';

ruleTester('weak-setting', {
  valid: [
    "ALTER SYSTEM SET password_encryption = 'scram-sha-256';",
    { code: "SET password_encryption = 'on';", name: "'on' is rejected from PostgreSQL 14, so it is not md5 there" },
    { code: 'ALTER SYSTEM SET ssl = on;', name: 'ssl on' },
    { code: "ALTER SYSTEM SET ssl = 'o';", name: "'o' is ambiguous, the server rejects it" },
    { code: "ALTER SYSTEM SET ssl_min_protocol_version = 'TLSv1.2';", name: 'TLS 1.2' },
    { code: "ALTER SYSTEM SET ssl_max_protocol_version = 'TLSv1';", name: 'the maximum is another setting' },
    { code: 'ALTER SYSTEM SET log_statement = ddl;', name: 'log_statement ddl' },
    { code: 'ALTER SYSTEM RESET log_connections;', name: 'RESET' },
    { code: 'SET row_security TO DEFAULT;', name: 'DEFAULT' },
    { code: "SET log_connections = '';", name: 'an empty list turns logging off only from 18' },
    { code: "SET row_security = :'rls';", name: 'a psql variable' },
    { code: 'SET application_name = off;', name: 'another setting' },
    "SELECT 'ALTER SYSTEM SET ssl = off';",
    "SELECT set_config('row_security', 'on', false);",
    {
      code: "--\n-- PostgreSQL database dump\n--\n\nSET client_encoding = 'UTF8';\nSET row_security = off;",
      name: "pg_dump's preamble",
    },
    { code: '-- restore helper\nSET row_security = off;', name: "a session's own row_security off, dump banner or not: its queries fail where policies apply, they see no more rows" },
    { code: 'SET LOCAL row_security = no;', name: 'the same for one transaction (the RLS regression test)' },
  ],
  invalid: [
    {
      code: "--\n-- PostgreSQL database dump\n--\nSET row_security = off;\nSET log_statement = 'none';",
      name: 'a dump is still checked for other settings',
      errors: [{ line: 5, column: 21, message: 'log_statement' }],
      output: "--\n-- PostgreSQL database dump\n--\nSET row_security = off;\nSET log_statement = 'ddl';",
    },
    {
      code: "ALTER ROLE reporting SET row_security = off;",
      name: 'row_security off as a role default is still reported',
      errors: [{ line: 1, column: 41, endColumn: 44, message: 'for role "reporting"' }],
      output: 'ALTER ROLE reporting SET row_security = on;',
    },
    {
      code: "ALTER SYSTEM SET password_encryption = 'md5';",
      errors: [{ line: 1, column: 40, endColumn: 45, message: 'password_encryption = md5 for the whole server stores new passwords as MD5 hashes' }],
      output: "ALTER SYSTEM SET password_encryption = 'scram-sha-256';",
    },
    {
      code: 'set password_encryption to MD5;',
      name: 'bare enum value, any case',
      errors: [{ line: 1, column: 28, endColumn: 31, message: 'for this session' }],
      output: "set password_encryption to 'scram-sha-256';",
    },
    {
      code: 'SET password_encryption = on;',
      name: 'on meant md5 up to PostgreSQL 13',
      config: { postgresVersion: 13 },
      errors: [{ line: 1, column: 27, endColumn: 29 }],
      output: "SET password_encryption = 'scram-sha-256';",
    },
    {
      code: 'ALTER SYSTEM SET ssl = OFF;',
      errors: [{ line: 1, column: 24, endColumn: 27, message: 'turns TLS off' }],
      output: 'ALTER SYSTEM SET ssl = ON;',
    },
    {
      code: "ALTER SYSTEM SET ssl TO 'of';",
      name: 'an unambiguous prefix of off',
      errors: [{ line: 1, column: 25, endColumn: 29 }],
      output: "ALTER SYSTEM SET ssl TO 'on';",
    },
    {
      code: 'alter system set ssl_min_protocol_version = tlsv1;',
      name: 'a bare TLSv1 becomes a quoted TLSv1.2',
      errors: [{ line: 1, column: 45, endColumn: 50, message: 'TLS 1.0 and 1.1' }],
      output: "alter system set ssl_min_protocol_version = 'TLSv1.2';",
    },
    {
      code: "ALTER SYSTEM SET ssl_min_protocol_version = E'TLSv1.1';",
      errors: [{ line: 1, column: 45, endColumn: 55 }],
      output: "ALTER SYSTEM SET ssl_min_protocol_version = 'TLSv1.2';",
    },
    {
      code: "ALTER SYSTEM SET ssl_min_protocol_version = '';",
      name: 'the empty value accepts every version',
      errors: [{ line: 1, column: 45, endColumn: 47, message: 'every TLS version' }],
      output: "ALTER SYSTEM SET ssl_min_protocol_version = 'TLSv1.2';",
    },
    {
      code: 'ALTER ROLE app SET log_connections = false;',
      errors: [{ line: 1, column: 38, endColumn: 43, message: 'for role "app"' }],
      output: 'ALTER ROLE app SET log_connections = on;',
    },
    {
      code: "SET log_connections = '';",
      name: 'an empty list from PostgreSQL 18',
      config: { postgresVersion: 18 },
      errors: [{ line: 1, column: 23, endColumn: 25 }],
      output: "SET log_connections = 'on';",
    },
    {
      code: 'ALTER DATABASE appdb SET log_disconnections TO 0;',
      name: 'an integer',
      errors: [{ line: 1, column: 48, endColumn: 49, message: 'for database "appdb"' }],
      output: 'ALTER DATABASE appdb SET log_disconnections TO on;',
    },
    {
      code: "ALTER ROLE ALL IN DATABASE appdb SET log_statement = 'NONE';",
      errors: [{ line: 1, column: 54, endColumn: 60, message: 'for every role in database "appdb"' }],
      output: "ALTER ROLE ALL IN DATABASE appdb SET log_statement = 'ddl';",
    },
    {
      code: 'SET LOCAL password_encryption = md5;',
      errors: [{ line: 1, column: 33, endColumn: 36, message: 'for this transaction' }],
      output: "SET LOCAL password_encryption = 'scram-sha-256';",
    },
    {
      code: "CREATE FUNCTION f() RETURNS int LANGUAGE sql\n  SET row_security = off AS 'SELECT 1';",
      name: 'a function SET clause',
      errors: [{ line: 2, column: 22, endColumn: 25, message: 'while the function runs' }],
      output: "CREATE FUNCTION f() RETURNS int LANGUAGE sql\n  SET row_security = on AS 'SELECT 1';",
    },
    {
      code: "SELECT '日本語🙂'; /* 😀 */ ALTER SYSTEM SET ssl = 'false';",
      name: 'after CJK, emoji and a comment',
      errors: [{ line: 1, column: 49, endColumn: 56 }],
      output: "SELECT '日本語🙂'; /* 😀 */ ALTER SYSTEM SET ssl = 'on';",
    },
  ],
});

describe('weak-setting booleans', () => {
  it('reads booleans like PostgreSQL', () => {
    for (const f of ['off', 'OFF', 'of', 'false', 'f', 'fal', 'no', 'n', '0']) assert.equal(parseBool(f), false, f);
    for (const t of ['on', 'true', 't', 'yes', 'y', '1', 'TRUE']) assert.equal(parseBool(t), true, t);
    for (const x of ['o', '', 'offf', '2', 'nope']) assert.equal(parseBool(x), undefined, x);
  });
});
