// Who can access a table, and which of its rows: for each role and privilege, how the
// role holds it (a grant to itself, PUBLIC, a membership path, ownership, superuser, or
// only after SET ROLE) and what row-level security does to it. The one answer behind
// `pgwarden access`, the tree's "Who can access" and their Markdown and CSV exports.
//
// PostgreSQL decides row-level security per query (src/backend/utils/misc/rls.c,
// check_enable_rls, and rewrite/rowsecurity.c), for the role the query runs as:
// - RLS off on the table: every row; a superuser or a BYPASSRLS role: every row, FORCE or
//   not (both attributes are the role's own, never inherited);
// - the owner, and every role holding the owner's privileges (object_ownercheck is
//   has_privs_of_role), bypasses it unless FORCE ROW LEVEL SECURITY is set;
// - otherwise a policy applies when it names PUBLIC or a role whose privileges the role
//   holds (has_privs_of_role: a NOINHERIT membership, or INHERIT FALSE on 16+, does not
//   count); permissive policies are ORed, restrictive ones ANDed onto them, and with no
//   permissive policy for the command no row passes: SELECT sees none, UPDATE and DELETE
//   change none, INSERT fails.
// A role reaching a privilege only by SET ROLE (no inheritance on the way) gets it as the
// role it becomes, so that role's attributes, ownership and policies decide its rows.

import type { PolicyInfo, TableInfo } from './catalog';
import { constBool } from './always-true';
import { liveFacts } from './policy-facts';
import { PrivilegeGraph } from './privileges';
import { RLS_PRIVILEGES } from './rls';
import { walkRoles } from './role-walk';

export interface AccessRole {
  name: string;
  superuser: boolean;
  bypassrls: boolean;
}

/** A direct membership: `member` is a member of `role`; `set` is always true before 16. */
export interface AccessMembership {
  role: string;
  member: string;
  inherit: boolean;
  set: boolean;
}

export interface AccessSnapshot {
  /** Decides MAINTAIN and the predefined roles that hold privileges on every table. */
  serverMajor: number;
  roles: readonly AccessRole[];
  memberships: readonly AccessMembership[];
  tables: readonly TableInfo[];
}

/** How a role holds a privilege. `via`: the roles after it, up to the one granted (or the owner). */
export type Holding =
  | { kind: 'superuser' }
  | { kind: 'owner'; via: string[] }
  | { kind: 'direct' }
  /** A predefined role holding it on every table (pg_read_all_data, pg_write_all_data, pg_maintain). */
  | { kind: 'predefined' }
  | { kind: 'public' }
  | { kind: 'member'; via: string[] }
  /** Only after SET ROLE `as` (reached through `via`, `as` last): it then holds it as `as` does. */
  | { kind: 'setRole'; via: string[]; as: string; then: Exclude<Holding, { kind: 'setRole' }> };

/** What row-level security does to one role's use of one privilege. */
export type RowVerdict =
  | { kind: 'off' }
  /** A view or materialized view: no row-level security of its own. */
  | { kind: 'notTable'; relkind: string }
  | { kind: 'bypassed'; by: 'superuser' | 'bypassrls' | 'owner' }
  /** `rows`: 'all' when a constant-true permissive policy admits every row and nothing restrictive holds one back; 'none' when every applying clause is false or missing. */
  | { kind: 'policies'; permissive: string[]; restrictive: string[]; rows: 'all' | 'filtered' | 'none' }
  /** No permissive policy applies: SELECT sees 0 rows, UPDATE and DELETE change none, INSERT fails. */
  | { kind: 'none'; restrictive: string[] }
  /** pg_policy is not readable by this session. */
  | { kind: 'unknown' };

export interface AccessEntry {
  schema: string;
  table: string;
  role: string;
  privilege: string;
  holding: Holding;
  /** Undefined for privileges row-level security does not govern (TRUNCATE, REFERENCES, TRIGGER, MAINTAIN). */
  rls?: RowVerdict;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The clauses PostgreSQL evaluates for a command: existing rows (USING), new rows (WITH CHECK, else USING). */
function clauses(p: { using?: unknown; check?: unknown; command: string }, privilege: string): unknown[] {
  const write = p.check ?? (p.command === 'insert' ? undefined : p.using);
  if (privilege === 'INSERT') return [write];
  if (privilege === 'UPDATE') return [p.using, write];
  return [p.using];
}

/** Whether a policy is for this command (ALL is for every command). */
function forCommand(p: PolicyInfo, privilege: string): boolean {
  return p.command === 'ALL' || p.command === privilege;
}

export class RowAccess {
  private readonly graph: PrivilegeGraph;
  private readonly roles: Map<string, AccessRole>;
  /** member -> the roles it may SET ROLE to directly, sorted. */
  private readonly setUp = new Map<string, string[]>();
  private readonly tables: Map<string, TableInfo>;
  /** role -> the roles whose privileges it holds (itself included), with the path. */
  private readonly privsCache = new Map<string, Map<string, string[]>>();

  constructor(private readonly snap: AccessSnapshot) {
    this.graph = new PrivilegeGraph({ major: snap.serverMajor, roles: snap.roles, memberships: snap.memberships, tables: snap.tables });
    this.roles = new Map(snap.roles.map((r) => [r.name, r]));
    for (const m of snap.memberships) {
      if (!m.set) continue;
      const l = this.setUp.get(m.member) ?? [];
      l.push(m.role);
      this.setUp.set(m.member, l);
    }
    for (const l of this.setUp.values()) l.sort(byName);
    this.tables = new Map(snap.tables.map((t) => [`${t.schema}\u0000${t.name}`, t]));
  }

  hasRole(role: string): boolean {
    return this.roles.has(role);
  }

