// The role tree presenter, without PostgreSQL: the nodes it shows for catalog data, and
// that its warnings are the audit's and core's judgements, not its own.

import assert from 'node:assert/strict';
import { DbFinding, PolicyInfo, RoleInfo, TableInfo } from '../../../server/src/core/live/catalog';
import * as tree from '../../../server/src/lsp/live/tree';

const role = (name: string, over: Partial<RoleInfo> = {}): RoleInfo => ({
  name,
  oid: 16384,
  superuser: false,
  login: true,
  createrole: false,
  createdb: false,
  bypassrls: false,
  replication: false,
  inherit: true,
  connectionLimit: -1,
  validUntil: null,
  passwordType: 'scram-sha-256',
  predefined: false,
  group: 'login',
  ...over,
});
const policy = (name: string, over: Partial<PolicyInfo> = {}): PolicyInfo => ({ name, command: 'ALL', permissive: true, roles: ['PUBLIC'], using: '(owner = CURRENT_USER)', withCheck: null, ...over });
const table = (over: Partial<TableInfo> = {}): TableInfo => ({
  schema: 'app',
  name: 'user',
  kind: 'table',
  owner: 'owner',
  rls: false,
  forceRls: false,
  securityInvoker: false,
  policies: [],
  grants: [],
  ...over,
});
const finding = (ruleId: string, object: string, extra: Partial<DbFinding> = {}): DbFinding => ({ ruleId, severity: 'warning', message: 'm', object, objectKind: 'table', ...extra });

