// Who can access which rows, held to a real server: roles, memberships (INHERIT FALSE and
// SET on 16+, NOINHERIT before), BYPASSRLS, ownership, FORCE, permissive and restrictive
// policies are built; pgwarden reads the catalog (loadAccessSnapshot, core/live/row-access)
// and says, for each role, table and command, what the role gets; then each role really
// runs SELECT and INSERT (after SET ROLE, and a second SET ROLE where pgwarden says the
// privilege comes only that way), and the server's answer must be the one predicted.

import assert from 'node:assert/strict';
import { verdictText } from '../../server/src/core/live/access-report';
import { AccessEntry, RowAccess } from '../../server/src/core/live/row-access';
import { loadParser } from '../../server/src/core/sql/parser';
import { connect, loadAccessSnapshot } from '../../server/src/db';
import { startCluster, TestCluster } from '../support/postgres';
import { target } from './helpers';

/** The fixture; `major` decides the membership syntax (per-grant options from 16). */
function fixture(major: number): string {
  const noInherit = major >= 16 ? 'GRANT readers TO bob WITH INHERIT FALSE, SET TRUE; GRANT readers TO carol WITH INHERIT FALSE, SET FALSE;' : 'ALTER ROLE bob NOINHERIT; GRANT readers TO bob;';
  return `
CREATE ROLE app_owner NOLOGIN;
CREATE ROLE owner_member LOGIN; GRANT app_owner TO owner_member;
CREATE ROLE readers NOLOGIN;
CREATE ROLE alice LOGIN; GRANT readers TO alice;
CREATE ROLE bob LOGIN;
CREATE ROLE carol LOGIN;
${noInherit}
CREATE ROLE dave LOGIN;
CREATE ROLE etl LOGIN BYPASSRLS;
CREATE ROLE nobody LOGIN;
${major >= 14 ? 'CREATE ROLE analyst LOGIN; GRANT pg_read_all_data TO analyst;' : ''}
CREATE SCHEMA rls;
GRANT USAGE ON SCHEMA rls TO PUBLIC;
CREATE TABLE rls.notes (id int, author text, deleted boolean NOT NULL DEFAULT false);
INSERT INTO rls.notes VALUES (1, 'alice', false), (2, 'bob', false), (3, 'readers', false), (4, 'alice', true), (5, 'dave', false);
ALTER TABLE rls.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON rls.notes FOR SELECT TO readers USING (author = current_user);
CREATE POLICY adds ON rls.notes FOR INSERT TO readers WITH CHECK (true);
CREATE POLICY not_deleted ON rls.notes AS RESTRICTIVE TO PUBLIC USING (NOT deleted);
GRANT SELECT, INSERT ON rls.notes TO readers, dave, etl;
ALTER TABLE rls.notes OWNER TO app_owner;
CREATE TABLE rls.forced (id int, author text, deleted boolean NOT NULL DEFAULT false);
INSERT INTO rls.forced VALUES (1, 'x', false), (2, 'y', false), (3, 'z', false);
ALTER TABLE rls.forced ENABLE ROW LEVEL SECURITY;
ALTER TABLE rls.forced FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_sees ON rls.forced FOR SELECT TO app_owner USING (id = 1);
CREATE POLICY everyone ON rls.forced FOR SELECT TO readers USING (true);
GRANT SELECT, INSERT ON rls.forced TO readers, etl;
ALTER TABLE rls.forced OWNER TO app_owner;
CREATE TABLE rls.open (id int, author text, deleted boolean NOT NULL DEFAULT false);
INSERT INTO rls.open VALUES (1, 'x', false), (2, 'y', false);
GRANT SELECT, INSERT ON rls.open TO dave;
ALTER TABLE rls.open OWNER TO app_owner;
`;
}

const ROLES = ['postgres', 'app_owner', 'owner_member', 'readers', 'alice', 'bob', 'carol', 'dave', 'etl', 'nobody', 'analyst'];
const TABLES = ['notes', 'forced', 'open'];

type Outcome = 'denied' | 'no rows' | 'every row' | 'some rows' | 'inserted' | 'rejected by RLS';

