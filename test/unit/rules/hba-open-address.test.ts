import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-open-address', {
  valid: [
    'hostssl all all 10.0.0.0/8 scram-sha-256\n',
    { code: 'host all all 0.0.0.0/0 reject\n', name: 'reject for everyone is fine' },
    { code: 'host all all "all" scram-sha-256\n', name: 'a quoted all is a host name' },
    'local all all peer\n',
  ],
  invalid: [
    { code: 'hostssl all all 0.0.0.0/0 scram-sha-256\n', errors: [{ line: 1, column: 17, endColumn: 26, message: 'every IPv4 address' }] },
    { code: 'hostssl all all ::/0 scram-sha-256\n', errors: [{ line: 1, column: 17, endColumn: 21, message: 'every IPv6 address' }] },
    { code: 'hostssl all all all scram-sha-256\n', errors: [{ line: 1, column: 17, endColumn: 20, message: 'any address' }] },
    {
      code: 'hostssl all all 0.0.0.0 0.0.0.0 scram-sha-256\n',
      name: 'address and a zero mask: the range covers both fields',
      errors: [{ line: 1, column: 17, endColumn: 32 }],
    },
    { code: 'hostssl all all 10.0.0.0/0 scram-sha-256\n', name: 'any /0', errors: [{ line: 1, column: 17 }] },
  ],
});