describe('live: tree presenter', () => {
  it('a role: attributes, risks and the warning icon from core/live/roles', () => {
    const n = tree.roleNode(role('etl', { bypassrls: true, connectionLimit: 5, passwordType: 'md5' }));
    assert.equal(n.description, 'LOGIN, BYPASSRLS, CONNECTION LIMIT 5, password: md5');
    assert.deepEqual([n.icon, n.warning, n.contextValue, n.ref], ['warning', true, 'role', { kind: 'role', role: 'etl' }]);
    assert.match(n.tooltip!, /⚠ BYPASSRLS ignores every row-level security policy\n⚠ the password is an MD5 hash/);
    const plain = tree.roleNode(role('reader', { login: false }));
    assert.deepEqual([plain.icon, plain.warning, plain.description], ['organization', false, 'password: scram-sha-256']);
  });

  it('a table with RLS off and only FORCE set reads as off, and warns only for data privileges of others', () => {
    const t = table({ forceRls: true, grants: [{ grantee: 'auditor', grantor: 'owner', privilege: 'TRUNCATE', grantable: false }] });
    const [rls] = tree.tableSectionNodes(t);
    assert.deepEqual([rls.label, rls.icon, rls.warning], ['Row-level security: off (FORCE set, no effect while off)', 'unlock', false]);
    const granted = tree.tableSectionNodes(table({ grants: [{ grantee: 'reader', grantor: 'owner', privilege: 'SELECT', grantable: false }] }))[0];
    assert.equal(granted.warning, true);
    const summary = tree.tableNode({ ...t, policyCount: 1, grantCount: 2 });
    assert.equal(summary.description, 'RLS off (FORCE set, no effect while off) · 1 policy · 2 grantees');
  });

  it("marks exactly the policies the audit flags, folded constants included, on a keyword-named table", () => {
    const t = table({ rls: true, policies: [policy('one', { using: '(1 = 1)' }), policy('own')] });
    const flagged = tree.flaggedPolicies({ findings: [finding('db-policy-always-true', 'app."user"', { policy: 'one' }), finding('db-policy-always-true', 'app.other', { policy: 'own' })] }, t);
    assert.deepEqual([...flagged], ['one']);
    assert.deepEqual(tree.policyNodes(t, flagged).map((n) => [n.label, n.warning]), [['one', true], ['own', false]]);
    assert.deepEqual(tree.policyLeaves(t.policies[0], true).map((n) => [n.label, n.warning ?? false]), [
      ['Command: ALL', false],
      ['Permissive (OR-ed with other permissive policies)', false],
      ['Roles: PUBLIC', false],
      ['USING ((1 = 1))', true],
    ]);
  });

  it('grants carry a REVOKE target named with the identifier module', () => {
    const [g] = tree.grantNodes(table({ grants: [{ grantee: 'PUBLIC', grantor: 'owner', privilege: 'SELECT', grantable: false }] }), 'PUBLIC');
    assert.deepEqual(g.sql, { kind: 'privilege', objectType: 'table', object: 'app."user"', privilege: 'SELECT', grantee: 'PUBLIC', grantable: false });
    assert.deepEqual([g.icon, g.warning, g.role], ['globe', true, undefined]);
  });

  it("grantees are grouped by role; the owner's implicit privileges fold into one leaf and are not counted", () => {
    const g = (grantee: string, privilege: string, grantable = false) => ({ grantee, grantor: 'owner', privilege, grantable });
    const t = table({ grants: [g('owner', 'SELECT'), g('owner', 'INSERT'), g('reader', 'SELECT'), g('writer', 'INSERT', true), g('writer', 'UPDATE'), g('PUBLIC', 'SELECT')] });
    assert.deepEqual(tree.granteeNodes(t).map((n) => [n.label, n.description ?? '', n.warning ?? false, n.expandable]), [
      ['reader: SELECT', '', false, true],
      ['writer: INSERT*, UPDATE', '* WITH GRANT OPTION', false, true],
      ['PUBLIC: SELECT', '', true, true],
      ['owner (owner)', 'every privilege, implicitly', false, false],
    ]);
    assert.deepEqual(tree.grantNodes(t, 'writer').map((n) => [n.label, n.description, n.sql && 'privilege' in n.sql ? n.sql.privilege : '']), [
      ['INSERT', 'WITH GRANT OPTION · granted by owner', 'INSERT'],
      ['UPDATE', 'granted by owner', 'UPDATE'],
    ]);
    const grantees = tree.tableSectionNodes(t).find((n) => n.id === 'grantees')!;
    assert.deepEqual([grantees.description, grantees.warning], ['3 (PUBLIC among them)', true]);
  });

  it('a view shows security_invoker, not RLS off, and no policies', () => {
    const v = table({ kind: 'view', grants: [{ grantee: 'reader', grantor: 'owner', privilege: 'SELECT', grantable: false }] });
    assert.deepEqual(tree.tableSectionNodes(v).map((n) => n.label), ['security_invoker: off', 'Grantees', 'Who can access']);
    assert.equal(tree.tableNode({ ...v, policyCount: 0, grantCount: 1 }).description, 'view · runs as owner · 1 grantee');
    assert.equal(tree.tableNode({ ...v, securityInvoker: true, policyCount: 0, grantCount: 1 }).description, 'view · security_invoker · 1 grantee');
  });

  it("a role's built-in PUBLIC defaults fold into one collapsed node", () => {
    const p = (objectType: 'database' | 'language' | 'table', object: string, privilege: string, viaPublic = true) => ({ objectType, object, privilege, grantable: false, grantor: 'postgres', viaPublic });
    const list = [p('database', 'template1', 'CONNECT'), p('table', 'public.settings', 'SELECT'), p('language', 'plpgsql', 'USAGE'), p('database', 'app', 'CONNECT'), p('table', 'app.t', 'SELECT', false)];
    const nodes = tree.privilegeNodes('alice', list);
    assert.deepEqual(nodes.map((n) => [n.label, n.description]), [
      ['SELECT on table public.settings', 'PUBLIC · by postgres'],
      ['CONNECT on database app', 'PUBLIC · by postgres'],
      ['SELECT on table app.t', 'by postgres'],
      ['Built-in PUBLIC defaults', '2'],
    ]);
    assert.deepEqual(nodes[3].ref, { kind: 'roleSection', role: 'alice', section: 'publicDefaults' });
    assert.equal(nodes[3].expanded, undefined);
    assert.deepEqual(tree.publicDefaultNodes('alice', list).map((n) => n.label), ['CONNECT on database template1', 'USAGE on language plpgsql']);
  });

  it('findings, then what was not checked and what was checked with less', () => {
    const nodes = tree.findingNodes({ findings: [finding('db-rls-off-granted', 'app."user"', { severity: 'error' })], skipped: ['x: no'], notes: ['y: less'] });
    assert.deepEqual(nodes.map((n) => [n.label, n.icon, n.table]), [
      ['m', 'error', { schema: 'app', name: 'user' }],
      ['Not checked: x: no', 'circle-slash', undefined],
      ['y: less', 'info', undefined],
    ]);
    assert.deepEqual(tree.findingNodes({ findings: [], skipped: [], notes: [] }).map((n) => n.label), ['No findings']);
  });

  it('role groups: superusers warn when there is more than one', () => {
    const nodes = tree.roleGroupNodes({ superuser: 2, login: 3, group: 0, predefined: 10 });
    assert.deepEqual(nodes.map((n) => [n.label, n.description, n.warning, n.expandable, n.expanded]), [
      ['Superusers', '2', true, true, true],
      ['Login roles', '3', false, true, true],
      ['Group roles', '0', false, false, false],
      ['Predefined roles (pg_*)', '10', false, true, false],
    ]);
  });
});
