import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-superuser-remote', {
  valid: [
    'hostssl all app 203.0.113.0/24 scram-sha-256\n',
    { code: 'local all postgres peer\n', name: 'the socket' },
    { code: 'host all postgres 127.0.0.1/32 md5\n', name: 'loopback' },
    { code: 'hostssl all postgres 203.0.113.0/24 reject\n', name: 'reject' },
    { code: 'host all postgres 10.0.0.0/8 scram-sha-256\n', name: 'the hardening guides\' admin network: private, with scram-sha-256' },
    { code: 'hostssl all all 192.168.5.0/24 cert\n', name: 'user all from a private network with cert' },
    { code: 'hostgssenc all postgres fd00::/8 gss\n', name: 'unique-local IPv6 with gss' },
    {
      code: 'hostssl all postgres 0.0.0.0/0 reject\nhostssl all all 203.0.113.0/24 scram-sha-256\n',
      name: 'an earlier reject takes the superuser first',
    },
    { code: 'hostssl all +admins 203.0.113.0/24 scram-sha-256\n', name: 'superusers match +group only as explicit members' },
    { code: 'hostssl all "/^post" 203.0.113.0/24 scram-sha-256\n', name: 'before 16 a /regex is a plain name', config: { postgresVersion: 15 } },
    {
      code: 'hostssl all all 203.0.113.0/24 cert map=clients\n',
      name: 'a certificate record whose map never yields a superuser (pg_ident.conf beside it)',
      files: { '/etc/pg/pg_ident.conf': 'clients /^(.*)@example\\.com$ app_\\1\nclients ops reporting\nadmins alice postgres\n' },
    },
    {
      code: 'hostssl all all 203.0.113.0/24 cert map=nothing\n',
      name: 'a map with no lines lets no one in',
      files: { '/etc/pg/pg_ident.conf': 'admins alice postgres\n' },
    },
  ],
  invalid: [
    {
      code: 'hostssl all postgres 203.0.113.0/24 scram-sha-256\n',
      name: 'a public network',
      errors: [{ line: 1, column: 13, endColumn: 21, message: 'The superuser "postgres" may log in from 203.0.113.0/24, outside the private ranges.' }],
    },
    {
      code: 'hostssl all all 0.0.0.0/0 scram-sha-256\n',
      name: 'an open address',
      errors: [{ line: 1, column: 13, endColumn: 16, message: 'User all includes the superuser "postgres", so it may log in from 0.0.0.0/0, which is any address.' }],
    },
    {
      code: 'host all postgres 10.0.0.0/8 md5\n',
      name: 'a private network with a weak method',
      errors: [{ line: 1, column: 10, message: 'may log in from 10.0.0.0/8 with md5.' }],
    },
    {
      code: 'hostssl all postgres 10.0.0.0/7 cert\n',
      name: 'a wide network spilling out of the private ranges',
      errors: [{ line: 1, column: 13, message: 'from 10.0.0.0/7, a wide network beyond the private ranges' }],
    },
    {
      code: 'hostssl all postgres admin.example.com scram-sha-256\n',
      name: 'a host name',
      errors: [{ line: 1, column: 13, message: 'from admin.example.com, which is not a private network' }],
    },
    {
      code: 'host all postgres all password\n',
      name: 'open and weak',
      errors: [{ line: 1, column: 10, message: 'from all, which is any address, with password' }],
    },
    {
      code: 'hostssl all app,dba 203.0.113.0/24 scram-sha-256\n',
      name: 'a superuser known from SQL or a live database',
      superusers: ['dba'],
      errors: [{ line: 1, column: 17, endColumn: 20, message: '"dba"' }],
    },
    {
      code: 'hostssl all postgres 192.168.0.0/16 reject\nhostssl all all 203.0.113.0/24 scram-sha-256\n',
      name: 'a reject for other addresses does not protect this one',
      errors: [{ line: 2, column: 13 }],
    },
    { code: 'hostssl all /^post 203.0.113.0/24 scram-sha-256\n', name: 'a regex that matches postgres (16+)', errors: [{ line: 1, column: 13 }] },
    {
      code: 'hostssl all all 203.0.113.0/24 cert map=admins\n',
      name: 'a map that yields a superuser',
      files: { '/etc/pg/pg_ident.conf': 'admins alice postgres\n' },
      errors: [{ line: 1, column: 13, message: '"postgres"' }],
    },
    {
      code: 'hostssl all all 203.0.113.0/24 cert map=clients\n',
      name: 'maps are unknown when the server would refuse the pg_ident.conf',
      files: { '/etc/pg/pg_ident.conf': 'clients ops reporting\nbroken line\n' },
      errors: [{ line: 1, column: 13 }],
    },
    { code: 'hostssl all all 203.0.113.0/24 cert map=clients\n', name: 'no pg_ident.conf: the map is unknown', errors: [{ line: 1, column: 13 }] },
  ],
});
