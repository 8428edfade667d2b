// The live access-control state as server/src/db reads it (plain rows), and as facts.
// Roles PostgreSQL or a platform creates are left out: they are not drift.

import { ALL_PRIVILEGES, publicDefaults } from '../model/privileges';
import { PUBLIC } from '../model/effects';
import { DefaultKind, defaultAclFacts, Fact, membershipFacts, objectFacts, ObjectKind, objectKey, ObjectRef, policyExpressionFact, policyFact, roleFacts } from './facts';

export interface LiveAclItem {
  /** `public` for PUBLIC. */
  grantee: string;
  /** Lower case: select, usage, execute... */
  privilege: string;
  column?: string;
  grantable: boolean;
}

export interface LiveObject {
  kind: ObjectKind;
  schema?: string;
  name: string;
  args?: string[];
  owner: string;
  acl: LiveAclItem[];
  rls?: boolean;
  forced?: boolean;
  securityInvoker?: boolean;
  securityDefiner?: boolean;
  /** A function's own SET search_path, as pg_proc.proconfig holds it. */
  searchPath?: string;
}

export interface LiveAccess {
  /** The role the migrations run as (their CURRENT_USER). */
  migrationRole: string;
  roles: Array<{ name: string; attributes: Record<string, boolean>; builtin: boolean }>;
  memberships: Array<{ role: string; member: string; admin: boolean; inherit: boolean; set: boolean }>;
  /** The connected database (its ACL), and the schemas, relations, functions and types in the schemas read (extension members left out). */
  objects: LiveObject[];
  policies: Array<{ schema: string; table: string; name: string; command: string; permissive: boolean; roles: string[]; using?: string; check?: string }>;
  defaultAcls: Array<{ role: string; schema?: string; on: DefaultKind; acl: LiveAclItem[] }>;
}

export interface LiveOptions {
  /** Roles a platform creates and manages (Supabase's, say): neither they nor their memberships are drift. */
  platformRoles?: readonly string[];
}

export function liveFacts(live: LiveAccess, options: LiveOptions = {}): Fact[] {
  const platform = new Set(options.platformRoles ?? []);
  const builtin = new Set(live.roles.filter((r) => r.builtin).map((r) => r.name));
  // The migrations' role may be the bootstrap superuser: what it grants and defaults still counts.
  const ignored = (r: string) => r !== live.migrationRole && (builtin.has(r) || platform.has(r) || r.startsWith('pg_'));
  const facts: Fact[] = [];
  for (const r of live.roles) if (!ignored(r.name)) facts.push(...roleFacts(r.name, r.attributes, false));
  for (const m of live.memberships) if (!ignored(m.member)) facts.push(...membershipFacts(m.role, m.member, m));
  for (const o of live.objects) {
    const ref: ObjectRef = { kind: o.kind, schema: o.schema, name: o.name, args: o.args };
    const objectLevel = objectFacts(ref, o.owner, o.acl);
    // A database grant to a role PostgreSQL or a platform manages is theirs, as its memberships are.
    if (o.kind === 'database') for (const f of objectLevel) if (f.kind === 'privilege' && !f.toOwner && f.grantee !== PUBLIC && ignored(f.grantee)) f.managed = true;
    facts.push(...objectLevel);
    const key = objectKey(ref);
    const parent = `object ${key}`;
    if (o.rls) facts.push({ key: `rls ${key}`, kind: 'rls', parent, object: ref, forced: false });
    if (o.forced) facts.push({ key: `rls forced ${key}`, kind: 'rls', parent, object: ref, forced: true });
    if (o.securityInvoker) facts.push({ key: `security invoker ${key}`, kind: 'security invoker', parent, object: ref });
    if (o.securityDefiner) facts.push({ key: `security definer ${key}`, kind: 'security definer', parent, object: ref });
    if (o.searchPath !== undefined) facts.push({ key: `search_path ${key}`, kind: 'function search_path', parent, object: ref, path: o.searchPath, value: o.searchPath });
  }
  const kinds = new Map(live.objects.map((o) => [`${o.schema}.${o.name}`, o.kind]));
  for (const p of live.policies) {
    const ref: ObjectRef = { kind: kinds.get(`${p.schema}.${p.table}`) ?? 'table', schema: p.schema, name: p.table };
    facts.push(policyFact(ref, p.name, p.command, p.permissive, p.roles, undefined, { using: p.using, check: p.check }));
    if (p.using !== undefined) facts.push(policyExpressionFact(ref, p.name, 'using', { text: p.using }));
    if (p.check !== undefined) facts.push(policyExpressionFact(ref, p.name, 'check', { text: p.check }));
  }
  for (const d of live.defaultAcls) {
    if (ignored(d.role)) continue;
    const builtIn = [
      ...ALL_PRIVILEGES[d.on].map((privilege) => ({ grantee: d.role, privilege })),
      ...publicDefaults(d.on).map((privilege) => ({ grantee: PUBLIC, privilege })),
    ];
    facts.push(...defaultAclFacts(d.role, d.schema, d.on, d.acl, builtIn));
  }
  return facts;
}
