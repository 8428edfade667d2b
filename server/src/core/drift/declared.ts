// The declared state (core/model) as facts: what the migrations say the database should
// hold, with the statement that says it. The migrations' own unnamed role (CURRENT_USER)
// is spelled as the role that runs them on the compared database.

import { ALL_PRIVILEGES, publicDefaults } from '../model/privileges';
import { CURRENT, PUBLIC } from '../model/effects';
import { AclItem, builtinDatabaseAcl, DATABASE_OWNER, DeclaredState, RelationState } from '../model/state';
import { defaultAclFacts, Fact, membershipFacts, objectFacts, ObjectKind, objectKey, ObjectRef, policyExpressionFact, policyFact, roleFacts } from './facts';

export interface DeclaredFacts {
  facts: Fact[];
  /** Schemas the migrations create (and `public`): a live object there that they never create is drift. */
  ownedSchemas: Set<string>;
  /** Every schema a declared object stands in: the live side reads these. */
  schemas: Set<string>;
  /** Roles the migrations use but never create: their existence and undeclared attributes are not compared. */
  externalRoles: Set<string>;
}

const relationKind = (r: RelationState): ObjectKind => r.kind;

/** The compared database: its name (current_database()) and its live owner. */
export interface ComparedDatabase {
  name: string;
  owner: string;
}

export interface DeclaredOptions {
  /**
   * The compared server's major version. Before 16 a membership has no INHERIT or SET option
   * of its own: it inherits as its member's INHERIT attribute says now, and always allows SET ROLE.
   */
  major?: number;
  /**
   * The compared database: its name (current_database()) and live owner. Its ACL is compared
   * as the files declare it (GRANT/REVOKE ... ON DATABASE with that name), or as PostgreSQL
   * makes it when they never name it; grants on other databases are about other databases.
   * The owner is the live one unless the files say who owns it.
   */
  database?: ComparedDatabase;
  /**
   * Without a compared database, these databases (what a migration changes, before and after
   * it): each as the files leave it, or as PostgreSQL makes it when they have not named it
   * yet. An owner the files do not give stays unnamed (its privileges are keyed as the
   * owner's, and there is no owner fact).
   */
  databases?: Iterable<string>;
}

