import { confRuleTester } from '../conf/harness';

confRuleTester('conf-password-encryption', {
  valid: [
    'password_encryption = scram-sha-256\n',
    "password_encryption = 'scram-sha-256'\n",
    { code: 'password_encryption = md5\npassword_encryption = scram-sha-256\n', name: 'only the effective line counts' },
    '#password_encryption = md5\n',
    { code: 'password_encryption = on\n', config: { postgresVersion: 14 }, name: 'on is no longer a spelling of md5 (conf-syntax reports it)' },
  ],
  invalid: [
    { code: 'password_encryption = md5\n', errors: [{ line: 1, column: 23, endColumn: 26 }], output: 'password_encryption = scram-sha-256\n' },
    { code: "password_encryption = 'MD5'\n", errors: [{ line: 1, column: 23 }], output: "password_encryption = 'scram-sha-256'\n" },
    { code: 'password_encryption on\n', config: { postgresVersion: 13 }, errors: [{ line: 1, column: 21 }], output: 'password_encryption scram-sha-256\n' },
    {
      code: 'password_encryption = scram-sha-256\npassword_encryption = md5 # legacy clients\n',
      errors: [{ line: 2, column: 23, message: 'MD5 hashes' }],
      output: 'password_encryption = scram-sha-256\npassword_encryption = scram-sha-256 # legacy clients\n',
    },
  ],
});
