import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-superuser-remote', {
  valid: [
    'hostssl all app 10.0.0.0/8 scram-sha-256\n',
    { code: 'local all postgres peer\n', name: 'the socket' },
    { code: 'host all postgres 127.0.0.1/32 scram-sha-256\n', name: 'loopback' },
    { code: 'hostssl all postgres 10.0.0.0/8 reject\n', name: 'reject' },
    {
      code: 'hostssl all postgres 0.0.0.0/0 reject\nhostssl all all 10.0.0.0/8 scram-sha-256\n',
      name: 'an earlier reject takes the superuser first',
    },
    { code: 'hostssl all +admins 10.0.0.0/8 scram-sha-256\n', name: 'superusers match +group only as explicit members' },
    { code: 'hostssl all "/^post" 10.0.0.0/8 scram-sha-256\n', name: 'before 16 a /regex is a plain name', config: { postgresVersion: 15 } },
  ],
  invalid: [
    { code: 'hostssl all postgres 10.0.0.0/8 scram-sha-256\n', errors: [{ line: 1, column: 13, endColumn: 21, message: 'superuser "postgres"' }] },
    { code: 'hostssl all all 10.0.0.0/8 scram-sha-256\n', errors: [{ line: 1, column: 13, endColumn: 16, message: 'User all includes the superuser "postgres"' }] },
    {
      code: 'hostssl all app,dba 10.0.0.0/8 scram-sha-256\n',
      name: 'a superuser known from SQL or a live database',
      superusers: ['dba'],
      errors: [{ line: 1, column: 17, endColumn: 20, message: '"dba"' }],
    },
    {
      code: 'hostssl all postgres 192.168.0.0/16 reject\nhostssl all all 10.0.0.0/8 scram-sha-256\n',
      name: 'a reject for other addresses does not protect this one',
      errors: [{ line: 2, column: 13 }],
    },
    { code: 'hostssl all /^post 10.0.0.0/8 scram-sha-256\n', name: 'a regex that matches postgres (16+)', errors: [{ line: 1, column: 13 }] },
  ],
});
