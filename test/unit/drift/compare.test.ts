// Drift as a pure comparison: the declared state folded from SQL files against a live
// state written by hand (the shape server/src/db/access.ts reads), and the SQL generated
// for each direction, quoted by core/identifier.

import assert from 'node:assert/strict';
import { compareFacts } from '../../../server/src/core/drift/compare';
import { declaredFacts } from '../../../server/src/core/drift/declared';
import { LiveAccess, liveFacts } from '../../../server/src/core/drift/live';
import { adoptingSql, reconcilingSql } from '../../../server/src/core/drift/sql';
import { loadParser } from '../../../server/src/core/sql/parser';
import { modelOf } from '../model/support';

const ATTRS = { superuser: false, createrole: false, createdb: false, login: false, replication: false, bypassrls: false, inherit: true };
const owner = (o: string, kind: 'table' | 'schema') =>
  (kind === 'table' ? ['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger'] : ['usage', 'create']).map((privilege) => ({ grantee: o, privilege, grantable: false }));

/** The live state of `CREATE ROLE "user"; CREATE SCHEMA app; CREATE TABLE app."Order" (id int); GRANT SELECT ON app."Order" TO "user";` run by postgres. */
function live(): LiveAccess {
  return {
    migrationRole: 'postgres',
    roles: [
      { name: 'postgres', attributes: { ...ATTRS, superuser: true, login: true }, builtin: true },
      { name: 'user', attributes: { ...ATTRS }, builtin: false },
      { name: 'pg_read_all_data', attributes: { ...ATTRS }, builtin: true },
    ],
    memberships: [],
    objects: [
      { kind: 'schema', name: 'public', owner: 'pg_database_owner', acl: [...owner('pg_database_owner', 'schema'), { grantee: 'public', privilege: 'usage', grantable: false }] },
      { kind: 'schema', name: 'app', owner: 'postgres', acl: owner('postgres', 'schema') },
      { kind: 'table', schema: 'app', name: 'Order', owner: 'postgres', acl: [...owner('postgres', 'table'), { grantee: 'user', privilege: 'select', grantable: false }], rls: false, forced: false },
    ],
    policies: [],
    defaultAcls: [],
  };
}

const FILES = { '001.sql': 'CREATE ROLE "user"; CREATE SCHEMA app; CREATE TABLE app."Order" (id int); GRANT SELECT ON app."Order" TO "user";' };

function drift(state: LiveAccess, platformRoles: string[] = []) {
  const declared = declaredFacts(modelOf(FILES).state, 'postgres');
  const liveSide = liveFacts(state, { platformRoles });
  return { declared, liveSide, findings: compareFacts(declared, liveSide, { migrationRole: 'postgres' }) };
}

describe('drift: declared against live', () => {
  before(loadParser);

  it('finds nothing when the live state is what the files declare', () => {
    assert.deepEqual(drift(live()).findings, []);
  });

  it('reports a role, a membership and a grant made by hand, and leaves predefined and platform roles alone', () => {
    const s = live();
    s.roles.push({ name: 'intruder', attributes: { ...ATTRS, login: true }, builtin: false }, { name: 'supabase_admin', attributes: { ...ATTRS, superuser: true }, builtin: false });
    s.memberships.push({ role: 'pg_read_all_data', member: 'user', admin: false, inherit: true, set: true });
    s.memberships.push({ role: 'pg_read_all_data', member: 'supabase_admin', admin: false, inherit: true, set: true });
    s.objects[2].acl.push({ grantee: 'intruder', privilege: 'delete', grantable: false });
    const r = drift(s, ['supabase_admin']);
    assert.deepEqual(r.findings.map((f) => `${f.direction} ${f.message}`), [
      'live-only role intruder is in the database, but no migration declares it',
      'live-only user is a member of pg_read_all_data is in the database, but no migration declares it',
      'live-only DELETE on table app.Order to intruder is in the database, but no migration declares it',
    ]);
    assert.deepEqual(r.findings.map((f) => f.key).sort(), ['membership pg_read_all_data user', 'privilege table:app.Order intruder delete', 'role intruder']);
    const reconcile = reconcilingSql(r.findings, r.declared.facts, { major: 17 });
    assert.deepEqual(reconcile.split('\n').filter((l) => l && !l.startsWith('--')), [
      'REVOKE pg_read_all_data FROM "user";',
      'REVOKE DELETE ON TABLE app."Order" FROM intruder;',
      'DROP ROLE intruder;',
    ]);
    const adopt = adoptingSql(r.findings, r.liveSide, { major: 17 });
    assert.deepEqual(adopt.split('\n').filter((l) => l && !l.startsWith('--')), [
      'CREATE ROLE intruder WITH NOSUPERUSER NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS INHERIT;',
      'GRANT pg_read_all_data TO "user" WITH ADMIN FALSE, INHERIT TRUE, SET TRUE;',
      'GRANT DELETE ON TABLE app."Order" TO intruder;',
    ]);
  });

  it('reports a changed owner once, not once per privilege that moved with it', () => {
    const s = live();
    const t = s.objects[2];
    t.owner = 'user';
    t.acl = [...owner('user', 'table')];
    const r = drift(s);
    assert.deepEqual(
      r.findings.map((f) => f.message),
      ['owner of table app.Order: declared postgres, the database has user'],
    );
    assert.deepEqual(reconcilingSql(r.findings, r.declared.facts, { major: 17 }).split('\n').filter((l) => l && !l.startsWith('--')), ['ALTER TABLE app."Order" OWNER TO postgres;']);
  });

  it('does not report objects in schemas the files never create, nor roles they only alter', () => {
    const s = live();
    s.objects.push({ kind: 'table', schema: 'auth', name: 'users', owner: 'postgres', acl: owner('postgres', 'table') });
    s.roles.push({ name: 'authenticator', attributes: { ...ATTRS, login: true }, builtin: false });
    const declared = declaredFacts(modelOf({ ...FILES, '002.sql': 'ALTER ROLE authenticator NOBYPASSRLS;' }).state, 'postgres');
    assert.deepEqual(compareFacts(declared, liveFacts(s), { migrationRole: 'postgres' }), []);
    s.roles[s.roles.length - 1].attributes.bypassrls = true;
    assert.deepEqual(
      compareFacts(declared, liveFacts(s), { migrationRole: 'postgres' }).map((f) => f.message),
      ['BYPASSRLS of role authenticator: declared NOBYPASSRLS, the database has BYPASSRLS'],
    );
  });
});
