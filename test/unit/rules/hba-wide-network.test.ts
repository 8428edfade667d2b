import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-wide-network', {
  valid: [
    { code: 'hostssl all app 10.1.0.0/16 scram-sha-256\n', name: 'a /16 is exactly 65,536 addresses' },
    { code: 'hostssl all app 192.168.10.0/24 scram-sha-256\n', name: 'one subnet' },
    { code: 'hostssl all app 0.0.0.0/0 scram-sha-256\n', name: 'an open address is hba-open-address\'s' },
    { code: 'hostssl all app 10.0.0.0/8 reject\n', name: 'reject' },
    { code: 'host all app 127.0.0.0/8 scram-sha-256\n', name: 'loopback is wide but only this machine' },
    { code: 'hostssl all app 2001:db8:1::/48 scram-sha-256\n', name: 'an IPv6 /48 is 65,536 /64 subnets: one site' },
    { code: 'hostssl all app fd00:1:2:3::/64 scram-sha-256\n', name: 'an IPv6 /64 is one LAN' },
    { code: 'hostssl all app .example.com scram-sha-256\n', name: 'host names are not counted' },
    { code: 'hostssl all all 0.0.0.0/0 reject\nhostssl all app 10.0.0.0/8 scram-sha-256\n', name: 'a shadowed record is hba-shadowed\'s' },
  ],
  invalid: [
    {
      code: 'hostssl all app 10.0.0.0/8 scram-sha-256\n',
      name: 'a wide private network is info',
      errors: [{ line: 1, column: 17, endColumn: 27, message: 'The private network 10.0.0.0/8 holds 16,777,216 addresses', severity: 'info' }],
    },
    {
      code: 'hostssl all app 172.16.0.0 255.240.0.0 scram-sha-256\n',
      name: 'a mask written out',
      errors: [{ line: 1, column: 17, endColumn: 39, message: '1,048,576 addresses', severity: 'info' }],
    },
    {
      code: 'hostssl all app 8.0.0.0/8 scram-sha-256\n',
      name: 'a wide public network is a warning',
      errors: [{ line: 1, column: 17, endColumn: 26, message: 'holds 16,777,216 addresses and reaches beyond the private ranges', severity: 'warning' }],
    },
    {
      code: 'hostssl all app 10.0.0.0/7 scram-sha-256\n',
      name: 'a network that spills out of 10.0.0.0/8 is not private',
      errors: [{ line: 1, column: 17, severity: 'warning' }],
    },
    {
      code: 'hostssl all app 10.0.0.0 255.0.0.254 scram-sha-256\n',
      name: 'a non-contiguous mask counts its free bits',
      errors: [{ line: 1, column: 17, message: '131,072 addresses', severity: 'info' }],
    },
    {
      code: 'hostssl all app 2001:db8::/32 scram-sha-256\n',
      name: 'an IPv6 network of many sites',
      errors: [{ line: 1, column: 17, endColumn: 30, message: '2001:db8::/32 holds 4,294,967,296 /64 subnets', severity: 'warning' }],
    },
    {
      code: 'hostssl all app fd00::/8 scram-sha-256\n',
      name: 'unique-local IPv6',
      errors: [{ line: 1, column: 17, message: 'The private network fd00::/8', severity: 'info' }],
    },
  ],
});
