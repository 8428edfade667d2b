import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-syntax', {
  valid: [
    'local all all peer\nhostssl all all 10.0.0.0/8 scram-sha-256 clientcert=verify-full\n',
    { code: 'host all all \\\n  10.0.0.0/8 md5\n', name: 'a continued record' },
    { code: 'include_if_exists missing.conf\nlocal all all peer\n', name: 'a missing optional include' },
    { code: 'include extra.conf\n', name: 'an include with records', files: { '/etc/pg/extra.conf': 'local all all peer\n' } },
  ],
  invalid: [
    {
      code: 'local all all peer\nhost all all 10.0.0.0/8 scram-sha256\n',
      errors: [{ line: 2, column: 25, endColumn: 37, message: 'invalid authentication method "scram-sha256". PostgreSQL refuses' }],
    },
    {
      code: 'HOST all all 10.0.0.0/8 md5\n',
      errors: [{ line: 1, column: 1, endColumn: 5, message: 'invalid connection type "HOST"' }],
    },
    {
      code: 'host all all 10.0.0.0/8 255.0.0.0 md5\n',
      name: 'a mask after a CIDR address is read as the method',
      errors: [{ line: 1, column: 25, endColumn: 34, message: 'invalid authentication method "255.0.0.0"' }],
    },
    {
      code: 'host all all \\\n  10.0.0.0/8 md5 map=x\n',
      name: 'an error on a continuation line is reported on the first line',
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 13, message: 'authentication option "map" is only valid' }],
    },
    {
      code: 'include extra.conf\n',
      name: 'an error in an included file lands on the include line',
      files: { '/etc/pg/extra.conf': '\nhost all all 10.0.0.0/8 peer\n' },
      errors: [{ line: 1, column: 9, endColumn: 19, message: 'included file "/etc/pg/extra.conf" line 2: peer authentication is only supported on local sockets' }],
    },
    {
      code: 'host all all 10.0.0.0/8 sspi\n',
      name: 'platform-dependent methods',
      errors: [{ line: 1, column: 25, message: 'not supported by this build' }],
    },
    {
      code: '# nothing but comments\n',
      errors: [{ line: 1, column: 1, message: 'contains no entries' }],
    },
  ],
});
