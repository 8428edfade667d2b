import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-replication-open', {
  valid: [
    'hostssl replication replicator 10.0.0.5/32 scram-sha-256\n',
    { code: 'local replication all peer\n', name: 'user all over the socket' },
    { code: 'host replication all 127.0.0.1/32 scram-sha-256\n', name: 'user all from loopback' },
    { code: 'hostssl "replication" all 10.0.0.0/8 scram-sha-256\n', name: 'a database named replication is not the keyword' },
    'host replication all 0.0.0.0/0 reject\n',
  ],
  invalid: [
    { code: 'local replication all trust\n', errors: [{ line: 1, column: 7, endColumn: 18, message: 'with trust' }] },
    { code: 'hostssl replication replicator 0.0.0.0/0 scram-sha-256\n', errors: [{ line: 1, column: 9, message: 'every address' }] },
    { code: 'hostssl all,replication all 10.0.0.0/8 scram-sha-256\n', errors: [{ line: 1, column: 13, message: 'user all' }] },
  ],
});
