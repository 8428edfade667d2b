import assert from 'node:assert/strict';
import { loadParser } from '../../../server/src/core/sql/parser';
import { conninfoHasPassword, passwordVariable } from '../../../server/src/core/sql/rules/hardcoded-password';
import { findingsOf, InvalidCase, ruleTester } from './harness';

const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSJ9.M2d2z4SFn5QUZx7b0qNNQ7Hc2Y5Qn0FoiQq6Gv3rVmo';

const invalid: InvalidCase[] = [
  {
    code: "INSERT INTO app.users (name, password) VALUES ('admin', 'Sup3rS3cret!'), ('guest', 'guest');",
    name: 'a literal password inserted into a password column, each row',
    errors: [
      { line: 1, column: 57, endColumn: 71, message: 'Column "password" of app.users gets a literal password' },
      { line: 1, column: 84, endColumn: 91 },
    ],
  },
  {
    code: "UPDATE integrations SET apiKey = 'live-4f9a1c2e8b7d', updated_at = now() WHERE id = 1;",
    name: 'UPDATE of an API key column',
    errors: [{ line: 1, column: 34, endColumn: 53, message: 'a literal secret' }],
  },
  {
    code: "INSERT INTO oauth_clients (client_id, client_secret) VALUES ('web', 'b1946ac92492d2347c6235b4d2611184');",
    name: 'a hex value is the secret itself in a secret column',
    errors: [{ line: 1, column: 69 }],
  },
  {
    code: "INSERT INTO settings (name, value) VALUES ('db', 'postgresql://app:hunter2@db.example.com:5432/app');",
    name: 'a connection URI with a password in any literal',
    errors: [{ line: 1, column: 51, endColumn: 99, message: 'a password in a connection URI' }],
  },
  {
    code: "SELECT cron.schedule('sync', '* * * * *', 'SELECT 1'), set_config('app.dsn', 'host=db user=app password=hunter2', false);",
    name: 'a key=value connection string',
    errors: [{ line: 1, column: 79, endColumn: 112, message: 'a password in a connection string' }],
  },
  {
    code: `CREATE FUNCTION delete_storage_object(bucket text, object text, OUT status int) LANGUAGE plpgsql SECURITY DEFINER AS $$\nDECLARE\n  service_role_key TEXT := '${jwt}';\nBEGIN\n  status := 200;\nEND;\n$$;`,
    name: 'a service-role JWT in a definer function variable',
    errors: [{ line: 3, column: 29, endColumn: 29 + jwt.length, message: 'a JSON Web Token (role service_role)' }],
  },
  {
    code: "CREATE ROLE bob LOGIN PASSWORD 'foo';",
    name: 'a bare test.sql is not taken for a test',
    path: 'test.sql',
    errors: [{ line: 1, column: 32 }],
    output: "CREATE ROLE bob LOGIN PASSWORD :'bob_password';",
  },
  {
    code: "CREATE ROLE bob LOGIN PASSWORD 'foo';",
    name: 'a migration named like an example is not one',
    path: 'migrations/001_example.sql',
    errors: [{ line: 1, column: 32 }],
    output: "CREATE ROLE bob LOGIN PASSWORD :'bob_password';",
  },
  {
    code: "SELECT plan(1);\nSELECT 'postgres://tester:hunter2@prod-db/app';",
    name: 'a connection string in a test still points at a server',
    errors: [{ line: 2, column: 9 }],
  },
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
    { code: "ALTER USER postgres PASSWORD 'PG_ROOT_PASSWORD';", name: 'an upper-case template name a start script substitutes' },
    { code: "ALTER ROLE pgbouncer LOGIN PASSWORD 'PGBOUNCER_PASSWORD';", name: 'another template name' },
    { code: "CREATE ROLE app LOGIN PASSWORD '${APP_PASSWORD}';", name: 'a ${...} template' },
    { code: "CREATE ROLE bob LOGIN PASSWORD 'bob';", path: 'test/fixtures.sql', name: 'a throw-away role in a test folder' },
    { code: "SELECT plan(1);\nCREATE ROLE rls_bobo WITH LOGIN PASSWORD 'foo';", name: 'a throw-away role in a pgTAP file' },
    {
      code: "INSERT INTO auth.users (id, email, encrypted_password, confirmation_token) VALUES ('e9fc7e46-a8a5-4fd4-8ba7-af485013e6fa', 'test@test.com', crypt('password', gen_salt('bf')), '');",
      name: 'a seed user whose password is hashed by crypt() and an empty token',
    },
    { code: "INSERT INTO users (name, password_hash) VALUES ('ann', 'plain?');", name: 'a column about the password, not the password' },
    { code: "INSERT INTO users (name, password) VALUES ('ann', '$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy');", name: 'a bcrypt hash' },
    { code: "UPDATE api_clients SET token = NULL, token_expires_at = '2030-01-01';", name: 'NULL and an expiry' },
    { code: "INSERT INTO settings (api_key) VALUES ('<your-api-key>');", name: 'a placeholder' },
    { code: "CREATE ROLE bob with login password 'foo';", path: 'example/tce.sql', name: 'a demo role in an example folder' },
    { code: "INSERT INTO app_users (id, email, \"password\") VALUES (1, 'test@123.com','pass');", path: 'postgrest/spec-data.sql', name: 'spec data' },
    { code: "CREATE ROLE bob login password 'bob';", path: 'fixtures.sql', name: 'fixtures' },
    { code: "INSERT INTO my_secrets (secret) VALUES ('sekert1'), ('shhhhh'), ('0xABC_my_payment_processor_key');", name: 'documentation values in a secret column' },
    { code: 'INSERT INTO files (user_id, name, tokens) VALUES (1, \'a.txt\', 1200);', name: 'a token count is a number' },
    { code: "INSERT INTO totp_configurations (username, secret) SELECT username, secret FROM _bkp;", name: 'data copied, not written' },
    { code: "SELECT 'postgresql://app@db.example.com/app';", name: 'a URI without a password' },
    { code: "SELECT 'postgresql://app:${DB_PASSWORD}@db/app';", name: 'a URI with a placeholder password' },
    { code: "CREATE TABLE t (password text);\nCOMMENT ON COLUMN t.password IS 'set with password=... in the DSN';", name: 'prose is not a connection string' },
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
