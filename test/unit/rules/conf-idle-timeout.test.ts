import { confRuleTester } from '../conf/harness';

confRuleTester('conf-idle-timeout', {
  valid: ['idle_in_transaction_session_timeout = 10min\n', "idle_in_transaction_session_timeout = '5s'\n", '#idle_in_transaction_session_timeout = 0\n'],
  invalid: [
    { code: 'idle_in_transaction_session_timeout = 0\n', errors: [{ line: 1, column: 39, endColumn: 40 }], output: 'idle_in_transaction_session_timeout = 10min\n' },
    { code: "idle_in_transaction_session_timeout = '0ms'\n", errors: [{ line: 1, column: 39 }], output: "idle_in_transaction_session_timeout = '10min'\n" },
    {
      code: 'idle_in_transaction_session_timeout = 100us\n',
      name: 'rounds to 0 ms, which turns the timeout off',
      errors: [{ line: 1, column: 39 }],
      output: 'idle_in_transaction_session_timeout = 10min\n',
    },
  ],
});
