// The access-control state as a set of atomic facts, so the declared state (the folded
// migrations) and the live catalog compare key by key. A fact is either present or not
// (a grant, a membership, RLS enabled) or carries one value (an owner, a function's
// search_path). Both sides are spelled the same way: role names as the catalog has them
// (the migrations' unnamed role mapped to a real one), privileges in lower case, objects
// by schema and name, functions with their input argument types.

import type { Place } from '../model/state';
import { expressionKey, parseExpression } from './expression';

export type FactKind =
  | 'role'
  | 'attribute'
  | 'membership'
  | 'membership option'
  | 'object'
  | 'owner'
  | 'privilege'
  | 'default privilege'
  | 'rls'
  | 'policy'
  | 'policy expression'
  | 'security invoker'
  | 'security definer'
  | 'function search_path';

/** Object kinds as the facts name them (and GRANT/ALTER statements spell them). */
export type ObjectKind = 'database' | 'schema' | 'table' | 'view' | 'materialized view' | 'sequence' | 'foreign table' | 'function' | 'type';

export interface ObjectRef {
  kind: ObjectKind;
  schema?: string;
  name: string;
  /** Functions: input argument types as pg_type names (`int4`, `text`, `int4[]`). */
  args?: string[];
}

interface Base {
  /** The identity compared across the two sides. */
  key: string;
  kind: FactKind;
  /** A fact about something inside an object (a grant on a table): it is compared only when the object exists on both sides. */
  parent?: string;
  /** The compared value for valued facts (owner, search_path, policy definition); absent for presence facts. */
  value?: string;
  /** Declared side: the statement that made it so. */
  at?: Place;
  /**
   * Live side: a grant to a role PostgreSQL or a platform manages (pg_*, the bootstrap
   * superuser, drift.platformRoles). It matches a declared fact, but is never drift on its own.
   */
  managed?: boolean;
}

export type Fact = Base &
  (
    | { kind: 'role'; role: string }
    | { kind: 'attribute'; role: string; attribute: string; on: boolean }
    | { kind: 'membership'; role: string; member: string }
    | { kind: 'membership option'; role: string; member: string; option: 'admin' | 'inherit' | 'set'; on: boolean }
    | { kind: 'object'; object: ObjectRef }
    | { kind: 'owner'; object: ObjectRef; owner: string }
    | { kind: 'privilege'; object: ObjectRef; column?: string; grantee: string; toOwner: boolean; privilege: string; grantable: boolean }
    | { kind: 'default privilege'; role: string; schema?: string; on: DefaultKind; grantee: string; privilege: string; grantable: boolean; revoked: boolean }
    | { kind: 'rls'; object: ObjectRef; forced: boolean }
    | {
        kind: 'policy';
        object: ObjectRef;
        policy: string;
        command: string;
        permissive: boolean;
        roles: string[];
        /** The live side's expressions as pg_get_expr writes them, for an adopting CREATE POLICY; not compared. */
        using?: string;
        check?: string;
      }
    | {
        kind: 'policy expression';
        object: ObjectRef;
        policy: string;
        clause: 'using' | 'check';
        /** The live side's expression as pg_get_expr writes it. */
        text?: string;
        /** The expression could not be read (the parser is not loaded here): never a finding. */
        unknown?: boolean;
      }
    | { kind: 'security invoker'; object: ObjectRef }
    | { kind: 'security definer'; object: ObjectRef }
    | { kind: 'function search_path'; object: ObjectRef; path: string }
  );

export type DefaultKind = 'table' | 'sequence' | 'function' | 'type' | 'schema';

/** Role attributes compared, with their defaults for a new role (CREATE USER sets login). */
export const ATTRIBUTE_DEFAULTS: Readonly<Record<string, boolean>> = {
  superuser: false,
  createrole: false,
  createdb: false,
  login: false,
  replication: false,
  bypassrls: false,
  inherit: true,
};

export function objectKey(o: ObjectRef): string {
  const kind = o.kind === 'view' || o.kind === 'materialized view' || o.kind === 'foreign table' ? 'table' : o.kind;
  const name = o.schema === undefined ? o.name : `${o.schema}.${o.name}`;
  return `${kind}:${name}${o.args ? `(${o.args.join(',')})` : ''}`;
}

/** The facts of one object: its existence, owner and ACL (owner's privileges included). */
export function objectFacts(o: ObjectRef, owner: string, acl: Iterable<{ grantee: string; privilege: string; column?: string; grantable: boolean; at?: Place }>, at?: Place): Fact[] {
  const key = objectKey(o);
  const out: Fact[] = [
    { key: `object ${key}`, kind: 'object', object: o, at },
    { key: `owner ${key}`, kind: 'owner', parent: `object ${key}`, object: o, owner, value: owner, at },
  ];
  for (const i of acl) {
    // MAINTAIN (PostgreSQL 17) is not compared: the migrations of older majors cannot declare it,
    // and a newer server gives it to every table owner.
    if (i.privilege === 'maintain') continue;
    // The owner's own privileges are keyed as the owner's, whoever that is: a changed owner
    // is one finding, not one per privilege that moved with the ownership.
    const toOwner = i.grantee === owner;
    out.push({
      key: `privilege ${key}${i.column ? `.${i.column}` : ''} ${toOwner ? '(owner)' : i.grantee} ${i.privilege}`,
      toOwner,
      kind: 'privilege',
      parent: `object ${key}`,
      object: o,
      column: i.column,
      grantee: i.grantee,
      privilege: i.privilege,
      grantable: i.grantable,
      value: i.grantable ? 'with grant option' : 'granted',
      at: i.at,
    });
  }
  return out;
}

