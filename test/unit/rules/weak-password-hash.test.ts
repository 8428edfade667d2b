import { ruleTester } from './harness';

ruleTester('weak-password-hash', {
  valid: [
    "CREATE ROLE alice PASSWORD :'alice_password';",
    { code: 'CREATE ROLE alice PASSWORD NULL;', name: 'no password' },
    { code: "CREATE ROLE alice PASSWORD 'MD5abcdef0123456789abcdef0123456789';", name: 'upper-case MD5 prefix is a plain password to PostgreSQL' },
    { code: "CREATE ROLE alice PASSWORD 'md5ABCDEF0123456789ABCDEF0123456789';", name: 'upper-case hex is a plain password to PostgreSQL' },
    { code: "CREATE ROLE alice PASSWORD 'md5abcdef0123456789abcdef012345678';", name: '31 hex digits' },
    { code: "CREATE ROLE alice PASSWORD 'md5abcdef0123456789abcdef01234567890';", name: '33 hex digits' },
    {
      code: "CREATE ROLE alice PASSWORD 'SCRAM-SHA-256$4096:xwMf9Xy5wlBp9iUoEW6cXQ==$khsrgJmruDgpZ5HW9OVz2xzqUiAAYY6kAk2abKZL1as=:5bXPo0VUESfkVdWOxuwDUzxrbEOrNh/OuiM0sEKPVKo=';",
      name: 'a SCRAM verifier',
    },
    "SELECT 'md5abcdef0123456789abcdef0123456789';",
    "-- ALTER ROLE a PASSWORD 'md5abcdef0123456789abcdef0123456789'\nSELECT 1;",
  ],
  invalid: [
    {
      code: "CREATE ROLE alice LOGIN PASSWORD 'md5abcdef0123456789abcdef0123456789';",
      errors: [{ line: 1, column: 34, endColumn: 71, message: 'Role "alice" gets a pre-computed MD5 password hash' }],
    },
    {
      code: "alter user bob with encrypted password 'md5abcdef0123456789abcdef0123456789' valid until 'infinity';",
      name: 'lower case, ENCRYPTED',
      config: { postgresVersion: 18 },
      errors: [{ line: 1, column: 40, endColumn: 77, message: 'deprecated since PostgreSQL 18' }],
    },
    {
      code: "SELECT '日本語🙂'; ALTER ROLE \"Ümit\" PASSWORD 'md5abcdef0123456789abcdef0123456789';",
      name: 'after CJK and emoji',
      errors: [{ line: 1, column: 44, endColumn: 81, message: '"Ümit"' }],
    },
  ],
});
