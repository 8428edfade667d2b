import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-all-remote', {
  valid: [
    { code: 'hostssl all all 10.0.0.0/24 scram-sha-256\n', name: 'a private network' },
    { code: 'hostssl all all 10.0.0.0/8 scram-sha-256\n', name: 'a wide private network is hba-wide-network\'s' },
    { code: 'hostssl all all fd00:1:2:3::/64 scram-sha-256\n', name: 'unique-local IPv6' },
    { code: 'host all all 127.0.0.1/32 scram-sha-256\n', name: 'loopback' },
    { code: 'host all all samehost scram-sha-256\n', name: 'samehost' },
    { code: 'host all all samenet scram-sha-256\n', name: 'samenet: whether the server\'s subnets are private is known only there' },
    { code: 'local all all peer\n', name: 'the socket' },
    { code: 'hostssl all all 0.0.0.0/0 scram-sha-256\n', name: 'an open address is hba-open-address\'s' },
    { code: 'hostssl all all 203.0.113.0/24 reject\n', name: 'reject' },
    { code: 'hostssl app app 203.0.113.0/24 scram-sha-256\n', name: 'named database and user' },
    { code: 'hostssl app all 203.0.113.0/24 cert map=clients\n', name: 'user all under a map: the map names who may be whom' },
    { code: 'hostssl "all" "all" 203.0.113.0/24 scram-sha-256\n', name: 'quoted all is a name' },
  ],
  invalid: [
    {
      code: 'hostssl all all 203.0.113.0/24 scram-sha-256\n',
      errors: [{ line: 1, column: 9, endColumn: 16, message: 'Database all and user all from 203.0.113.0/24: every role may try every database' }],
    },
    {
      code: 'hostssl all app 203.0.113.5/32 scram-sha-256\n',
      name: 'database all',
      errors: [{ line: 1, column: 9, endColumn: 12, message: 'Database all from 203.0.113.5/32' }],
    },
    {
      code: 'hostssl app all client.example.com scram-sha-256\n',
      name: 'user all from a host name',
      errors: [{ line: 1, column: 13, endColumn: 16, message: 'User all from client.example.com' }],
    },
    {
      code: 'hostssl all all 203.0.113.0/24 cert map=clients\n',
      name: 'database all under a map still counts',
      errors: [{ line: 1, column: 9, endColumn: 12, message: 'Database all from' }],
    },
    {
      code: 'hostssl all all 10.0.0.0/7 scram-sha-256\n',
      name: 'a network spilling out of the private ranges',
      errors: [{ line: 1, column: 9 }],
    },
  ],
});
