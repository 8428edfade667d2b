// The pure halves of drift in the editor: what each GRANT, REVOKE, CREATE POLICY and RLS
// statement claims and the lens's verdict against live facts; the Drift node's groups and
// entries; and the next migration's file name per migration tool.

import assert from 'node:assert/strict';
import { judgeClaims, statementClaims } from '../../../server/src/core/drift/claims';
import { compareFacts } from '../../../server/src/core/drift/compare';
import { declaredFacts } from '../../../server/src/core/drift/declared';
import { Fact } from '../../../server/src/core/drift/facts';
import { LiveAccess, liveFacts } from '../../../server/src/core/drift/live';
import { nextMigrationPath, nextVersion } from '../../../server/src/core/drift/migration-name';
import { analyzeSql } from '../../../server/src/core/lint';
import { loadParser } from '../../../server/src/core/sql/parser';
import { Workspace } from '../../../server/src/core/workspace';
import { driftEntryNodes, driftGroupNodes, driftRootNodes } from '../../../server/src/lsp/live/drift-tree';

const ATTRS = { superuser: false, createrole: false, createdb: false, login: false, replication: false, bypassrls: false, inherit: true };
const TABLE = ['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger'];

const SQL = `CREATE ROLE reader;
CREATE SCHEMA app;
CREATE TABLE app.t (id int, note text);
GRANT SELECT, UPDATE (note) ON app.t TO reader;
REVOKE INSERT ON app.t FROM reader;
ALTER TABLE app.t ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY p ON app.t FOR SELECT TO reader USING (true);
GRANT reader TO CURRENT_USER;
GRANT SELECT ON ALL TABLES IN SCHEMA app TO reader;
`;

/** The database after `SQL`, changed by hand: UPDATE (note) revoked, INSERT granted, RLS not forced, the policy widened. */
function live(): LiveAccess {
  return {
    migrationRole: 'owner',
    roles: [
      { name: 'owner', attributes: { ...ATTRS, login: true }, builtin: false },
      { name: 'reader', attributes: { ...ATTRS }, builtin: false },
      { name: 'other', attributes: { ...ATTRS }, builtin: false },
    ],
    memberships: [{ role: 'reader', member: 'owner', admin: false, inherit: true, set: true }],
    objects: [
      { kind: 'schema', name: 'public', owner: 'pg_database_owner', acl: [...['usage', 'create'].map((privilege) => ({ grantee: 'pg_database_owner', privilege, grantable: false })), { grantee: 'public', privilege: 'usage', grantable: false }] },
      { kind: 'schema', name: 'app', owner: 'owner', acl: ['usage', 'create'].map((privilege) => ({ grantee: 'owner', privilege, grantable: false })) },
      {
        kind: 'table',
        schema: 'app',
        name: 't',
        owner: 'owner',
        acl: [...TABLE.map((privilege) => ({ grantee: 'owner', privilege, grantable: false })), { grantee: 'reader', privilege: 'select', grantable: false }, { grantee: 'reader', privilege: 'insert', grantable: false }],
        rls: true,
        forced: false,
      },
    ],
    policies: [{ schema: 'app', table: 't', name: 'p', command: 'select', permissive: true, roles: ['other', 'reader'], using: 'true' }],
    defaultAcls: [],
  };
}

