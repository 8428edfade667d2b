import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-duplicate', {
  valid: [
    'hostssl all all 10.0.0.0/8 md5\nhostssl all all 10.0.0.0/8 scram-sha-256\n',
    'hostssl all all 10.0.0.0/8 md5\nhostssl all all 10.0.0.0/16 md5\n',
  ],
  invalid: [
    {
      code: 'hostssl all all 10.0.0.0/8 md5\nhostssl all all 10.0.0.0/8 md5\n',
      errors: [{ line: 2, column: 1, endColumn: 31, message: 'line 1', unnecessary: true }],
      output: 'hostssl all all 10.0.0.0/8 md5\n',
    },
    {
      code: 'hostssl app,web all 10.0.0.0 255.0.0.0 md5\n# again\nhostssl "web",app all 10.0.0.0/8 md5',
      name: 'same sets in another order, mask written as a prefix, no final newline',
      errors: [{ line: 3, column: 1 }],
      output: 'hostssl app,web all 10.0.0.0 255.0.0.0 md5\n# again\n',
    },
  ],
});
