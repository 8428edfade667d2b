import assert from 'node:assert/strict';
import { loadParser } from '../../../server/src/core/sql/parser';
import { conninfoHasPassword, passwordVariable } from '../../../server/src/core/sql/rules/hardcoded-password';
import { findingsOf, InvalidCase, ruleTester } from './harness';

const invalid: InvalidCase[] = [
  {
    code: "CREATE ROLE alice LOGIN PASSWORD 'S3cr3t!';",
    errors: [{ line: 1, column: 34, endColumn: 43, message: 'Role "alice" gets a password written in the file' }],
    output: "CREATE ROLE alice LOGIN PASSWORD :'alice_password';",
  },
  {
    code: "alter user \"Bob-X\" with encrypted password E'S3cr3t!\\'s';",
    name: 'ENCRYPTED, an E string with an escaped quote, a name that needs cleaning',
    errors: [{ line: 1, column: 44, endColumn: 57, message: ':\'Bob_X_password\'' }],
    output: "alter user \"Bob-X\" with encrypted password :'Bob_X_password';",
  },
  {
    code: "CREATE ROLE legacy PASSWORD 'MD5ABCDEF0123456789ABCDEF0123456789';",
    name: 'MD5 in upper case is not a hash to PostgreSQL: it is hashed as a plain password',
    errors: [{ line: 1, column: 29, endColumn: 66 }],
    output: "CREATE ROLE legacy PASSWORD :'legacy_password';",
  },
  {
    code: "SELECT '日本語🙂';\nCREATE USER 新人 PASSWORD 'S3cr3t!' VALID UNTIL '2030-01-01';",
    name: 'after CJK and emoji, a CJK role name',
    errors: [{ line: 2, column: 25, endColumn: 34 }],
    output: "SELECT '日本語🙂';\nCREATE USER 新人 PASSWORD :'新人_password' VALID UNTIL '2030-01-01';",
  },
  {
    code: "ALTER ROLE alice PASSWORD $pw$S3cr3t!'s$pw$ VALID UNTIL 'infinity';",
    name: 'a dollar-quoted password',
    errors: [{ line: 1, column: 27, endColumn: 44 }],
    output: "ALTER ROLE alice PASSWORD :'alice_password' VALID UNTIL 'infinity';",
  },
  {
    code: "CREATE ROLE :name LOGIN PASSWORD 'S3cr3t!';",
    name: 'a role named by a psql variable names the password variable after it',
    errors: [{ line: 1, column: 34, endColumn: 43, message: 'Role :name gets' }],
    output: "CREATE ROLE :name LOGIN PASSWORD :'name_password';",
  },
  {
    code: "CREATE USER MAPPING FOR app SERVER remote OPTIONS (user 'app', password 'S3cr3t!');",
    errors: [{ line: 1, column: 73, endColumn: 82, message: 'user mapping for "app" on server "remote"' }],
  },
  {
    code: "ALTER USER MAPPING FOR CURRENT_USER SERVER remote OPTIONS (SET password 'S3cr3t!');",
    errors: [{ line: 1, column: 73, endColumn: 82, message: 'CURRENT_USER' }],
  },
  {
    code: "CREATE SUBSCRIPTION sub CONNECTION 'host=primary dbname=app password=S3cr3t!' PUBLICATION pub;",
    errors: [{ line: 1, column: 36, endColumn: 78, message: 'subscription "sub"' }],
  },
  {
    code: "ALTER SUBSCRIPTION sub CONNECTION 'postgresql://rep:S3cr3t!@primary/app';",
    name: 'a URI with a password',
    errors: [{ line: 1, column: 35, endColumn: 73 }],
  },
  {
    code: "SELECT dblink_connect('conn', 'host=remote password = ''S3cr3t!''');",
    name: 'dblink_connect with a name and a quoted password',
    errors: [{ line: 1, column: 31, endColumn: 67, message: 'dblink_connect' }],
  },
  {
    code: "INSERT INTO t SELECT * FROM dblink('dbname=x password=S3cr3t!', 'SELECT 1') AS r(a int);",
    name: 'dblink in a FROM clause of an INSERT',
    errors: [{ line: 1, column: 36, endColumn: 63, message: 'dblink' }],
  },
  {
    code: "SELECT public.dblink_connect_u('password=S3cr3t!'::text);",
    name: 'schema-qualified dblink_connect_u, a cast',
    errors: [{ line: 1, column: 32, endColumn: 50 }],
  },
];

