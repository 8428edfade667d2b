import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-no-ssl', {
  valid: [
    'hostssl all all 10.0.0.0/8 scram-sha-256\n',
    { code: 'host all all 127.0.0.1/32 scram-sha-256\n', name: 'loopback' },
    { code: 'host all all ::1/128 scram-sha-256\n', name: 'IPv6 loopback' },
    { code: 'host all all localhost scram-sha-256\n', name: 'localhost' },
    { code: 'host all all samehost scram-sha-256\n', name: 'samehost never leaves the machine' },
    { code: 'host all all 10.0.0.0/8 reject\n', name: 'reject' },
    'hostgssenc all all 10.0.0.0/8 gss\n',
    'local all all peer\n',
  ],
  invalid: [
    {
      code: 'host all all 10.0.0.0/8 scram-sha-256\n',
      errors: [{ line: 1, column: 1, endColumn: 5, message: 'without TLS' }],
      output: 'hostssl all all 10.0.0.0/8 scram-sha-256\n',
    },
    {
      code: 'hostnossl all all samenet md5\n',
      errors: [{ line: 1, column: 1, endColumn: 10, message: 'only unencrypted' }],
      output: 'hostssl all all samenet md5\n',
    },
    {
      code: 'host all all 127.0.0.0/7 md5\n',
      name: 'a network wider than loopback',
      errors: [{ line: 1, column: 1 }],
      output: 'hostssl all all 127.0.0.0/7 md5\n',
    },
  ],
});
