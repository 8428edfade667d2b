import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-shadowed', {
  valid: [
    { code: 'hostssl app alice 10.1.0.0/16 scram-sha-256\nhostssl all all 10.0.0.0/8 reject\n', name: 'narrow first, wide later' },
    { code: 'hostssl all all 10.0.0.0/8 md5\nhostssl all all 10.0.0.0/8 md5\n', name: 'an exact duplicate is hba-duplicate' },
    { code: 'hostssl all all 10.0.0.0/8 md5\nhostssl replication all 10.0.0.0/8 md5\n', name: 'all does not cover replication' },
    { code: 'hostssl all all 10.0.0.0/8 md5\nhostssl all all fd00::/8 md5\n', name: 'IPv4 never covers IPv6' },
    { code: 'hostssl all all 10.0.0.0/8 md5\nhost all all 10.0.0.0/8 md5\n', name: 'hostssl does not cover host' },
    { code: 'hostssl all +admins 10.0.0.0/8 md5\nhostssl all alice 10.0.0.0/8 md5\n', name: 'a group covers only itself' },
    { code: 'hostssl all all db.example.com md5\nhostssl all all 10.0.0.0/8 md5\n', name: 'host names never cover networks' },
    { code: 'hostssl all all 10.0.0.0/8 "md5" foo\nhostssl all all 10.0.0.0/8 md5\n', name: 'a broken earlier record is not counted' },
  ],
  invalid: [
    {
      code: 'hostssl all all 10.0.0.0/8 reject\nhostssl app alice 10.1.0.0/16 scram-sha-256\n',
      errors: [{ line: 2, column: 1, endColumn: 44, message: 'line 1', unnecessary: true }],
      output: 'hostssl all all 10.0.0.0/8 reject\n',
    },
    {
      code: 'host all all all md5\nhostgssenc app,sales alice 192.168.0.0/24 gss\n',
      name: 'host covers every TCP type; all addresses cover any network',
      errors: [{ line: 2, column: 1 }],
      output: 'host all all all md5\n',
    },
    {
      code: 'hostnogssenc all all 10.0.0.0/8 md5 # first\nhostssl db all 10.2.3.4 255.255.255.255 scram-sha-256 # second\r\nlocal all all peer\n',
      name: 'hostnogssenc covers hostssl; address and mask form; CRLF',
      errors: [{ line: 2, column: 1, endColumn: 54 }],
      output: 'hostnogssenc all all 10.0.0.0/8 md5 # first\nlocal all all peer\n',
    },
    {
      code: 'hostssl all all .example.com md5\nhostssl all all DB.Example.com md5\n',
      name: 'a .suffix covers names under it, case-insensitively',
      errors: [{ line: 2, column: 1 }],
      output: 'hostssl all all .example.com md5\n',
    },
    {
      code: 'include_if_exists conf.d/early.conf\nhostssl all app 10.0.0.0/16 md5\n',
      name: 'a record in an included file comes first',
      files: { '/etc/pg/conf.d/early.conf': 'hostssl all all 10.0.0.0/8 reject\n' },
      errors: [{ line: 2, column: 1, message: 'line 1 of "/etc/pg/conf.d/early.conf"' }],
      output: 'include_if_exists conf.d/early.conf\n',
    },
  ],
});
