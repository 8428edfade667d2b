import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-password', {
  valid: ['host all all 10.0.0.0/8 scram-sha-256\n', 'local all all peer\n', { code: 'host all password 10.0.0.0/8 md5\n', name: 'a role named password' }],
  invalid: [
    {
      code: 'host all all 10.0.0.0/8 password\n',
      errors: [{ line: 1, column: 25, endColumn: 33, message: 'clear text' }],
      output: 'host all all 10.0.0.0/8 scram-sha-256\n',
    },
    {
      code: 'local all all peer\nhostssl app app 10.0.0.0/8 password clientcert=verify-ca\n',
      name: 'options valid for scram-sha-256 stay',
      errors: [{ line: 2, column: 28 }],
      output: 'local all all peer\nhostssl app app 10.0.0.0/8 scram-sha-256 clientcert=verify-ca\n',
    },
  ],
});
