// Effective table privileges as PostgreSQL computes them, from a catalog snapshot and
// without a server: pure functions over roles, memberships and table ACLs. Read by
// server/src/db (loadPrivilegeGraph) and judged here, in core, so the row-level
// security view (./row-access.ts) builds on the same answer has_table_privilege gives.
//
// The rules followed (pg_class_aclmask and roles_is_member_of in the server):
// - A superuser holds every privilege on every table. Superuser status is not inherited.
// - A role holds what its ACL entries grant to itself, to PUBLIC, and to every role whose
//   privileges it inherits. Inheritance walks membership edges member -> role; an edge
//   passes privileges when its inherit flag is set. Before 16 that flag is the member's
//   rolinherit (so a NOINHERIT role stops the walk at itself); from 16 it is the grant's
//   inherit_option (true if any grantor's row has it). Membership.inherit carries either.
// - The owner's rights are ordinary ACL entries (acldefault when relacl is NULL), so an
//   owner who revoked its own SELECT lacks it, and members of the owner inherit them.
// - Predefined roles act like grants on every table: pg_read_all_data gives SELECT,
//   pg_write_all_data INSERT, UPDATE and DELETE (14+), pg_maintain MAINTAIN (17+).

import type { AclGrant, EffectivePrivilege, Membership, TableHolder } from './catalog';
import { walkRoles } from './role-walk';

export interface GraphRole {
  name: string;
  superuser: boolean;
}

export interface GraphTable {
  schema: string;
  name: string;
  grants: AclGrant[];
}

export interface PrivilegeGraphInput {
  /** The server's major version (13 to 18): decides MAINTAIN and the predefined roles. */
  major: number;
  roles: readonly GraphRole[];
  memberships: ReadonlyArray<Pick<Membership, 'role' | 'member' | 'inherit'>>;
  tables: readonly GraphTable[];
}

export const TABLE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN'] as const;

/** The table privileges a server of this major version knows, in PostgreSQL's order. */
export function tablePrivileges(major: number): string[] {
  return TABLE_PRIVILEGES.filter((p) => p !== 'MAINTAIN' || major >= 17);
}

