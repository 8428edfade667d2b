// Who can access a table and which rows: the pure judgement (core/live/row-access.ts) and
// its words and exports (core/live/access-report.ts). test/db/row-access.test.ts holds the
// same answers to what a real server does under SET ROLE.

import assert from 'node:assert/strict';
import type { AclGrant, PolicyInfo, TableInfo } from '../../../server/src/core/live/catalog';
import { holdingText, renderAccess, verdictText } from '../../../server/src/core/live/access-report';
import { loadParser } from '../../../server/src/core/sql/parser';
import { AccessMembership, AccessRole, AccessSnapshot, RowAccess } from '../../../server/src/core/live/row-access';
import { accessLeaves, accessRoleNodes } from '../../../server/src/lsp/live/access-tree';

const role = (name: string, extra: Partial<AccessRole> = {}): AccessRole => ({ name, superuser: false, bypassrls: false, ...extra });
const member = (m: string, r: string, inherit = true, set = true): AccessMembership => ({ member: m, role: r, inherit, set });
const grant = (grantee: string, ...privileges: string[]): AclGrant[] => privileges.map((privilege) => ({ grantee, grantor: 'owner', privilege, grantable: false }));
const OWNER_ALL = grant('owner', 'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER');
const policy = (name: string, command: PolicyInfo['command'], roles: string[], using: string | null, withCheck: string | null = null, permissive = true): PolicyInfo => ({
  name,
  command,
  permissive,
  roles,
  using,
  withCheck,
});
const table = (name: string, extra: Partial<TableInfo> = {}): TableInfo => ({
  schema: 'app',
  name,
  kind: 'table',
  owner: 'owner',
  rls: true,
  forceRls: false,
  securityInvoker: false,
  policies: [],
  grants: OWNER_ALL,
  ...extra,
});

const ROLES = [
  role('postgres', { superuser: true }),
  role('owner'),
  role('owner_member'),
  role('bypasser', { bypassrls: true }),
  role('readers'),
  role('alice'),
  role('bob'),
  role('carol'),
  role('dave'),
  role('eve'),
  role('pg_read_all_data'),
  role('analyst'),
];
const MEMBERS = [
  member('owner_member', 'owner'),
  member('alice', 'readers'),
  // bob may SET ROLE readers but does not inherit its privileges (16+: INHERIT FALSE; before: NOINHERIT).
  member('bob', 'readers', false, true),
  // carol has neither: membership alone gives nothing.
  member('carol', 'readers', false, false),
  member('analyst', 'pg_read_all_data'),
];

const NOTES = table('notes', {
  grants: [...OWNER_ALL, ...grant('readers', 'SELECT', 'INSERT'), ...grant('bypasser', 'SELECT'), ...grant('dave', 'SELECT', 'DELETE'), ...grant('PUBLIC', 'REFERENCES')],
  policies: [
    policy('own_rows', 'SELECT', ['readers'], '(author = CURRENT_USER)'),
    policy('everyone_adds', 'INSERT', ['PUBLIC'], null, 'true'),
    policy('not_deleted', 'ALL', ['PUBLIC'], '(NOT deleted)', null, false),
  ],
});

function access(tables: TableInfo[], major = 17, roles = ROLES, memberships = MEMBERS): RowAccess {
  const snap: AccessSnapshot = { serverMajor: major, roles, memberships, tables };
  return new RowAccess(snap);
}

