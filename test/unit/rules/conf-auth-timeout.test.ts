import { confRuleTester } from '../conf/harness';

confRuleTester('conf-auth-timeout', {
  valid: ['authentication_timeout = 60s\n', 'authentication_timeout = 30\n', "authentication_timeout = '1min'\n"],
  invalid: [
    {
      code: 'authentication_timeout = 5min\n',
      errors: [{ line: 1, column: 26, endColumn: 30, severity: 'info', message: 'authentication_timeout 300s lets an unauthenticated client hold a connection slot for 5 minutes' }],
      output: 'authentication_timeout = 60s\n',
    },
    { code: "authentication_timeout = '90'\n", errors: [{ line: 1, column: 26, message: 'for 90 seconds' }], output: "authentication_timeout = '60s'\n" },
  ],
});