export function declaredFacts(state: DeclaredState, migrationRole: string, options: DeclaredOptions = {}): DeclaredFacts {
  const role = (g: string) => (g === CURRENT ? migrationRole : g);
  const acl = (items: readonly AclItem[]) =>
    items.map((i) => ({ grantee: role(i.grantee), privilege: i.privilege, column: i.column, grantable: i.grantOption, at: i.at }));
  const facts: Fact[] = [];
  const externalRoles = new Set<string>();
  const schemas = new Set<string>(['public']);
  const ownedSchemas = new Set<string>(['public']);

  for (const r of state.roles.values()) {
    const external = r.external === true;
    if (external) externalRoles.add(r.name);
    facts.push(...roleFacts(r.name, r.attributes, external, r.at, r.attributesAt));
  }
  const before16 = options.major !== undefined && options.major < 16;
  for (const m of state.memberships.values()) {
    const member = state.roles.get(m.member);
    const options = before16 ? { admin: m.admin, inherit: member && !member.external ? (member.attributes.inherit ?? true) : member?.attributes.inherit, set: true } : m;
    facts.push(...membershipFacts(role(m.role), role(m.member), options, m.at));
  }
  for (const s of state.schemas.values()) {
    schemas.add(s.name);
    if (s.at) ownedSchemas.add(s.name);
    facts.push(...objectFacts({ kind: 'schema', name: s.name }, role(s.owner), acl(s.acl), s.at));
  }
  for (const r of state.relations.values()) {
    schemas.add(r.schema);
    const o: ObjectRef = { kind: relationKind(r), schema: r.schema, name: r.name };
    facts.push(...objectFacts(o, role(r.owner), acl(r.acl), r.at));
    const parent = `object ${objectKey(o)}`;
    if (r.rls) facts.push({ key: `rls ${objectKey(o)}`, kind: 'rls', parent, object: o, forced: false, at: r.rlsAt });
    if (r.forced) facts.push({ key: `rls forced ${objectKey(o)}`, kind: 'rls', parent, object: o, forced: true, at: r.forcedAt });
    if (r.securityInvoker) facts.push({ key: `security invoker ${objectKey(o)}`, kind: 'security invoker', parent, object: o, at: r.securityInvokerAt });
  }
  for (const list of state.functions.values())
    for (const f of list) {
      schemas.add(f.schema);
      const o: ObjectRef = { kind: 'function', schema: f.schema, name: f.name, args: f.args.map((a) => a.toLowerCase()) };
      facts.push(...objectFacts(o, role(f.owner), acl(f.acl), f.at));
      const parent = `object ${objectKey(o)}`;
      if (f.securityDefiner) facts.push({ key: `security definer ${objectKey(o)}`, kind: 'security definer', parent, object: o, at: f.definerAt });
      if (f.searchPath) {
        const path = f.searchPath.join(', ');
        facts.push({ key: `search_path ${objectKey(o)}`, kind: 'function search_path', parent, object: o, path, value: path, at: f.searchPathAt });
      }
    }
  for (const t of state.types.values()) {
    schemas.add(t.schema);
    facts.push(...objectFacts({ kind: 'type', schema: t.schema, name: t.name }, role(t.owner), acl(t.acl), t.at));
  }
  for (const pols of state.policies.values())
    for (const p of pols.values()) {
      const r = state.relations.get(`${p.schema}.${p.table}`);
      const o: ObjectRef = { kind: r ? relationKind(r) : 'table', schema: p.schema, name: p.table };
      facts.push(policyFact(o, p.name, p.command, p.permissive, p.roles.map(role), p.at));
      if (p.using !== undefined) facts.push(policyExpressionFact(o, p.name, 'using', { ast: p.using }, p.usingAt));
      if (p.check !== undefined) facts.push(policyExpressionFact(o, p.name, 'check', { ast: p.check }, p.checkAt));
    }
  for (const d of state.defaultAcls.values()) {
    const owner = role(d.role);
    const builtIn = [
      ...ALL_PRIVILEGES[d.kind].map((privilege) => ({ grantee: owner, privilege })),
      ...publicDefaults(d.kind).map((privilege) => ({ grantee: PUBLIC, privilege })),
    ];
    facts.push(...defaultAclFacts(owner, d.schema, d.kind, acl(d.acl), builtIn, d.at));
  }
  if (options.database) facts.push(...databaseFacts(state, options.database.name, options.database.owner, role));
  else for (const name of options.databases ?? []) facts.push(...databaseFacts(state, name, undefined, role));
  return { facts, ownedSchemas, schemas, externalRoles };
}

/**
 * The compared database's facts. A built-in privilege (the owner's, PUBLIC's CONNECT and
 * TEMPORARY) of a role no GRANT or REVOKE on the database names has no declaring statement:
 * compareFacts does not report it missing, as the files say nothing about it.
 */
function databaseFacts(state: DeclaredState, db: string, liveOwner: string | undefined, role: (g: string) => string): Fact[] {
  const d = state.databases.get(db);
  const owner = d?.owner !== undefined ? role(d.owner) : (liveOwner ?? DATABASE_OWNER);
  const name = (g: string) => (g === DATABASE_OWNER ? owner : role(g));
  const named = new Map<string, AclItem['at']>();
  for (const [g, at] of d?.named ?? []) named.set(name(g), at);
  const acl = (d ? d.acl : builtinDatabaseAcl()).map((i) => {
    const grantee = name(i.grantee);
    return { grantee, privilege: i.privilege, grantable: i.grantOption, at: i.at ?? named.get(grantee) };
  });
  const facts = objectFacts({ kind: 'database', name: db }, owner, acl, d?.at);
  for (const f of facts) if (f.kind === 'owner') f.at = d?.ownerAt;
  return owner === DATABASE_OWNER ? facts.filter((f) => f.kind !== 'owner') : facts;
}