/** Each entry as `role PRIVILEGE | how | rows`, the way the report prints it. */
function lines(a: RowAccess, t: string, only?: (role: string) => boolean): string[] {
  return a
    .forTable('app', t)
    .filter((e) => ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'].includes(e.privilege) && (!only || only(e.role)))
    .map((e) => `${e.role} ${e.privilege} | ${holdingText(e.holding)} | ${verdictText(e.rls, e.privilege)}`);
}

describe('live: who can access, aware of row-level security', () => {
  before(() => loadParser());

  it('gives each role its path and what RLS leaves of the rows (RLS on, not forced)', () => {
    const a = access([NOTES]);
    assert.deepEqual(lines(a, 'notes', (r) => r !== 'postgres' && r !== 'owner' && r !== 'owner_member'), [
      'alice SELECT | via readers | filtered: own_rows AND RESTRICTIVE not_deleted',
      'alice INSERT | via readers | filtered: everyone_adds AND RESTRICTIVE not_deleted',
      // pg_read_all_data does not bypass row-level security; no policy names it.
      'analyst SELECT | via pg_read_all_data | no permissive policy applies: sees 0 rows',
      'bob SELECT | only after SET ROLE readers (not inherited), then granted to it | filtered: own_rows AND RESTRICTIVE not_deleted',
      'bob INSERT | only after SET ROLE readers (not inherited), then granted to it | filtered: everyone_adds AND RESTRICTIVE not_deleted',
      'bypasser SELECT | granted to it | bypassed (BYPASSRLS): every row',
      'dave SELECT | granted to it | no permissive policy applies: sees 0 rows',
      'dave DELETE | granted to it | no permissive policy applies: deletes 0 rows',
      'pg_read_all_data SELECT | predefined role: every table | no permissive policy applies: sees 0 rows',
      'readers SELECT | granted to it | filtered: own_rows AND RESTRICTIVE not_deleted',
      'readers INSERT | granted to it | filtered: everyone_adds AND RESTRICTIVE not_deleted',
    ]);
    // carol and eve hold nothing (REFERENCES through PUBLIC is not a row privilege).
    assert.deepEqual(a.forTable('app', 'notes').filter((e) => e.role === 'eve').map((e) => `${e.privilege} ${holdingText(e.holding)} ${verdictText(e.rls, e.privilege)}`), [
      'REFERENCES PUBLIC RLS does not apply',
    ]);
    assert.equal(a.forTable('app', 'notes').filter((e) => e.role === 'carol' && e.privilege !== 'REFERENCES').length, 0);
  });

  it('the owner and members of the owner bypass RLS unless it is forced; superusers and BYPASSRLS always do', () => {
    const who = (r: string) => ['owner', 'owner_member', 'postgres', 'bypasser'].includes(r);
    const on = lines(access([NOTES]), 'notes', who).filter((l) => / (SELECT|TRUNCATE) /.test(l));
    assert.deepEqual(on, [
      'bypasser SELECT | granted to it | bypassed (BYPASSRLS): every row',
      'owner SELECT | owner | bypassed (owner, RLS not forced): every row',
      'owner TRUNCATE | owner | RLS does not apply: empties the table',
      'owner_member SELECT | via owner (the owner) | bypassed (owner, RLS not forced): every row',
      'owner_member TRUNCATE | via owner (the owner) | RLS does not apply: empties the table',
      'postgres SELECT | superuser | bypassed (superuser): every row',
      'postgres TRUNCATE | superuser | RLS does not apply: empties the table',
    ]);
    const forced = lines(access([{ ...NOTES, forceRls: true }]), 'notes', who).filter((l) => / SELECT /.test(l));
    assert.deepEqual(forced, [
      'bypasser SELECT | granted to it | bypassed (BYPASSRLS): every row',
      // No policy names the owner: once forced, it sees nothing of its own table.
      'owner SELECT | owner | no permissive policy applies: sees 0 rows',
      'owner_member SELECT | via owner (the owner) | no permissive policy applies: sees 0 rows',
      'postgres SELECT | superuser | bypassed (superuser): every row',
    ]);
  });

  it('RLS off, only FORCE set, and views', () => {
    const a = access([
      { ...NOTES, name: 'open', rls: false },
      { ...NOTES, name: 'only_force', rls: false, forceRls: true },
      { ...NOTES, name: 'v', kind: 'view', rls: false, policies: [] },
    ]);
    assert.deepEqual(lines(a, 'open', (r) => r === 'dave'), ['dave SELECT | granted to it | RLS off: every row', 'dave DELETE | granted to it | RLS off: every row']);
    assert.deepEqual(lines(a, 'only_force', (r) => r === 'owner').slice(0, 1), ['owner SELECT | owner | RLS off: every row']);
    assert.deepEqual(lines(a, 'v', (r) => r === 'dave'), ['dave SELECT | granted to it | view: no RLS of its own', 'dave DELETE | granted to it | view: no RLS of its own']);
  });

  it('a policy applies only to roles that inherit its role: not through INHERIT FALSE, and SET ROLE is judged as the role set', () => {
    // bob holds SELECT directly but reaches `readers` only by SET: own_rows is not his.
    const t = { ...NOTES, grants: [...NOTES.grants, ...grant('bob', 'SELECT')] };
    assert.deepEqual(lines(access([t]), 'notes', (r) => r === 'bob'), [
      'bob SELECT | granted to it | no permissive policy applies: sees 0 rows',
      'bob INSERT | only after SET ROLE readers (not inherited), then granted to it | filtered: everyone_adds AND RESTRICTIVE not_deleted',
    ]);
    // Before 16 a member's NOINHERIT is the member's attribute and SET ROLE follows every membership.
    const pre16 = access([NOTES], 15, ROLES, [member('bob', 'readers', false, true), member('carol', 'readers', false, true)]);
    assert.deepEqual(lines(pre16, 'notes', (r) => r === 'carol').map((l) => l.split(' | ')[1]), ['only after SET ROLE readers (not inherited), then granted to it', 'only after SET ROLE readers (not inherited), then granted to it']);
    // SET ROLE into a superuser: every row, as the superuser.
    const toSuper = access([NOTES], 17, ROLES, [member('eve', 'postgres', false, true)]);
    assert.deepEqual(lines(toSuper, 'notes', (r) => r === 'eve')[0], 'eve SELECT | only after SET ROLE postgres (not inherited), then superuser | bypassed (superuser): every row');
  });

  it('permissive policies are ORed, restrictive ones ANDed; constant clauses say every row or no row', () => {
    const t = table('t', {
      grants: [...OWNER_ALL, ...grant('alice', 'SELECT', 'INSERT', 'UPDATE', 'DELETE')],
      policies: [
        policy('a_all', 'SELECT', ['alice'], 'true'),
        policy('b_mine', 'SELECT', ['PUBLIC'], '(author = CURRENT_USER)'),
        policy('ins_nocheck', 'INSERT', ['alice'], null, null),
        policy('upd_false', 'UPDATE', ['alice'], 'false'),
        policy('del_true', 'DELETE', ['alice'], 'true'),
        policy('del_keep', 'DELETE', ['PUBLIC'], 'true', null, false),
      ],
    });
    assert.deepEqual(lines(access([t], 17, [role('alice'), role('owner')], []), 't', (r) => r === 'alice'), [
      'alice SELECT | granted to it | every row: a_all OR b_mine',
      // A permissive INSERT policy without WITH CHECK admits no new row.
      'alice INSERT | granted to it | no row: ins_nocheck',
      'alice UPDATE | granted to it | no row: upd_false',
      'alice DELETE | granted to it | every row: del_true AND RESTRICTIVE del_keep',
    ]);
    const two = table('t2', {
      grants: [...OWNER_ALL, ...grant('alice', 'SELECT')],
      policies: [policy('p1', 'ALL', ['alice'], '(a = 1)'), policy('p2', 'SELECT', ['alice'], '(b = 2)'), policy('r1', 'SELECT', ['alice'], 'false', null, false)],
    });
    assert.deepEqual(lines(access([two], 17, [role('alice'), role('owner')], []), 't2', (r) => r === 'alice'), ['alice SELECT | granted to it | no row: (p1 OR p2) AND RESTRICTIVE r1']);
  });

  it('says so when the session may not read pg_policy', () => {
    const t = { ...NOTES, policies: [], policiesUnreadable: true };
    assert.deepEqual(lines(access([t]), 'notes', (r) => r === 'dave' || r === 'bypasser').map((l) => l.split(' | ')[2]), [
      'bypassed (BYPASSRLS): every row',
      'RLS on: policies not readable by this session',
      'RLS on: policies not readable by this session',
    ]);
  });

  it('forRole lists the tables of one role, SET ROLE reach included', () => {
    const a = access([NOTES, { ...NOTES, name: 'open', rls: false }]);
    assert.deepEqual(
      a.forRole('bob').map((e) => `${e.table} ${e.privilege} ${e.holding.kind}`),
      ['notes SELECT setRole', 'notes INSERT setRole', 'notes REFERENCES public', 'open SELECT setRole', 'open INSERT setRole', 'open REFERENCES public'],
    );
    assert.deepEqual(a.forRole('nobody'), []);
  });
});

describe('live: who-can-access exports', () => {
  const entries = access([NOTES]).forTable('app', 'notes').filter((e) => e.role === 'alice' || e.role === 'eve');

  it('Markdown: a heading and a table, pipes in names escaped', () => {
    const md = renderAccess('Who can access app.notes', entries, 'table', 'markdown');
    assert.equal(
      md,
      [
        '# Who can access app.notes',
        '',
        '| Role | Privilege | Path | Row-level security |',
        '| --- | --- | --- | --- |',
        '| alice | SELECT | via readers | filtered: own_rows AND RESTRICTIVE not_deleted |',
        '| alice | INSERT | via readers | filtered: everyone_adds AND RESTRICTIVE not_deleted |',
        '| alice | REFERENCES | PUBLIC | RLS does not apply |',
        '| eve | REFERENCES | PUBLIC | RLS does not apply |',
        '',
      ].join('\n'),
    );
    const odd = renderAccess('t', [{ ...entries[0], role: 'a|b\nc' }], 'table', 'markdown');
    assert.ok(odd.includes('| a\\|b c | SELECT |'), odd);
  });

  it('CSV: RFC 4180 quoting, CRLF, and no formula a spreadsheet would run', () => {
    const csv = renderAccess('ignored', [{ ...entries[0], role: '=HYPERLINK("x")' }, { ...entries[1], role: 'a,b' }], 'table', 'csv');
    assert.equal(
      csv,
      'Role,Privilege,Path,Row-level security\r\n' +
        `"'=HYPERLINK(""x"")",SELECT,via readers,filtered: own_rows AND RESTRICTIVE not_deleted\r\n` +
        '"a,b",INSERT,via readers,filtered: everyone_adds AND RESTRICTIVE not_deleted\r\n',
    );
  });

  it('text: aligned columns under the title; by role, the table is the first column', () => {
    assert.equal(
      renderAccess('app.notes', entries.slice(0, 2), 'table', 'text'),
      [
        'app.notes',
        'Role   Privilege  Path         Row-level security',
        'alice  SELECT     via readers  filtered: own_rows AND RESTRICTIVE not_deleted',
        'alice  INSERT     via readers  filtered: everyone_adds AND RESTRICTIVE not_deleted',
        '',
      ].join('\n'),
    );
    assert.equal(renderAccess('alice', entries.slice(0, 1), 'role', 'csv').split('\r\n')[1], 'app.notes,SELECT,via readers,filtered: own_rows AND RESTRICTIVE not_deleted');
    assert.equal(renderAccess('x', [], 'table', 'markdown'), '# x\n\nNo role holds a privilege here.\n');
  });
});

describe('live: the tree\'s "Who can access"', () => {
  before(() => loadParser());

  it('one node per role: privileges, then the path and the rows when every privilege shares them', () => {
    const t = { ...NOTES, grants: [...NOTES.grants, ...grant('PUBLIC', 'SELECT')], rls: false };
    const entries = access([NOTES, { ...t, name: 'pub' }]).forTable('app', 'pub');
    const nodes = accessRoleNodes({ schema: 'app', name: 'pub' }, entries);
    const by = (r: string) => nodes.find((n) => n.label === r)!;
    assert.equal(by('alice').description, 'SELECT, INSERT, REFERENCES · paths differ by privilege · RLS off: every row');
    assert.equal(by('eve').description, 'SELECT, REFERENCES · PUBLIC · RLS off: every row');
    // Every row through PUBLIC is marked; a filtered PUBLIC read is not.
    assert.deepEqual([by('eve').warning, by('eve').icon], [true, 'globe']);
    assert.equal(accessRoleNodes({ schema: 'app', name: 'notes' }, access([NOTES]).forTable('app', 'notes')).find((n) => n.label === 'eve')!.warning, false);
    assert.deepEqual(by('eve').ref, { kind: 'accessRole', schema: 'app', table: 'pub', role: 'eve' });
    assert.deepEqual(
      accessLeaves('dave', access([NOTES]).forTable('app', 'notes')).map((n) => [n.label, n.description, n.icon]),
      [
        ['SELECT', 'granted to it · no permissive policy applies: sees 0 rows', 'circle-slash'],
        ['DELETE', 'granted to it · no permissive policy applies: deletes 0 rows', 'circle-slash'],
        ['REFERENCES', 'PUBLIC · RLS does not apply', 'key'],
      ],
    );
    assert.deepEqual(accessRoleNodes({ schema: 'app', name: 'x' }, []).map((n) => n.label), ['No role holds a privilege here']);
  });
});
