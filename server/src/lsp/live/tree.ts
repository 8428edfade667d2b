// The role tree's presenter: catalog data (and the live audit's verdicts) in, tree nodes
// out. Pure, so every node is unit-tested without a server. It judges nothing itself:
// RLS states, role attributes and the policies flagged come from core/live and the audit.

import { parseSchemaQualified, quoteQualified } from '../../core/identifier';
import type { AclGrant, DbFinding, EffectivePrivilege, Membership, ObjectPrivilege, OwnedObject, PolicyInfo, RoleDetails, RoleGroup, RoleInfo, TableInfo, TableSummary } from '../../core/live/catalog';
import { rlsExplanation, rlsLabel, rlsRelevantGrantees, rlsState } from '../../core/live/rls';
import { roleAttributeList, roleRisks } from '../../core/live/roles';
import type { AuditResult } from '../../db';
import type { DbTreeNode } from '../../shared/protocol';
import { SESSIONS_NODE } from './sessions-tree';
import { accessSectionNode } from './access-tree';
import { DRIFT_NODE } from './drift-tree';

export function info(id: string, label: string, icon: string): DbTreeNode {
  return { id, label, icon, expandable: false, contextValue: 'info' };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A connection's top level. */
export function rootNodes(): DbTreeNode[] {
  return [
    { id: 'roles', label: 'Roles', icon: 'organization', expandable: true, expanded: true, ref: { kind: 'roles' }, contextValue: 'roles' },
    { id: 'tables', label: 'Tables', icon: 'table', expandable: true, ref: { kind: 'tables' }, contextValue: 'tables' },
    { id: 'findings', label: 'Findings', icon: 'shield', expandable: true, ref: { kind: 'findings' }, contextValue: 'findings', tooltip: 'The live audit: db-* findings computed from the catalog.' },
    SESSIONS_NODE,
    DRIFT_NODE,
  ];
}

export function roleGroupNodes(counts: Record<RoleGroup, number>): DbTreeNode[] {
  const groups: Array<[RoleGroup, string, string, boolean]> = [
    ['superuser', 'Superusers', 'star-full', true],
    ['login', 'Login roles', 'person', true],
    ['group', 'Group roles', 'organization', true],
    ['predefined', 'Predefined roles (pg_*)', 'library', false],
  ];
  return groups.map(([group, label, icon, expanded]) => ({
    id: `group:${group}`,
    label,
    description: String(counts[group]),
    icon,
    warning: group === 'superuser' && counts.superuser > 1,
    tooltip: group === 'superuser' && counts.superuser > 1 ? `${counts.superuser} superusers: every one of them bypasses every permission check.` : undefined,
    expandable: counts[group] > 0,
    expanded: expanded && counts[group] > 0,
    contextValue: 'roleGroup',
    ref: { kind: 'roleGroup', group },
  }));
}

export function roleNode(r: RoleInfo): DbTreeNode {
  const attrs = roleAttributeList(r);
  if (r.passwordType && r.passwordType !== 'none') attrs.push(`password: ${r.passwordType}`);
  const risky = roleRisks(r);
  const all = [
    `Role ${r.name}`,
    `SUPERUSER: ${r.superuser}`,
    `LOGIN: ${r.login}`,
    `CREATEROLE: ${r.createrole}`,
    `CREATEDB: ${r.createdb}`,
    `BYPASSRLS: ${r.bypassrls}`,
    `REPLICATION: ${r.replication}`,
    `INHERIT: ${r.inherit}`,
    `Connection limit: ${r.connectionLimit < 0 ? 'none' : r.connectionLimit}`,
    `Valid until: ${r.validUntil ?? 'no expiry'}`,
    `Password: ${r.passwordType ?? 'not visible to this session'}`,
  ];
  if (risky.length) all.push('', ...risky.map((x) => `⚠ ${x}`));
  return {
    id: `role:${r.name}`,
    label: r.name,
    description: attrs.join(', '),
    tooltip: all.join('\n'),
    icon: risky.length ? 'warning' : r.login ? 'person' : 'organization',
    warning: risky.length > 0,
    expandable: true,
    ref: { kind: 'role', role: r.name },
    contextValue: 'role',
    role: r.name,
  };
}

/** The sections under one role. */
export function roleSectionNodes(role: string, d: RoleDetails): DbTreeNode[] {
  const section = (s: 'memberOf' | 'members' | 'privileges' | 'effective' | 'owned', label: string, icon: string, n?: number): DbTreeNode => ({
    id: s,
    label,
    description: n === undefined ? undefined : String(n),
    icon,
    expandable: n === undefined || n > 0,
    ref: { kind: 'roleSection', role, section: s },
    contextValue: `roleSection.${s}`,
    role,
  });
  const publicCount = d.privileges.filter((x) => x.viaPublic).length;
  const priv = section('privileges', 'Privileges', 'key', d.privileges.length);
  if (publicCount) priv.description = `${d.privileges.length} (${publicCount} through PUBLIC)`;
  return [
    section('memberOf', 'Member of', 'arrow-up', d.memberOf.length),
    section('members', 'Members', 'arrow-down', d.members.length),
    priv,
    section('effective', 'Effective privileges on tables', 'eye'),
    section('owned', 'Owned objects', 'archive', d.owned.length),
  ];
}

/** `rows`: what row-level security leaves of each privilege (core/live/access-report verdictText), when known. */
export function effectiveNodes(role: string, list: readonly EffectivePrivilege[], rows?: (e: EffectivePrivilege) => string | undefined): DbTreeNode[] {
  return list.map((e) => ({
    id: `eff:${e.schema}:${e.table}:${e.privilege}`,
    label: `${e.privilege} on ${e.schema}.${e.table}`,
    description: [e.via.length === 0 ? 'direct or owner' : `via ${e.via.join(' → ')}`, rows?.(e)].filter(Boolean).join(' · '),
    tooltip: `${e.via.length === 0 ? `${role} holds ${e.privilege} itself (a grant to it, ownership, or superuser).` : `${role} → ${e.via.join(' → ')} holds ${e.privilege}`}${rows?.(e) ? `\nRow-level security: ${rows(e)}.` : ''}`,
    icon: e.via[e.via.length - 1] === 'PUBLIC' ? 'globe' : 'eye',
    warning: e.via[e.via.length - 1] === 'PUBLIC',
    expandable: false,
    contextValue: 'effective',
    table: { schema: e.schema, name: e.table },
    sql: { kind: 'effective' as const, role, schema: e.schema, table: e.table, privilege: e.privilege, via: e.via },
  }));
}

/** `memberOf`: the roles `m.member` belongs to; `members`: the members of `m.role`. */
export function membershipNodes(section: 'memberOf' | 'members', list: readonly Membership[]): DbTreeNode[] {
  return list.map((m) => {
    const other = section === 'memberOf' ? m.role : m.member;
    const opts = [m.admin ? 'ADMIN' : '', m.inherit ? 'INHERIT' : 'NOINHERIT', m.set ? 'SET' : 'NOSET'].filter(Boolean).join(', ');
    return {
      id: `m:${other}`,
      label: other,
      description: opts,
      tooltip: `${m.member} is a member of ${m.role} (${opts})${m.grantors.length ? `, granted by ${m.grantors.join(', ')}` : ''}`,
      icon: section === 'memberOf' ? 'arrow-up' : 'arrow-down',
      warning: m.admin,
      expandable: true,
      ref: { kind: 'role' as const, role: other },
      contextValue: 'membership',
      role: other,
      sql: { kind: 'membership' as const, role: m.role, member: m.member, admin: m.admin },
    };
  });
}

/**
 * What PostgreSQL grants PUBLIC in every cluster: CONNECT and TEMPORARY on the template
 * databases, USAGE on the trusted built-in languages. Every role has them; listed one by
 * one they bury the grants someone made, so the tree folds them into one node.
 */
export function isBuiltinPublicDefault(x: Pick<ObjectPrivilege, 'viaPublic' | 'objectType' | 'object' | 'privilege'>): boolean {
  if (!x.viaPublic) return false;
  if (x.objectType === 'database') return (x.object === 'template0' || x.object === 'template1') && (x.privilege === 'CONNECT' || x.privilege === 'TEMPORARY');
  if (x.objectType === 'language') return x.privilege === 'USAGE' && (x.object === 'sql' || x.object === 'plpgsql' || x.object === 'internal');
  return false;
}

function privilegeNode(role: string, x: ObjectPrivilege, i: number): DbTreeNode {
  return {
    id: `p:${i}:${x.objectType}:${x.object}:${x.privilege}`,
    label: `${x.privilege} on ${x.objectType} ${x.object}`,
    description: [x.viaPublic ? 'PUBLIC' : '', x.grantable ? 'WITH GRANT OPTION' : '', `by ${x.grantor}`].filter(Boolean).join(' · '),
    tooltip: `${x.privilege} on ${x.objectType} ${x.object}${x.viaPublic ? ', granted to PUBLIC (every role)' : ` granted to ${role}`} by ${x.grantor}`,
    icon: x.viaPublic ? 'globe' : 'key',
    warning: x.viaPublic && (x.objectType === 'table' || x.objectType === 'column' || (x.objectType === 'schema' && x.privilege === 'CREATE')),
    expandable: false,
    contextValue: 'privilege',
    sql: { kind: 'privilege' as const, objectType: x.objectType, object: x.object, privilege: x.privilege, grantee: x.viaPublic ? 'PUBLIC' : role, grantable: x.grantable },
  };
}

/** A role's privileges; the built-in PUBLIC defaults fold into one collapsed node at the end. */
export function privilegeNodes(role: string, list: readonly ObjectPrivilege[]): DbTreeNode[] {
  const nodes = list.map((x, i) => [x, i] as const).filter(([x]) => !isBuiltinPublicDefault(x)).map(([x, i]) => privilegeNode(role, x, i));
  const builtin = list.filter(isBuiltinPublicDefault).length;
  if (builtin) {
    nodes.push({
      id: 'publicDefaults',
      label: 'Built-in PUBLIC defaults',
      description: String(builtin),
      tooltip: 'What PostgreSQL grants PUBLIC in every cluster (CONNECT and TEMPORARY on the template databases, USAGE on the sql, plpgsql and internal languages). Every role has them.',
      icon: 'library',
      expandable: true,
      ref: { kind: 'roleSection', role, section: 'publicDefaults' },
      contextValue: 'publicDefaults',
    });
  }
  return nodes;
}

/** The built-in PUBLIC defaults folded out of privilegeNodes. */
export function publicDefaultNodes(role: string, list: readonly ObjectPrivilege[]): DbTreeNode[] {
  return list.map((x, i) => [x, i] as const).filter(([x]) => isBuiltinPublicDefault(x)).map(([x, i]) => privilegeNode(role, x, i));
}

export function ownedNodes(list: readonly OwnedObject[]): DbTreeNode[] {
  return list.map((o, i) => ({ id: `o:${i}:${o.objectType}:${o.name}`, label: o.name, description: o.objectType, icon: 'archive', expandable: false, contextValue: 'owned' }));
}

export function schemaNodes(schemas: ReadonlyArray<{ schema: string; owner: string; relations: number }>): DbTreeNode[] {
  return schemas.map((s) => ({
    id: `schema:${s.schema}`,
    label: s.schema,
    description: `${s.relations}`,
    tooltip: `Schema ${s.schema}, owned by ${s.owner}, ${s.relations} relation(s)`,
    icon: 'symbol-namespace',
    expandable: s.relations > 0,
    ref: { kind: 'schema', schema: s.schema },
    contextValue: 'schema',
  }));
}

const isView = (kind: string) => kind === 'view' || kind === 'materialized view';

export function tableNode(t: TableSummary): DbTreeNode {
  // A view has no row-level security of its own: it reads its tables with its owner's
  // rights unless security_invoker is set, which is what the reviewer needs to see.
  const security = isView(t.kind) ? (t.securityInvoker ? 'security_invoker' : 'runs as owner') : `${rlsLabel(t.rls, t.forceRls)} · ${plural(t.policyCount, 'policy', 'policies')}`;
  return {
    id: `table:${t.name}`,
    label: t.name,
    description: `${isView(t.kind) ? `${t.kind} · ` : ''}${security} · ${plural(t.grantCount, 'grantee')}`,
    tooltip: `${t.kind} ${t.schema}.${t.name}, owner ${t.owner}\n${isView(t.kind) ? `security_invoker: ${t.securityInvoker}${t.securityInvoker ? '' : ' (reads its tables with the owner\'s rights, past their row-level security unless the owner is subject to it)'}` : `Row-level security: ${rlsLabel(t.rls, t.forceRls)}`}`,
    icon: isView(t.kind) ? 'eye' : 'table',
    expandable: true,
    ref: { kind: 'table', schema: t.schema, table: t.name },
    contextValue: 'table',
    table: { schema: t.schema, name: t.name },
  };
}

/** The grants of a table to roles other than its owner: the owner holds every privilege implicitly. */
function othersGrants(t: TableInfo): AclGrant[] {
  return t.grants.filter((g) => g.grantee !== t.owner);
}

/** The RLS state (security_invoker for a view), policies and grantees of one table. */
export function tableSectionNodes(t: TableInfo): DbTreeNode[] {
  const grantees = [...new Set(othersGrants(t).map((g) => g.grantee))];
  const publicGrants = grantees.includes('PUBLIC');
  const security: DbTreeNode[] = isView(t.kind)
    ? [
        {
          id: 'invoker',
          label: `security_invoker: ${t.securityInvoker ? 'on' : 'off'}`,
          icon: t.securityInvoker ? 'lock' : 'unlock',
          tooltip: t.securityInvoker
            ? 'The view reads its tables with the rights of the role querying it: their row-level security applies to that role.'
            : `The view reads its tables with the rights of its owner ${t.owner}: their row-level security filters for the owner, not for the role querying the view.`,
          expandable: false,
          contextValue: 'invoker',
        },
      ]
    : [
        {
          id: 'rls',
          label: `Row-level security: ${rlsState(t.rls, t.forceRls)}`,
          icon: t.rls ? 'lock' : 'unlock',
          warning: !t.rls && rlsRelevantGrantees(t).length > 0,
          tooltip: rlsExplanation(t.rls, t.forceRls),
          expandable: false,
          contextValue: 'rls',
        },
        {
          id: 'policies',
          label: 'Policies',
          description: String(t.policies.length),
          icon: 'law',
          expandable: t.policies.length > 0,
          ref: { kind: 'tableSection', schema: t.schema, table: t.name, section: 'policies' },
          contextValue: 'policies',
        },
      ];
  return [
    ...security,
    {
      id: 'grantees',
      label: 'Grantees',
      description: publicGrants ? `${grantees.length} (PUBLIC among them)` : String(grantees.length),
      tooltip: `The roles other than the owner ${t.owner} holding a privilege on it; the owner holds every privilege implicitly.`,
      icon: 'key',
      warning: publicGrants,
      expandable: t.grants.length > 0,
      ref: { kind: 'tableSection', schema: t.schema, table: t.name, section: 'grantees' },
      contextValue: 'grantees',
    },
    accessSectionNode(t),
  ];
}

/** The names of a table's policies the live audit reports as always true (db-policy-always-true). */
export function flaggedPolicies(audit: Pick<AuditResult, 'findings'> | undefined, t: Pick<TableInfo, 'schema' | 'name'>): Set<string> {
  const object = quoteQualified(t);
  return new Set((audit?.findings ?? []).filter((f) => f.ruleId === 'db-policy-always-true' && f.object === object && f.policy).map((f) => f.policy!));
}

/** `flagged`: the policies the audit reports (flaggedPolicies), so the tree and the audit agree. */
export function policyNodes(t: TableInfo, flagged: ReadonlySet<string>): DbTreeNode[] {
  return t.policies.map((pol) => ({
    id: `policy:${pol.name}`,
    label: pol.name,
    description: `${pol.command} · ${pol.permissive ? 'permissive' : 'restrictive'} · to ${pol.roles.join(', ')}`,
    tooltip: `${pol.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} policy for ${pol.command} to ${pol.roles.join(', ')}${pol.using !== null ? `\nUSING (${pol.using})` : ''}${pol.withCheck !== null ? `\nWITH CHECK (${pol.withCheck})` : ''}`,
    icon: 'law',
    warning: flagged.has(pol.name),
    expandable: true,
    ref: { kind: 'policy', schema: t.schema, table: t.name, policy: pol.name },
    contextValue: 'policy',
  }));
}

export function policyLeaves(pol: PolicyInfo, flagged: boolean): DbTreeNode[] {
  const leaves: DbTreeNode[] = [
    info('command', `Command: ${pol.command}`, 'symbol-event'),
    info('kind', pol.permissive ? 'Permissive (OR-ed with other permissive policies)' : 'Restrictive (AND-ed with the permissive ones)', 'symbol-operator'),
    info('roles', `Roles: ${pol.roles.join(', ')}`, 'person'),
  ];
  if (pol.using !== null) leaves.push({ ...info('using', `USING (${pol.using})`, 'filter'), warning: flagged });
  if (pol.withCheck !== null) leaves.push({ ...info('check', `WITH CHECK (${pol.withCheck})`, 'check'), warning: flagged });
  return leaves;
}

/** One node per grantee with its privileges, then the owner's implicit ones folded into one leaf. */
export function granteeNodes(t: TableInfo): DbTreeNode[] {
  const by = new Map<string, AclGrant[]>();
  for (const g of othersGrants(t)) by.set(g.grantee, [...(by.get(g.grantee) ?? []), g]);
  const nodes: DbTreeNode[] = [...by.entries()].map(([grantee, grants]) => ({
    id: `grantee:${grantee}`,
    label: `${grantee}: ${grants.map((g) => `${g.privilege}${g.grantable ? '*' : ''}`).join(', ')}`,
    description: grants.some((g) => g.grantable) ? '* WITH GRANT OPTION' : undefined,
    tooltip: `${grantee}${grantee === 'PUBLIC' ? ' (every role)' : ''} holds ${grants.map((g) => g.privilege).join(', ')} on ${t.schema}.${t.name}`,
    icon: grantee === 'PUBLIC' ? 'globe' : 'person',
    warning: grantee === 'PUBLIC',
    expandable: true,
    ref: { kind: 'grantee' as const, schema: t.schema, table: t.name, grantee },
    contextValue: 'grantee',
    role: grantee === 'PUBLIC' ? undefined : grantee,
  }));
  const own = t.grants.filter((g) => g.grantee === t.owner).map((g) => g.privilege);
  nodes.push({
    ...info('owner', `${t.owner} (owner)`, 'account'),
    description: own.length ? 'every privilege, implicitly' : 'revoked its own privileges',
    tooltip: `The owner ${t.owner} holds every privilege on ${t.schema}.${t.name} without a grant (its ACL lists: ${own.join(', ') || 'nothing'}), and can grant them back to itself.`,
  });
  return nodes;
}

/** The privileges one grantee holds on a table (`grantee`), each with its REVOKE/GRANT target. */
export function grantNodes(t: TableInfo, grantee: string): DbTreeNode[] {
  const quoted = quoteQualified(t);
  return t.grants.filter((g) => g.grantee === grantee).map((g) => ({
    id: `grant:${g.grantee}:${g.privilege}:${g.grantor}`,
    label: g.privilege,
    description: [g.grantable ? 'WITH GRANT OPTION' : '', `granted by ${g.grantor}`].filter(Boolean).join(' · '),
    tooltip: `${g.privilege} on ${t.schema}.${t.name} to ${g.grantee}${g.grantee === 'PUBLIC' ? ' (every role)' : ''}, granted by ${g.grantor}`,
    icon: g.grantee === 'PUBLIC' ? 'globe' : 'key',
    warning: g.grantee === 'PUBLIC',
    expandable: false,
    contextValue: 'privilege',
    role: g.grantee === 'PUBLIC' ? undefined : g.grantee,
    sql: { kind: 'privilege' as const, objectType: 'table' as const, object: quoted, privilege: g.privilege, grantee: g.grantee, grantable: g.grantable },
  }));
}

/**
 * A finding's short label, its object plus the problem: the message's first clause (up to
 * the first colon or sentence end), which every live rule opens with, cut at 90 characters.
 */
export function findingLabel(f: Pick<DbFinding, 'message' | 'object'>): string {
  const m = /^(.*?)(?::\s|;\s|\.\s|\.$|$)/s.exec(f.message);
  let label = (m?.[1] ?? f.message).replace(/\s+/g, ' ').trim();
  if (!label.includes(f.object)) label = `${f.object}: ${label}`;
  return label.length > 90 ? `${label.slice(0, 89)}…` : label;
}

/** The live audit's findings, then what it could not check and what it checked with less. */
export function findingNodes(r: Pick<AuditResult, 'findings' | 'skipped' | 'notes'>): DbTreeNode[] {
  const notes = [
    ...r.skipped.map((why, i) => ({ ...info(`skipped:${i}`, `Not checked: ${why}`, 'circle-slash'), tooltip: why })),
    ...r.notes.map((why, i) => ({ ...info(`note:${i}`, why, 'info'), tooltip: why })),
  ];
  if (!r.findings.length) return [info('none', 'No findings', 'pass'), ...notes];
  return [
    ...r.findings.map((f, i) => ({
      id: `finding:${i}:${f.ruleId}:${f.object}`,
      label: f.message,
      description: `${f.ruleId} · ${f.object}`,
      tooltip: `${f.ruleId} (${f.severity}) on ${f.objectKind} ${f.object}${f.file ? `\n${f.file}${f.line ? `:${f.line}` : ''}` : ''}\n${f.message}`,
      icon: f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info',
      warning: f.severity === 'error' || f.severity === 'warning',
      expandable: false,
      contextValue: 'finding',
      role: f.objectKind === 'role' ? f.object : undefined,
      table: f.objectKind === 'table' ? parseSchemaQualified(f.object, 'public') : undefined,
    })),
    ...notes,
  ];
}