ruleTester('hardcoded-password', {
  valid: [
    'CREATE ROLE alice LOGIN PASSWORD NULL;',
    { code: "CREATE ROLE alice LOGIN PASSWORD :'alice_password';", name: 'a psql variable' },
    { code: "\\set pw 'x'\nALTER ROLE alice PASSWORD :'pw';", name: 'a psql variable set by a meta-command' },
    {
      code: "CREATE ROLE alice PASSWORD 'SCRAM-SHA-256$4096:xwMf9Xy5wlBp9iUoEW6cXQ==$khsrgJmruDgpZ5HW9OVz2xzqUiAAYY6kAk2abKZL1as=:5bXPo0VUESfkVdWOxuwDUzxrbEOrNh/OuiM0sEKPVKo=';",
      name: 'a SCRAM verifier',
    },
    { code: "CREATE ROLE alice PASSWORD 'md5abcdef0123456789abcdef0123456789';", name: 'an md5 hash is weak-password-hash, not this rule' },
    { code: "ALTER ROLE alice PASSWORD '';", name: 'an empty password clears it' },
    "SELECT 'CREATE ROLE a PASSWORD ''x''';",
    "-- CREATE ROLE a PASSWORD 'x'\nSELECT 1;",
    { code: "CREATE USER MAPPING FOR app SERVER remote OPTIONS (user 'app');", name: 'mapping without a password' },
    { code: "CREATE USER MAPPING FOR app SERVER remote OPTIONS (user 'app', password :'remote_pw');", name: 'mapping password from a variable' },
    { code: 'ALTER USER MAPPING FOR app SERVER remote OPTIONS (DROP password);', name: 'dropping the password' },
    { code: "CREATE SUBSCRIPTION sub CONNECTION 'host=primary dbname=app passfile=/etc/pgpass' PUBLICATION pub;", name: 'passfile' },
    { code: "CREATE SUBSCRIPTION sub CONNECTION 'postgresql://rep@primary/app?sslmode=verify-full' PUBLICATION pub;", name: 'URI without a password' },
    { code: "CREATE SUBSCRIPTION sub CONNECTION :'conninfo' PUBLICATION pub;", name: 'connection string from a variable' },
    { code: "SELECT dblink_connect('remote_server');", name: 'dblink through a foreign server' },
    { code: "SELECT * FROM dblink('conn', 'SELECT password=''x'' FROM t') AS r(a bool);", name: 'password= in the query, not the connection' },
    { code: "SELECT dblink_exec('UPDATE t SET password = ''x''', false);", name: 'one SQL argument and a boolean' },
    { code: "SELECT dblink_connect('conn', :'conninfo');", name: 'dblink connection string from a variable' },
  ],
  invalid,
});

describe('hardcoded-password details', () => {
  before(() => loadParser());

  it('never puts the password in a message', () => {
    for (const c of invalid) {
      for (const f of findingsOf('hardcoded-password', c)) assert.ok(!f.message.includes('S3cr3t'), f.message);
    }
  });

  it('reads libpq connection strings like libpq', () => {
    assert.equal(conninfoHasPassword('host=h password=x'), true);
    assert.equal(conninfoHasPassword("host=h password = 'a b'"), true);
    assert.equal(conninfoHasPassword("host=h password=''"), false);
    assert.equal(conninfoHasPassword("application_name='password=x' host=h"), false);
    assert.equal(conninfoHasPassword('postgres://u:p@h/db'), true);
    assert.equal(conninfoHasPassword('postgresql://u@h/db?password=p'), true);
    assert.equal(conninfoHasPassword('postgresql://u@h/db?sslmode=require'), false);
    assert.equal(conninfoHasPassword('postgresql://u:@h/db'), false);
  });

  it('names psql variables after the role', () => {
    assert.equal(passwordVariable('alice'), 'alice_password');
    assert.equal(passwordVariable('app-user.1'), 'app_user_1_password');
    assert.equal(passwordVariable('1st'), '_1st_password');
  });
});
