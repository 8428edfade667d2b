import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-host-bits', {
  valid: [
    'hostssl all all 10.0.0.0/8 scram-sha-256\n',
    'hostssl all all 10.1.2.3/32 scram-sha-256\n',
    'hostssl all all 10.0.0.0 255.0.0.0 scram-sha-256\n',
    'hostssl all all fd00::/8 scram-sha-256\n',
  ],
  invalid: [
    {
      code: 'hostssl all all 10.1.0.0/8 scram-sha-256\n',
      errors: [{ line: 1, column: 17, endColumn: 27, message: 'matches all of 10.0.0.0/8' }],
      output: 'hostssl all all 10.0.0.0/8 scram-sha-256\n',
    },
    {
      code: 'hostssl all all 192.168.1.7 255.255.255.0 scram-sha-256\n',
      name: 'address and mask',
      errors: [{ line: 1, column: 17, endColumn: 28, message: '192.168.1.0 255.255.255.0' }],
      output: 'hostssl all all 192.168.1.0 255.255.255.0 scram-sha-256\n',
    },
    {
      code: 'hostssl all all fd00::1/64 scram-sha-256\n',
      errors: [{ line: 1, column: 17, message: 'fd00::/64' }],
      output: 'hostssl all all fd00::/64 scram-sha-256\n',
    },
  ],
});