describe('db: who can access which rows, as a real server answers under SET ROLE', function () {
  this.timeout(180_000);
  let c: TestCluster;
  let access: RowAccess;

  before(async () => {
    // Policy clauses are parsed (never run) to tell constant ones apart.
    await loadParser();
    c = await startCluster();
    c.psql(fixture(c.version));
    const s = await connect(target(c.port), async () => c.password);
    try {
      access = new RowAccess(await loadAccessSnapshot(s));
    } finally {
      await s.close();
    }
  });
  after(() => c?.stop());

  const roles = () => ROLES.filter((r) => r !== 'analyst' || c.version >= 14);
  const entry = (role: string, table: string, privilege: string) => access.forTable('rls', table).find((e) => e.role === role && e.privilege === privilege);

  /** `SET ROLE` as pgwarden says the privilege is used: the role, then the role set after it. */
  function asRole(e: AccessEntry | undefined, role: string): string {
    const chain = e?.holding.kind === 'setRole' ? [role, ...e.holding.via] : [role];
    return chain.map((r) => `SET ROLE "${r}";`).join(' ');
  }

  /** What the server does: the SELECT's row count against the rows there are, or the INSERT's fate. */
  function actual(sql: string, total: number, insert: boolean): Outcome {
    try {
      const out = c.psql(sql).trim();
      if (insert) return 'inserted';
      const n = Number(out);
      return n === 0 ? 'no rows' : n === total ? 'every row' : 'some rows';
    } catch (err) {
      const m = String((err as Error).message);
      if (/permission denied/.test(m)) return 'denied';
      if (/violates row-level security policy/.test(m)) return 'rejected by RLS';
      throw err;
    }
  }

  /** What pgwarden's answer predicts; for a filtering INSERT, the row written satisfies the policies. */
  function predicted(e: AccessEntry | undefined, insert: boolean): Outcome {
    if (!e) return 'denied';
    const v = e.rls;
    assert.ok(v, `${e.role} ${e.privilege}: a row privilege has a verdict`);
    const every = v.kind === 'off' || v.kind === 'bypassed' || (v.kind === 'policies' && v.rows === 'all');
    const none = v.kind === 'none' || (v.kind === 'policies' && v.rows === 'none');
    if (insert) return none ? 'rejected by RLS' : 'inserted';
    return every ? 'every row' : none ? 'no rows' : 'some rows';
  }

  it('SELECT: each role sees the rows pgwarden says (denied, none, some, every)', () => {
    const mismatches: string[] = [];
    const seen = new Set<string>();
    for (const table of TABLES) {
      const total = Number(c.psql(`SELECT count(*) FROM rls.${table}`).trim());
      for (const role of roles()) {
        const e = entry(role, table, 'SELECT');
        const want = predicted(e, false);
        const got = actual(`${asRole(e, role)} SELECT count(*) FROM rls.${table}`, total, false);
        seen.add(got);
        if (want !== got) mismatches.push(`${role} SELECT rls.${table}: pgwarden says ${want} (${verdictText(e?.rls, 'SELECT')}), the server gives ${got}`);
      }
    }
    assert.deepEqual(mismatches, []);
    // The fixture exercises every outcome, so the comparison above means something.
    assert.deepEqual([...seen].sort(), ['denied', 'every row', 'no rows', 'some rows']);
  });

  it('INSERT: accepted, rejected by RLS or denied as pgwarden says; a filtering policy still rejects a row it does not admit', () => {
    const mismatches: string[] = [];
    const seen = new Set<string>();
    for (const table of TABLES) {
      for (const role of roles()) {
        const e = entry(role, table, 'INSERT');
        const want = predicted(e, true);
        const probe = (deleted: boolean) => `${asRole(e, role)} BEGIN; INSERT INTO rls.${table} VALUES (99, 'probe', ${deleted}); ROLLBACK;`;
        const got = actual(probe(false), 0, true);
        seen.add(got);
        if (want !== got) mismatches.push(`${role} INSERT rls.${table}: pgwarden says ${want} (${verdictText(e?.rls, 'INSERT')}), the server gives ${got}`);
        if (e?.rls?.kind === 'policies' && e.rls.rows === 'filtered' && actual(probe(true), 0, true) !== 'rejected by RLS') {
          mismatches.push(`${role} INSERT rls.${table}: pgwarden says filtered, yet a deleted row got in`);
        }
      }
    }
    assert.deepEqual(mismatches, []);
    assert.deepEqual([...seen].sort(), ['denied', 'inserted', 'rejected by RLS']);
    assert.equal(c.psql(`SELECT count(*) FROM rls.notes WHERE id = 99`).trim(), '0');
  });

  it('names the path and the reason for the cases that matter', () => {
    const words = (role: string, table: string, privilege = 'SELECT') => {
      const e = entry(role, table, privilege);
      return e ? `${e.holding.kind} ${verdictText(e.rls, privilege)}` : 'none';
    };
    assert.equal(words('alice', 'notes'), 'member filtered: own_rows AND RESTRICTIVE not_deleted');
    assert.equal(words('bob', 'notes'), 'setRole filtered: own_rows AND RESTRICTIVE not_deleted');
    // carol: a member with neither INHERIT nor SET on 16+; no member at all before.
    assert.equal(words('carol', 'notes'), 'none');
    assert.equal(words('dave', 'notes'), 'direct no permissive policy applies: sees 0 rows');
    assert.equal(words('dave', 'notes', 'INSERT'), 'direct no permissive policy applies: cannot insert');
    assert.equal(words('etl', 'forced'), 'direct bypassed (BYPASSRLS): every row');
    assert.equal(words('app_owner', 'notes'), 'owner bypassed (owner, RLS not forced): every row');
    assert.equal(words('owner_member', 'notes'), 'owner bypassed (owner, RLS not forced): every row');
    assert.equal(words('app_owner', 'forced'), 'owner filtered: owner_sees');
    assert.equal(words('readers', 'forced'), 'direct every row: everyone');
    assert.equal(words('postgres', 'forced'), 'superuser bypassed (superuser): every row');
    assert.equal(words('dave', 'open'), 'direct RLS off: every row');
    if (c.version >= 14) assert.equal(words('analyst', 'notes'), 'member no permissive policy applies: sees 0 rows');
  });
});
