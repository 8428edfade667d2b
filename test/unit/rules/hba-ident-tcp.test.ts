import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-ident-tcp', {
  valid: [
    { code: 'local all all ident\n', name: 'ident on a local line is peer' },
    'local all all ident map=omicron\n',
    'host all all 10.0.0.0/8 scram-sha-256\n',
  ],
  invalid: [
    {
      code: 'host all all 10.0.0.0/8 ident\n',
      errors: [{ line: 1, column: 25, endColumn: 30 }],
      output: 'host all all 10.0.0.0/8 scram-sha-256\n',
    },
    {
      code: 'hostssl all all 10.0.0.0/8 ident map=omicron clientcert=verify-full\n',
      name: 'the fix drops map=, which scram-sha-256 refuses, and keeps clientcert',
      errors: [{ line: 1, column: 28, endColumn: 33 }],
      output: 'hostssl all all 10.0.0.0/8 scram-sha-256 clientcert=verify-full\n',
    },
  ],
});