describe('drift in the editor (pure parts)', () => {
  before(loadParser);

  const uri = 'file:///001.sql';
  const ws = () => {
    const w = new Workspace();
    w.setFile(uri, analyzeSql(uri, SQL).facts);
    return w;
  };
  const liveByKey = (): Map<string, Fact> => new Map(liveFacts(live()).map((f) => [f.key, f]));
  const lineOf = (offset: number) => SQL.slice(0, offset).split('\n').length;

  it('claims what each GRANT, REVOKE, RLS and policy statement says, and judges it against the live facts', () => {
    const w = ws();
    const statements = statementClaims(uri, w.effectsOf(uri)!, w.model(uri), 'owner');
    const verdicts = statements.map((s) => `${lineOf(s.start)}: ${judgeClaims(s.claims, liveByKey()).text}`);
    assert.deepEqual(verdicts, [
      '4: live: differs: UPDATE (note) on table app.t to reader is not granted',
      '5: live: differs: INSERT on table app.t to reader is still granted',
      '6: live: differs: row-level security forced on table app.t: the database has it off',
      '7: live: differs: policy p is permissive for select to other, reader in the database, permissive for select to reader here',
      '8: live: has it',
    ]);
  });

  it('says "missing" when nothing a statement claims is there, and "has it" when everything is', () => {
    const w = ws();
    const [grant] = statementClaims(uri, w.effectsOf(uri)!, w.model(uri), 'owner');
    assert.deepEqual(judgeClaims(grant.claims, new Map()), {
      state: 'missing',
      text: 'live: missing',
      details: ['table app.t is not in the database', 'table app.t is not in the database'],
    });
    const granted = liveByKey();
    const key = 'privilege table:app.t.note reader update';
    granted.set(key, { key, kind: 'privilege', object: { kind: 'table', schema: 'app', name: 't' }, column: 'note', grantee: 'reader', toOwner: false, privilege: 'update', grantable: false, value: 'granted' });
    assert.equal(judgeClaims(grant.claims, granted).text, 'live: has it');
  });

  it('judges a CREATE POLICY\'s USING and WITH CHECK as written, unless a later ALTER POLICY rewrote them', () => {
    const sql = `CREATE SCHEMA app;
CREATE TABLE app.t (id int, owner text);
CREATE POLICY a ON app.t USING (owner = current_user) WITH CHECK (id > 0);
CREATE POLICY b ON app.t FOR SELECT USING (owner = current_user);
ALTER POLICY b ON app.t USING (id > 0);
CREATE POLICY c ON app.t USING (true);
`;
    const w = new Workspace();
    w.setFile(uri, analyzeSql(uri, sql).facts);
    const at = (line: number) => statementClaims(uri, w.effectsOf(uri)!, w.model(uri), 'owner').find((st) => sql.slice(0, st.start).split('\n').length === line)!;
    const pol = (name: string, using?: string, check?: string) => ({ schema: 'app', table: 't', name, command: name === 'b' ? 'select' : 'all', permissive: true, roles: ['public'], using, check });
    const facts = (policies: LiveAccess['policies']) => {
      const base = live();
      const list = liveFacts({ ...base, objects: base.objects.map((o) => (o.name === 't' ? { ...o, rls: false, forced: false } : o)), policies });
      return new Map(list.map((f) => [f.key, f]));
    };
    // As pg_get_expr writes the expressions back: casts and parentheses are not differences.
    const same = facts([pol('a', '(owner = CURRENT_USER)', '(id > 0)'), pol('b', '(id > 0)'), pol('c', 'true')]);
    assert.deepEqual([3, 4, 6].map((l) => judgeClaims(at(l).claims, same).text), ['live: has it', 'live: has it', 'live: has it']);
    const byHand = facts([pol('a', 'true', '(id > 0)'), pol('b', 'true'), pol('c', 'true', 'false')]);
    assert.deepEqual(
      [3, 4, 6].map((l) => judgeClaims(at(l).claims, byHand).text),
      [
        'live: differs: USING of policy a is true in the database',
        // The USING of b is the ALTER POLICY's: its CREATE POLICY claims only the policy's roles.
        'live: has it',
        'live: differs: WITH CHECK of policy c: the database has false, the statement none',
      ],
    );
    const gone = judgeClaims(at(3).claims, facts([]));
    assert.deepEqual(gone, { state: 'missing', text: 'live: missing', details: ['policy a on table app.t is not in the database'] });
  });

  it('groups the findings by kind with counts, each entry with both states and its statement', () => {
    const w = ws();
    const declared = declaredFacts(w.model().state, 'owner');
    const findings = compareFacts(declared, liveFacts(live()), { migrationRole: 'owner' });
    assert.deepEqual(driftGroupNodes('/ws', findings).map((g) => `${g.label} ${g.description}`), ['Grants 2', 'Memberships 1', 'Roles and attributes 1', 'Row-level security 1', 'Policies 1']);
    const places = { [declared.facts.find((f) => f.key === 'object table:app.t')!.key]: { uri, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 37 } } } };
    const byKey = new Map(declared.facts.map((f) => [f.key, f]));
    const grants = driftEntryNodes('grants', findings, byKey, places, (p) => `001.sql:${p.range.start.line + 1}`);
    assert.deepEqual(
      grants.map((n) => `${n.label} | ${n.description} | ${n.icon} | ${n.location ? n.location.range.start.line : '-'}`),
      [
        'INSERT on table app.t to reader | declared: none · live: granted | diff-added | 2',
        'UPDATE (note) on table app.t to reader | declared: granted · live: none | diff-removed | -',
      ],
    );
    assert.equal(grants[0].tooltip, 'INSERT on table app.t to reader is in the database, but no migration declares it (only in the database)\nIts object is created at 001.sql:3');
    assert.deepEqual(driftGroupNodes('/ws', []).map((n) => n.label), ['No drift: the database has the access the migrations declare']);
    // Several project roots: one level per root first, a root without drift not expandable.
    assert.deepEqual(
      driftRootNodes([{ root: '/ws/a', label: 'a', findings: 2 }, { root: '/ws/b', label: 'b', findings: 0 }]).map((n) => [n.label, n.description, n.expandable, n.ref]),
      [['a', '2', true, { kind: 'driftRoot', root: '/ws/a' }], ['b', '0', false, { kind: 'driftRoot', root: '/ws/b' }]],
    );
  });

  it('names the next migration the way its tool does', () => {
    const now = new Date(Date.UTC(2026, 11, 5, 12, 30, 45));
    assert.equal(nextMigrationPath('/p', '/p/migrations/004_config.sql', now), '/p/migrations/005_adopt_live_access.sql');
    assert.equal(nextMigrationPath('/p', '/p/db/0099-init.sql', now), '/p/db/0100-adopt_live_access.sql');
    assert.equal(nextMigrationPath('/p', '/p/supabase/migrations/20240101000000_init.sql', now), '/p/supabase/migrations/20261205123045_adopt_live_access.sql');
    assert.equal(nextMigrationPath('/p', '/p/sql/V1_2__init.sql', now), '/p/sql/V1_3__adopt_live_access.sql');
    assert.equal(nextMigrationPath('/p', '/p/m/000012_users.up.sql', now), '/p/m/000013_adopt_live_access.up.sql');
    assert.equal(nextMigrationPath('/p', '/p/prisma/migrations/20240101000000_init/migration.sql', now), '/p/prisma/migrations/20261205123045_adopt_live_access/migration.sql');
    assert.equal(nextMigrationPath('/p', '/p/deploy/users.sql', now), '/p/deploy/adopt_live_access.sql');
    assert.equal(nextMigrationPath('/p', undefined, now), '/p/migrations/20261205123045_adopt_live_access.sql');
    // A timestamp from the future is never overtaken backwards.
    assert.equal(nextVersion('29991231235959', now), '29991231235960');
    assert.equal(nextVersion('009', now), '010');
  });
});