/** Predefined roles that hold privileges on every table, by version. */
function predefinedGrants(major: number): Array<{ role: string; privileges: string[] }> {
  const out: Array<{ role: string; privileges: string[] }> = [];
  if (major >= 14) {
    out.push({ role: 'pg_read_all_data', privileges: ['SELECT'] });
    out.push({ role: 'pg_write_all_data', privileges: ['INSERT', 'UPDATE', 'DELETE'] });
  }
  if (major >= 17) out.push({ role: 'pg_maintain', privileges: ['MAINTAIN'] });
  return out;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class PrivilegeGraph {
  readonly privileges: string[];
  private readonly roles = new Map<string, GraphRole>();
  /** member -> roles whose privileges it inherits directly. */
  private readonly up = new Map<string, string[]>();
  /** role -> members that inherit its privileges directly. */
  private readonly down = new Map<string, string[]>();
  private readonly tables = new Map<string, GraphTable>();
  /** table key -> privilege -> grantees holding it (role names and 'PUBLIC'). */
  private readonly grantees = new Map<string, Map<string, Set<string>>>();
  private readonly predefined: Array<{ role: string; privileges: string[] }>;

  constructor(input: PrivilegeGraphInput) {
    this.privileges = tablePrivileges(input.major);
    this.predefined = predefinedGrants(input.major);
    for (const r of input.roles) this.roles.set(r.name, r);
    for (const m of input.memberships) {
      if (!m.inherit) continue;
      push(this.up, m.member, m.role);
      push(this.down, m.role, m.member);
    }
    for (const list of [...this.up.values(), ...this.down.values()]) list.sort(byName);
    for (const t of input.tables) {
      const key = tableKey(t.schema, t.name);
      this.tables.set(key, t);
      const perPriv = new Map<string, Set<string>>();
      for (const g of t.grants) {
        let s = perPriv.get(g.privilege);
        if (!s) perPriv.set(g.privilege, (s = new Set()));
        s.add(g.grantee);
      }
      this.grantees.set(key, perPriv);
    }
  }

  hasRole(role: string): boolean {
    return this.roles.has(role);
  }

  isSuperuser(role: string): boolean {
    return this.roles.get(role)?.superuser === true;
  }

  hasTable(schema: string, table: string): boolean {
    return this.tables.has(tableKey(schema, table));
  }

  /** Every role name, sorted. */
  roleNames(): string[] {
    return [...this.roles.keys()].sort(byName);
  }

  /** Every table as [schema, name], sorted. */
  tableNames(): Array<{ schema: string; name: string }> {
    return [...this.tables.values()].map((t) => ({ schema: t.schema, name: t.name })).sort((a, b) => byName(a.schema, b.schema) || byName(a.name, b.name));
  }

  /**
   * Every role whose privileges `role` uses, with the path to it: the role itself with [],
   * then by breadth-first search the shortest membership path (ties broken by name).
   */
  inheritedRoles(role: string): Map<string, string[]> {
    return walkRoles(role, (r) => this.up.get(r)).paths;
  }

  /** Every (table, privilege) the role holds, with one membership path that grants it. */
  effectivePrivileges(role: string): EffectivePrivilege[] {
    const out: EffectivePrivilege[] = [];
    const superuser = this.roles.get(role)?.superuser === true;
    const paths = this.inheritedRoles(role);
    const tables = [...this.tables.values()].sort((a, b) => byName(a.schema, b.schema) || byName(a.name, b.name));
    for (const t of tables) {
      const perPriv = this.grantees.get(tableKey(t.schema, t.name)) as Map<string, Set<string>>;
      for (const privilege of this.privileges) {
        if (superuser) {
          out.push({ schema: t.schema, table: t.name, privilege, via: [] });
          continue;
        }
        const via = this.bestPath(paths, perPriv.get(privilege), privilege);
        if (via) out.push({ schema: t.schema, table: t.name, privilege, via });
      }
    }
    return out;
  }

  /** Whether `role` holds `privilege` on the table (what has_table_privilege answers). */
  has(role: string, schema: string, table: string, privilege: string): boolean {
    return this.pathTo(role, schema, table, privilege) !== undefined;
  }

  /**
   * The path by which `role` holds `privilege` on the table, as effectivePrivileges gives
   * it ([] for a superuser), or undefined when it does not. `paths`: inheritedRoles(role),
   * for a caller asking many questions about one role.
   */
  pathTo(role: string, schema: string, table: string, privilege: string, paths?: Map<string, string[]>): string[] | undefined {
    if (this.roles.get(role)?.superuser) return this.privileges.includes(privilege) ? [] : undefined;
    const perPriv = this.grantees.get(tableKey(schema, table));
    if (!perPriv) return undefined;
    return this.bestPath(paths ?? this.inheritedRoles(role), perPriv.get(privilege), privilege);
  }

  /** Whether the role is a predefined one holding `privilege` on every table (pg_read_all_data...). */
  isPredefinedHolder(role: string, privilege: string): boolean {
    return this.predefined.some((p) => p.role === role && p.privileges.includes(privilege));
  }

  /**
   * The path by which a role holding `paths` gets `privilege`: a grant to a role it uses
   * (shortest path first), then a predefined role, then PUBLIC; undefined if none.
   */
  private bestPath(paths: Map<string, string[]>, grantees: Set<string> | undefined, privilege: string): string[] | undefined {
    let best: string[] | undefined;
    const consider = (p: string[]) => {
      if (!best || p.length < best.length) best = p;
    };
    if (grantees) {
      for (const g of grantees) {
        if (g === 'PUBLIC') continue;
        const p = paths.get(g);
        if (p) consider(p);
      }
    }
    for (const pre of this.predefined) {
      if (!pre.privileges.includes(privilege)) continue;
      const p = paths.get(pre.role);
      if (p) consider(p);
    }
    if (best) return best;
    if (grantees?.has('PUBLIC')) return ['PUBLIC'];
    return undefined;
  }

  /**
   * Every role holding each privilege on the table, superusers included, with the path
   * from the role to the grantee. Roles are ordered by name within each privilege.
   */
  tableHolders(schema: string, table: string): TableHolder[] {
    const perPriv = this.grantees.get(tableKey(schema, table));
    if (!perPriv) return [];
    const out: TableHolder[] = [];
    const allRoles = [...this.roles.keys()].sort(byName);
    for (const privilege of this.privileges) {
      const sources = [...(perPriv.get(privilege) ?? [])].filter((g) => g !== 'PUBLIC');
      for (const pre of this.predefined) if (pre.privileges.includes(privilege)) sources.push(pre.role);
      const reached = this.reverseReach(sources);
      const publicHolds = perPriv.get(privilege)?.has('PUBLIC') === true;
      for (const role of allRoles) {
        const superuser = this.roles.get(role)?.superuser === true;
        if (superuser) {
          out.push({ role, privilege, via: [], superuser: true });
          continue;
        }
        const via = reached.get(role) ?? (publicHolds ? ['PUBLIC'] : undefined);
        if (via) out.push({ role, privilege, via, superuser: false });
      }
    }
    return out;
  }

  /** Multi-source breadth-first search down the membership edges: role -> path to a source. */
  private reverseReach(sources: string[]): Map<string, string[]> {
    const paths = new Map<string, string[]>();
    let frontier: string[] = [];
    for (const s of [...new Set(sources)].sort(byName)) {
      paths.set(s, []);
      frontier.push(s);
    }
    // Each entry's path is the chain of roles from it to the source, source included.
    const chain = new Map<string, string[]>(frontier.map((s) => [s, [s]]));
    while (frontier.length) {
      const next: string[] = [];
      for (const r of frontier) {
        for (const member of this.down.get(r) ?? []) {
          if (paths.has(member)) continue;
          const c = chain.get(r) as string[];
          paths.set(member, c);
          chain.set(member, [member, ...c]);
          next.push(member);
        }
      }
      frontier = next;
    }
    return paths;
  }
}

function push(m: Map<string, string[]>, k: string, v: string): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function tableKey(schema: string, name: string): string {
  return `${schema}\u0000${name}`;
}

export function buildPrivilegeGraph(input: PrivilegeGraphInput): PrivilegeGraph {
  return new PrivilegeGraph(input);
}

export function effectivePrivileges(graph: PrivilegeGraph, role: string): EffectivePrivilege[] {
  return graph.effectivePrivileges(role);
}

export function tableHolders(graph: PrivilegeGraph, schema: string, table: string): TableHolder[] {
  return graph.tableHolders(schema, table);
}