export function roleFacts(role: string, attributes: Record<string, boolean>, declaredOnly: boolean, at?: Place, attributesAt?: Place): Fact[] {
  const out: Fact[] = [];
  if (!declaredOnly) out.push({ key: `role ${role}`, kind: 'role', role, at });
  for (const [attribute, dflt] of Object.entries(ATTRIBUTE_DEFAULTS)) {
    const v = attributes[attribute] ?? (declaredOnly ? undefined : dflt);
    if (v === undefined) continue;
    out.push({ key: `attribute ${role} ${attribute}`, kind: 'attribute', parent: `role ${role}`, role, attribute, on: v, value: `${v ? '' : 'NO'}${attribute.toUpperCase()}`, at: attributesAt ?? at });
  }
  return out;
}

export function membershipFacts(role: string, member: string, options: { admin: boolean; inherit?: boolean; set?: boolean }, at?: Place): Fact[] {
  const key = `membership ${role} ${member}`;
  const out: Fact[] = [{ key, kind: 'membership', role, member, at }];
  for (const option of ['admin', 'inherit', 'set'] as const) {
    const on = options[option];
    if (on === undefined) continue;
    out.push({ key: `${key} ${option}`, kind: 'membership option', parent: key, role, member, option, on, value: String(on), at });
  }
  return out;
}

/**
 * Default privileges as differences from what PostgreSQL gives without them: the global
 * entry of a role lists the built-in privileges it takes away (`revoked`) and the ones it
 * adds; a per-schema entry only adds.
 */
export function defaultAclFacts(
  role: string,
  schema: string | undefined,
  on: DefaultKind,
  acl: Iterable<{ grantee: string; privilege: string; grantable: boolean; at?: Place }>,
  builtIn: Iterable<{ grantee: string; privilege: string }>,
  at?: Place,
): Fact[] {
  const items = [...acl].filter((i) => i.privilege !== 'maintain');
  const out: Fact[] = [];
  const base = `default privilege ${role} ${schema ?? '*'} ${on}`;
  const has = (g: string, p: string) => items.some((i) => i.grantee === g && i.privilege === p);
  const builtins = schema === undefined ? [...builtIn] : [];
  const isBuiltin = (g: string, p: string, grantable: boolean) => !grantable && builtins.some((b) => b.grantee === g && b.privilege === p);
  for (const b of builtins)
    if (!has(b.grantee, b.privilege))
      out.push({ key: `${base} ${b.grantee} ${b.privilege} revoked`, kind: 'default privilege', role, schema, on, grantee: b.grantee, privilege: b.privilege, grantable: false, revoked: true, at });
  for (const i of items) {
    if (isBuiltin(i.grantee, i.privilege, i.grantable)) continue;
    out.push({
      key: `${base} ${i.grantee} ${i.privilege}`,
      kind: 'default privilege',
      role,
      schema,
      on,
      grantee: i.grantee,
      privilege: i.privilege,
      grantable: i.grantable,
      revoked: false,
      value: i.grantable ? 'with grant option' : 'granted',
      at: i.at ?? at,
    });
  }
  return out;
}

/**
 * A policy's USING or WITH CHECK, compared in canonical form (core/drift/expression): the
 * declared side gives the parsed expression, the live side pg_get_expr's text.
 */
export function policyExpressionFact(o: ObjectRef, policy: string, clause: 'using' | 'check', expr: { ast?: unknown; text?: string }, at?: Place): Fact {
  const ast = expr.ast ?? (expr.text !== undefined ? parseExpression(expr.text) : undefined);
  const base = `policy ${objectKey(o)} ${policy}`;
  return {
    key: `${base} ${clause}`,
    kind: 'policy expression',
    parent: base,
    object: o,
    policy,
    clause,
    ...(expr.text !== undefined ? { text: expr.text } : {}),
    ...(ast === undefined ? { unknown: true } : {}),
    value: ast === undefined ? 'unknown' : expressionKey(ast),
    at,
  };
}

export function policyFact(o: ObjectRef, policy: string, command: string, permissive: boolean, roles: string[], at?: Place, exprs: { using?: string; check?: string } = {}): Fact {
  const sorted = [...roles].sort();
  return {
    ...exprs,
    key: `policy ${objectKey(o)} ${policy}`,
    kind: 'policy',
    parent: `object ${objectKey(o)}`,
    object: o,
    policy,
    command,
    permissive,
    roles: sorted,
    value: `${permissive ? 'permissive' : 'restrictive'} for ${command} to ${sorted.join(', ')}`,
    at,
  };
}