  table(schema: string, name: string): TableInfo | undefined {
    return this.tables.get(`${schema}\u0000${name}`);
  }

  /** Every role holding each privilege on the table, by role name then privilege. */
  forTable(schema: string, name: string): AccessEntry[] {
    const t = this.table(schema, name);
    if (!t) return [];
    const out: AccessEntry[] = [];
    for (const role of [...this.roles.keys()].sort(byName)) out.push(...this.entries(role, t));
    return out;
  }

  /** Every privilege the role holds (or gets by SET ROLE) on every table, by table then privilege. */
  forRole(role: string): AccessEntry[] {
    if (!this.roles.has(role)) return [];
    const tables = [...this.tables.values()].sort((a, b) => byName(a.schema, b.schema) || byName(a.name, b.name));
    return tables.flatMap((t) => this.entries(role, t));
  }

  private entries(role: string, t: TableInfo): AccessEntry[] {
    const out: AccessEntry[] = [];
    for (const privilege of this.graph.privileges) {
      const own = this.holding(role, t, privilege);
      const holding = own ?? this.bySetRole(role, t, privilege);
      if (!holding) continue;
      const entry: AccessEntry = { schema: t.schema, table: t.name, role, privilege, holding };
      if (RLS_PRIVILEGES.has(privilege)) entry.rls = this.verdict(holding.kind === 'setRole' ? holding.as : role, t, privilege);
      out.push(entry);
    }
    return out;
  }

  /** How `role` holds the privilege through inheritance (what has_table_privilege answers), or undefined. */
  private holding(role: string, t: TableInfo, privilege: string): Exclude<Holding, { kind: 'setRole' }> | undefined {
    if (this.roles.get(role)?.superuser) return { kind: 'superuser' };
    const via = this.graph.pathTo(role, t.schema, t.name, privilege, this.privs(role));
    if (!via) return undefined;
    if (via.length === 0) {
      if (role === t.owner) return { kind: 'owner', via: [] };
      return t.grants.some((g) => g.grantee === role && g.privilege === privilege) || !this.graph.isPredefinedHolder(role, privilege) ? { kind: 'direct' } : { kind: 'predefined' };
    }
    if (via.length === 1 && via[0] === 'PUBLIC') return { kind: 'public' };
    return via[via.length - 1] === t.owner ? { kind: 'owner', via } : { kind: 'member', via };
  }

  private privs(role: string): Map<string, string[]> {
    let p = this.privsCache.get(role);
    if (!p) this.privsCache.set(role, (p = this.graph.inheritedRoles(role)));
    return p;
  }

  /** The nearest role `role` may SET ROLE to (breadth first, ties by name) that holds the privilege. */
  private bySetRole(role: string, t: TableInfo, privilege: string): Holding | undefined {
    return walkRoles<Holding>(role, (r) => this.setUp.get(r), (up, via) => {
      const then = this.holding(up, t, privilege);
      return then ? { kind: 'setRole', via, as: up, then } : undefined;
    }).found;
  }

  /** What row-level security does when `role` (the role the query runs as) uses the privilege. */
  verdict(role: string, t: TableInfo, privilege: string): RowVerdict {
    if (t.kind === 'view' || t.kind === 'materialized view') return { kind: 'notTable', relkind: t.kind };
    if (!t.rls) return { kind: 'off' };
    const r = this.roles.get(role);
    if (r?.superuser) return { kind: 'bypassed', by: 'superuser' };
    if (r?.bypassrls) return { kind: 'bypassed', by: 'bypassrls' };
    const privs = this.privs(role);
    if (privs.has(t.owner) && !t.forceRls) return { kind: 'bypassed', by: 'owner' };
    if (t.policiesUnreadable) return { kind: 'unknown' };
    const applying = t.policies.filter((p) => forCommand(p, privilege) && p.roles.some((x) => x === 'PUBLIC' || privs.has(x)));
    const permissive = applying.filter((p) => p.permissive);
    const restrictive = applying.filter((p) => !p.permissive);
    const names = (l: PolicyInfo[]) => l.map((p) => p.name).sort(byName);
    if (!permissive.length) return { kind: 'none', restrictive: names(restrictive) };
    return { kind: 'policies', permissive: names(permissive), restrictive: names(restrictive), rows: rowsAdmitted(permissive, restrictive, privilege) };
  }
}

/**
 * Whether the applying policies admit every row, none, or depend on the row: constant
 * clauses only (an unparsable clause counts as depending on the row). A missing clause adds
 * nothing: it admits no row in a permissive policy and holds none back in a restrictive one.
 */
function rowsAdmitted(permissive: PolicyInfo[], restrictive: PolicyInfo[], privilege: string): 'all' | 'filtered' | 'none' {
  // Each clause's constant value: true, false, or undefined (missing: `null`; row-dependent: undefined).
  const values = (p: PolicyInfo): Array<boolean | null | undefined> => {
    const f = liveFacts(p);
    if (!f) return clauses({ command: p.command.toLowerCase(), using: p.using ?? undefined, check: p.withCheck ?? undefined }, privilege).map((c) => (c === undefined ? null : undefined));
    return clauses(f, privilege).map((c) => (c === undefined ? null : constBool(c)));
  };
  const restricted = restrictive.map(values);
  if (restricted.some((v) => v.includes(false))) return 'none';
  const granted = permissive.map(values);
  // A permissive policy admits a row only when each of its clauses does.
  if (granted.every((v) => v.includes(false) || v.includes(null))) return 'none';
  const everyRow = granted.some((v) => v.every((x) => x === true)) && restricted.every((v) => v.every((x) => x === true || x === null));
  return everyRow ? 'all' : 'filtered';
}
