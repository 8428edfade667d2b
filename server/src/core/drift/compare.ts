// Drift: the declared facts against the live ones, key by key. A fact only one side has is
// drift in that direction; a valued fact (owner, grant option, policy roles) that differs
// is a change. Facts about something inside an object are compared only when the object
// exists on both sides, so a missing table is one finding, not one per grant.

import { DeclaredFacts } from './declared';
import { Fact, FactKind, objectKey, ObjectRef } from './facts';

export type DriftDirection = 'live-only' | 'declared-only' | 'changed';

export interface DriftFinding {
  direction: DriftDirection;
  kind: FactKind;
  key: string;
  declared?: Fact;
  live?: Fact;
  /** The object or role the finding is about, for grouping and placement. */
  subject: string;
  message: string;
}

export function describeObject(o: ObjectRef): string {
  const name = o.schema === undefined ? o.name : `${o.schema}.${o.name}`;
  return `${o.kind} ${name}${o.args ? `(${o.args.join(', ')})` : ''}`;
}

/** What a fact says, as a reader would put it. */
export function describeFact(f: Fact): string {
  switch (f.kind) {
    case 'role':
      return `role ${f.role}`;
    case 'attribute':
      return `${f.attribute.toUpperCase()} of role ${f.role}`;
    case 'membership':
      return `${f.member} is a member of ${f.role}`;
    case 'membership option':
      return `${f.option.toUpperCase()} option of ${f.member}'s membership in ${f.role}`;
    case 'object':
      return describeObject(f.object);
    case 'owner':
      return `owner of ${describeObject(f.object)}`;
    case 'privilege':
      return `${f.privilege.toUpperCase()}${f.column ? ` (${f.column})` : ''} on ${describeObject(f.object)} to ${f.toOwner ? 'its owner' : f.grantee}`;
    case 'default privilege':
      return `default ${f.privilege.toUpperCase()} on ${f.on}s created by ${f.role}${f.schema ? ` in schema ${f.schema}` : ''} ${f.revoked ? `revoked from ${f.grantee}` : `to ${f.grantee}`}`;
    case 'rls':
      return `row-level security ${f.forced ? 'forced' : 'enabled'} on ${describeObject(f.object)}`;
    case 'policy':
      return `policy ${f.policy} on ${describeObject(f.object)}`;
    case 'policy expression':
      return `${f.clause === 'using' ? 'USING' : 'WITH CHECK'} of policy ${f.policy} on ${describeObject(f.object)}`;
    case 'security invoker':
      return `security_invoker on ${describeObject(f.object)}`;
    case 'security definer':
      return `SECURITY DEFINER on ${describeObject(f.object)}`;
    case 'function search_path':
      return `search_path of ${describeObject(f.object)}`;
  }
}

function subjectOf(f: Fact): string {
  if ('object' in f) return describeObject(f.object);
  if (f.kind === 'membership' || f.kind === 'membership option') return `role ${f.member}`;
  if (f.kind === 'default privilege') return `default privileges of ${f.role}`;
  return `role ${f.role}`;
}

export interface CompareOptions {
  /** The role that runs the migrations: it exists without a CREATE ROLE in them. */
  migrationRole: string;
}

const byKeys = new WeakMap<readonly Fact[], Map<string, Fact>>();

/** Facts by key, built once per list (the drift CLI and compareFacts both look facts up by key; 100,000 grants make it a cost). */
export function factsByKey(facts: readonly Fact[]): Map<string, Fact> {
  let m = byKeys.get(facts);
  if (!m) byKeys.set(facts, (m = new Map(facts.map((f) => [f.key, f]))));
  return m;
}

export function compareFacts(declared: DeclaredFacts, live: readonly Fact[], options: CompareOptions): DriftFinding[] {
  const d = factsByKey(declared.facts);
  const l = new Map(live.map((f) => [f.key, f]));
  const outside = (role: string) => declared.externalRoles.has(role) || role === options.migrationRole;
  const presentDeclared = (k: string) => d.has(k) || (k.startsWith('role ') && outside(k.slice(5)));
  const presentLive = (k: string) => l.has(k);
  /** Live facts the migrations cannot speak about: roles made outside them, objects in schemas they do not own. */
  const unknowable = (f: Fact): boolean => {
    if (f.kind === 'role') return outside(f.role);
    if (f.kind === 'attribute') return outside(f.role);
    if (f.kind === 'object') return f.object.kind === 'schema' ? !declared.ownedSchemas.has(f.object.name) : !declared.ownedSchemas.has(f.object.schema ?? '');
    return false;
  };
  /**
   * A grant to a role that owns the object on the other side is held there as the owner's
   * privilege: the changed owner is the finding, not the grant.
   */
  const heldAsOwner = (f: Fact, other: Map<string, Fact>): boolean => {
    if (f.kind !== 'privilege' || f.toOwner || !f.parent) return false;
    if (other.get(`owner ${f.parent.slice('object '.length)}`)?.value !== f.grantee) return false;
    return other.has(`privilege ${objectKey(f.object)}${f.column ? `.${f.column}` : ''} (owner) ${f.privilege}`);
  };
  /**
   * A database's built-in privilege (the owner's, PUBLIC's CONNECT and TEMPORARY) for a role
   * no GRANT or REVOKE on it names: the files say nothing about it, so its absence (a
   * hardening done outside them) is not drift.
   */
  const undeclaredDefault = (f: Fact): boolean => f.kind === 'privilege' && f.object.kind === 'database' && f.at === undefined;
  const out: DriftFinding[] = [];
  const add = (direction: DriftDirection, f: Fact, dec: Fact | undefined, liv: Fact | undefined, message: string) =>
    out.push({ direction, kind: f.kind, key: f.key, declared: dec, live: liv, subject: subjectOf(f), message });
  for (const [k, f] of l) {
    if (d.has(k) || f.managed) continue;
    if (f.parent && !presentDeclared(f.parent)) continue;
    if (unknowable(f) || heldAsOwner(f, d)) continue;
    add('live-only', f, undefined, f, `${describeFact(f)} is in the database, but no migration declares it`);
  }
  for (const [k, f] of d) {
    const lf = l.get(k);
    if (f.parent && !(presentLive(f.parent) && presentDeclared(f.parent))) continue;
    if (!lf) {
      if (heldAsOwner(f, l) || undeclaredDefault(f)) continue;
      add('declared-only', f, f, undefined, `${describeFact(f)} is declared, but the database does not have it`);
      continue;
    }
    if (f.value === lf.value) continue;
    if (f.kind === 'policy expression' && lf.kind === 'policy expression') {
      if (!f.unknown && !lf.unknown) add('changed', f, f, lf, `${describeFact(f)}: the database has ${lf.text ?? 'another expression'}, not the migrations' expression`);
      continue;
    }
    add('changed', f, f, lf, `${describeFact(f)}: declared ${f.value}, the database has ${lf.value}`);
  }
  return out.sort((a, b) => a.subject.localeCompare(b.subject) || a.key.localeCompare(b.key));
}

/** The declared object a finding is about, for placing it on the file that creates it. */
export function findingObject(f: DriftFinding): ObjectRef | undefined {
  const fact = f.declared ?? f.live;
  return fact && 'object' in fact ? fact.object : undefined;
}

export { objectKey };
