import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-md5', {
  valid: ['host all all 10.0.0.0/8 scram-sha-256\n', { code: 'host all all 10.0.0.0/8 "md5x"\n', name: 'not a method at all (hba-syntax)' }],
  invalid: [
    {
      code: 'host all all 10.0.0.0/8 md5\n',
      errors: [{ line: 1, column: 25, endColumn: 28, message: 'scram-sha-256' }],
      output: 'host all all 10.0.0.0/8 scram-sha-256\n',
    },
    {
      code: 'local all all md5 # legacy\n',
      config: { postgresVersion: 18 },
      errors: [{ line: 1, column: 15, message: 'PostgreSQL 18 deprecates it' }],
      output: 'local all all scram-sha-256 # legacy\n',
    },
  ],
});
