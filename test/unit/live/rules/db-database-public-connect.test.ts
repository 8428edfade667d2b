import { HbaRow } from '../../../../server/src/core/live/hba';
import { SnapshotDatabase } from '../../../../server/src/core/live/snapshot';
import { liveRuleTester } from './harness';

const db = (name: string, attrs: Partial<SnapshotDatabase> = {}): SnapshotDatabase => ({ name, template: false, allowConnections: true, publicConnect: true, publicTemporary: true, ...attrs });
const hba = (line: number, database: string[], user: string[], method = 'scram-sha-256'): HbaRow => ({
  line,
  file: '/etc/pg_hba.conf',
  type: 'host',
  database,
  user,
  address: '10.0.0.0',
  netmask: '255.0.0.0',
  method,
  options: null,
  error: null,
});
const defaults = [db('postgres'), db('template1', { template: true }), db('template0', { template: true, allowConnections: false, publicConnect: false })];

liveRuleTester('db-database-public-connect', {
  kind: 'database',
  valid: [
    { name: 'one application database: PostgreSQL\'s default is harmless', snapshot: { databases: [...defaults, db('app')], hba: [hba(1, ['all'], ['all'])] } },
    { name: 'pg_hba.conf names the roles of each database', snapshot: { databases: [...defaults, db('a'), db('b')], hba: [hba(1, ['a'], ['a_app']), hba(2, ['b'], ['b_app'])] } },
    { name: 'the only record for all users is reject', snapshot: { databases: [...defaults, db('a'), db('b')], hba: [hba(1, ['all'], ['all'], 'reject')] } },
    { name: 'CONNECT revoked from PUBLIC on both', snapshot: { databases: [...defaults, db('a', { publicConnect: false }), db('b', { publicConnect: false })], hba: [hba(1, ['all'], ['all'])] } },
    { name: 'pg_hba not readable: unknown, silent (listed as not run)', snapshot: { databases: [...defaults, db('a'), db('b')], hba: undefined } },
  ],
  invalid: [
    {
      name: 'two application databases open to every role; the one already closed is not reported',
      snapshot: { databases: [...defaults, db('billing'), db('crm', { publicTemporary: false }), db('hr', { publicConnect: false })], hba: [hba(1, ['billing'], ['billing_app']), hba(3, ['all'], ['all'])] },
      findings: [
        {
          object: 'billing',
          message: /^PUBLIC holds CONNECT, TEMPORARY on database "billing" and pg_hba.conf line 3 admits every role to it, so the roles of the other 2 database\(s\) can connect, read its catalog and create temporary tables\. REVOKE CONNECT, TEMPORARY ON DATABASE billing FROM PUBLIC;/,
        },
        {
          object: 'crm',
          message: /^PUBLIC holds CONNECT on database "crm" .* read its catalog\. REVOKE CONNECT ON DATABASE crm FROM PUBLIC;/,
          fix: 'REVOKE CONNECT ON DATABASE crm FROM PUBLIC;\n-- Then let its own roles in:\n-- GRANT CONNECT ON DATABASE crm TO <role>;',
        },
      ],
    },
  ],
});
