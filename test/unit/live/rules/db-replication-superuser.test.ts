import { liveRuleTester, role } from './harness';

liveRuleTester('db-replication-superuser', {
  kind: 'role',
  valid: [
    { name: 'no replication', snapshot: {} },
    { name: 'replication through a dedicated role', snapshot: { roles: [role('postgres', { oid: 10, superuser: true }), role('replicator', { replication: true })], replication: { senders: ['replicator'], physicalSlots: 1 } } },
  ],
  invalid: [
    {
      name: 'a standby streaming as the superuser, no dedicated role',
      snapshot: { roles: [role('postgres', { oid: 10, superuser: true })], replication: { senders: ['postgres'], physicalSlots: 1 } },
      findings: [{ object: 'postgres', message: /^A replication connection \(walsender\) runs as superuser "postgres"\. Create a role for it: CREATE ROLE replicator LOGIN REPLICATION/ }],
    },
    {
      name: 'a dedicated role exists but a superuser streams',
      snapshot: { roles: [role('postgres', { oid: 10, superuser: true }), role('repl', { replication: true })], replication: { senders: ['postgres', 'repl'], physicalSlots: 0 } },
      findings: [{ object: 'postgres', message: /Use the replication role repl, point primary_conninfo/ }],
    },
  ],
});
