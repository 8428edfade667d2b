import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-trust', {
  valid: [
    'local all all peer\n',
    'local app app_user trust\n',
    'host all all 10.0.0.0/8 scram-sha-256\n',
    { code: '# host all all 0.0.0.0/0 trust\nlocal all all peer\n', name: 'a commented-out record' },
    { code: 'local app "trust" peer\n', name: 'trust as a role name' },
    { code: 'host all all 10.0.0.0/8 reject\nhost all all 10.1.0.0/16 trust\n', name: 'a shadowed record is dead text (hba-shadowed reports it)' },
  ],
  invalid: [
    {
      code: 'host all all 127.0.0.1/32 trust\n',
      errors: [{ line: 1, column: 27, endColumn: 32, message: 'TCP record' }],
      output: 'host all all 127.0.0.1/32 scram-sha-256\n',
    },
    {
      code: 'local all all trust\n',
      errors: [{ line: 1, column: 15, endColumn: 20, message: 'every operating-system user' }],
      output: 'local all all peer\n',
    },
    {
      code: 'local all postgres trust # bootstrap\n',
      name: 'a superuser on a local line',
      errors: [{ line: 1, column: 20, message: 'superuser "postgres"' }],
      output: 'local all postgres peer # bootstrap\n',
    },
    {
      code: 'local all admin trust\n',
      name: 'a superuser known from SQL or a live database',
      superusers: ['admin'],
      errors: [{ line: 1, column: 17 }],
      output: 'local all admin peer\n',
    },
    {
      code: 'local all ops trust\n',
      name: 'a superuser from the config',
      config: { superusers: ['ops'] },
      errors: [{ line: 1, column: 15 }],
      output: 'local all ops peer\n',
    },
    {
      code: 'hostssl all all 10.0.0.0/8 "trust" clientcert=verify-full\n',
      name: 'a quoted method is still the method; clientcert stays valid',
      errors: [{ line: 1, column: 28, endColumn: 35 }],
      output: 'hostssl all all 10.0.0.0/8 scram-sha-256 clientcert=verify-full\n',
    },
    {
      code: '# 日本語🙂\nhost all all \\\n  10.0.0.0/8 trust\n',
      name: 'a continued record is reported on its first line',
      errors: [{ line: 2, column: 1, endColumn: 13 }],
      output: '# 日本語🙂\nhost all all \\\n  10.0.0.0/8 scram-sha-256\n',
    },
  ],
});
