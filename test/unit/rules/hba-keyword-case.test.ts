import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-keyword-case', {
  valid: [
    'hostssl all all 10.0.0.0/8 scram-sha-256\n',
    'hostssl replication replicator 10.0.0.5/32 scram-sha-256\n',
    'hostssl "App" "Alice" 10.0.0.0/8 scram-sha-256\n',
    { code: 'hostssl /^app_ all 10.0.0.0/8 scram-sha-256\n', name: 'a regex on 16+' },
  ],
  invalid: [
    {
      code: 'hostssl ALL all 10.0.0.0/8 scram-sha-256\n',
      errors: [{ line: 1, column: 9, endColumn: 12, message: 'database name, not the keyword all' }],
      output: 'hostssl all all 10.0.0.0/8 scram-sha-256\n',
    },
    {
      code: 'hostssl all "all" 10.0.0.0/8 scram-sha-256\n',
      errors: [{ line: 1, column: 13, endColumn: 18, message: 'role name' }],
      output: 'hostssl all all 10.0.0.0/8 scram-sha-256\n',
    },
    {
      code: 'hostssl "replication",app all "samenet" scram-sha-256\n',
      errors: [
        { line: 1, column: 9, endColumn: 22, message: 'keyword replication' },
        { line: 1, column: 31, endColumn: 40, message: 'host name' },
      ],
      output: 'hostssl replication,app all samenet scram-sha-256\n',
    },
    {
      code: 'hostssl /^app_ all 10.0.0.0/8 scram-sha-256\n',
      name: 'before 16 a regex is a plain name',
      config: { postgresVersion: 15 },
      errors: [{ line: 1, column: 9, endColumn: 15, message: 'PostgreSQL 15 has no regular expressions' }],
    },
  ],
});
