// What one statement changes about who can access what: the declared history folded up to
// the statement and through it, compared as `pgwarden impact` compares files. Shown on
// hover over a GRANT, REVOKE, ALTER DEFAULT PRIVILEGES, membership or policy statement, so
// an author sees "after this statement, role web_anon and 3 members can SELECT ..." with
// the membership paths, without replaying the history in their head.

import type { Effect } from '../model/effects';
import { DeclaredState, FileEffects, Folder } from '../model/state';
import { describeObject } from './compare';
import { Fact } from './facts';
import { CURRENT } from '../model/effects';
import { declaredFacts } from './declared';
import { AccessChange, factChanges } from './impact';

/** The statements whose effect on access a hover explains. */
const IMPACT_OPS = new Set<Effect['op']>(['grant', 'grant_role', 'default_privileges', 'create_policy', 'alter_policy']);

export interface StatementImpact {
  /** The statement's offsets in its file. */
  start: number;
  end: number;
  lines: string[];
}

/**
 * The access changes of the statement at `offset` in `uri`, whose current effects are
 * `effects`; `files` is the history in migration order (holding `uri`). Undefined when no
 * statement there changes access.
 */
export function statementImpact(files: readonly FileEffects[], uri: string, effects: readonly Effect[], offset: number): StatementImpact | undefined {
  const here = effects.map((e, i) => ({ e, i })).filter(({ e }) => e.start <= offset && offset <= e.end);
  if (!here.some(({ e }) => IMPACT_OPS.has(e.op))) return undefined;
  // One statement can have several effects (GRANT ... ON a, b); nested statements of a DO block have their own offsets.
  const first = here[0].i;
  const last = here[here.length - 1].i;
  const k = files.findIndex((f) => f.uri === uri);
  const prefix = k < 0 ? files : files.slice(0, k);
  const own = k < 0 ? { uri, effects } : { ...files[k], effects };
  // One fold: the part of the state the statement can change is read just before its first
  // effect (with the memberships, for who inherits what it takes away) and after its last.
  const scope = scopeOf(here.map(({ e }) => e));
  const databases = here.flatMap(({ e }) => (e.op === 'grant' && e.kind === 'database' ? e.objects.map((o) => o.name) : []));
  const folder = new Folder();
  folder.fold(prefix);
  let before: { facts: Fact[]; memberships: DeclaredState['memberships'] } | undefined;
  const readBefore = (s: DeclaredState) => ({ facts: declaredFacts(scope(s), CURRENT, { databases }).facts, memberships: new Map([...s.memberships].map(([key, m]) => [key, { ...m }])) });
  folder.file({ ...own, effects: effects.slice(0, last + 1) }, (i) => {
    if (i === first) before = readBefore(folder.state);
  });
  before ??= readBefore(folder.state);
  const changes = factChanges(before.facts, declaredFacts(scope(folder.state), CURRENT, { databases }).facts, before, folder.state);
  return { start: Math.min(...here.map(({ e }) => e.start)), end: Math.max(...here.map(({ e }) => e.end)), lines: describeChanges(changes) };
}

const filtered = <K, V>(m: ReadonlyMap<K, V>, keep: (v: V) => boolean): Map<K, V> => new Map([...m].filter(([, v]) => keep(v)));

/**
 * The part of a declared state a statement's effects can change: the objects it names (by
 * name, in any schema, so the search_path need not be resolved again), every object of the
 * schemas of ON ALL ... IN SCHEMA, the policies of the tables it names, the memberships of
 * the roles it names, and the default privileges.
 */
function scopeOf(effects: readonly Effect[]): (s: DeclaredState) => DeclaredState {
  const names = new Set<string>();
  const inSchemas = new Set<string>();
  const roles = new Set<string>();
  for (const e of effects) {
    if (e.op === 'grant') {
      for (const o of e.objects) names.add(o.name);
      for (const s of e.inSchemas ?? []) inSchemas.add(s);
    } else if (e.op === 'grant_role') for (const r of [...e.roles, ...e.members]) roles.add(r);
    else if (e.op === 'create_policy' || e.op === 'alter_policy') names.add(e.table.name);
  }
  const named = (o: { schema?: string; name: string }) => names.has(o.name) || (o.schema !== undefined && inSchemas.has(o.schema));
  return (s) => ({
    roles: filtered(s.roles, (r) => roles.has(r.name)),
    memberships: filtered(s.memberships, (m) => roles.has(m.role) || roles.has(m.member)),
    schemas: filtered(s.schemas, named),
    relations: filtered(s.relations, named),
    functions: filtered(s.functions, (list) => list.some(named)),
    types: filtered(s.types, named),
    policies: filtered(s.policies, (pols) => [...pols.values()].some((p) => names.has(p.table))),
    defaultAcls: s.defaultAcls,
    databases: filtered(s.databases, (d) => names.has(d.name)),
    foreignGrants: [],
    unknowns: [],
  });
}

const MAX_SHOWN = 5;

function listed(names: readonly string[]): string {
  return names.length > MAX_SHOWN ? `${names.slice(0, MAX_SHOWN).join(', ')} and ${names.length - MAX_SHOWN} more` : names.join(', ');
}

function who(grantees: readonly string[], members: readonly string[]): string {
  const named = grantees.filter((g) => g !== 'public');
  const roles = named.length ? `role${named.length === 1 ? '' : 's'} ${listed(named)}` : '';
  const all = grantees.includes('public') ? (roles ? `every role (PUBLIC) and ${roles}` : 'every role (PUBLIC)') : roles;
  if (!members.length) return all;
  return `${all} and ${members.length} member${members.length === 1 ? '' : 's'} (${listed(members)})`;
}

/** "+1 table", "+2 tables", "+3 objects" for the objects after the first. */
function more(kinds: readonly string[]): string {
  if (!kinds.length) return '';
  const same = kinds.every((k) => k === kinds[0]);
  const noun = same ? kinds[0] : 'object';
  return ` (+${kinds.length} ${noun}${kinds.length === 1 ? '' : 's'})`;
}

type PrivilegeFact = Extract<Fact, { kind: 'privilege' }>;

interface Grants {
  change: AccessChange['change'];
  grantees: string[];
  members: Set<string>;
  facts: PrivilegeFact[];
}

/** At most this many lines: `pgwarden impact` lists every change. */
const MAX_LINES = 20;

/**
 * Grants as one line per (change, privilege, objects) naming the grantees, their inheriting
 * members and the first object with a count of the rest; a new membership with its options;
 * every other change as `pgwarden impact` words it.
 */
export function describeChanges(changes: readonly AccessChange[]): string[] {
  const perGrantee = new Map<string, Grants>();
  const out: Array<string | Grants> = [];
  const joined = new Set(changes.filter((c) => c.change === 'added' && c.fact.kind === 'membership').map((c) => c.fact.key));
  const optionsOf = (role: string, member: string) =>
    changes.flatMap((c) => (c.change === 'added' && c.fact.kind === 'membership option' && c.fact.role === role && c.fact.member === member && c.fact.on ? [c.fact.option.toUpperCase()] : []));
  for (const c of changes) {
    // A new membership's options are said with it, not as changes of their own.
    if (c.fact.kind === 'membership option' && c.fact.parent && joined.has(c.fact.parent)) continue;
    if (c.fact.kind === 'membership' && c.change === 'added') {
      const opts = optionsOf(c.fact.role, c.fact.member).sort();
      out.push(`after this statement, ${who([c.fact.member], c.members)} ${c.members.length ? 'are members' : 'is a member'} of ${c.fact.role}${opts.length ? ` (${opts.join(', ')})` : ''}`);
      continue;
    }
    if (c.fact.kind !== 'privilege' || c.change === 'changed') {
      out.push(`${c.change === 'added' ? 'adds' : c.change === 'removed' ? 'removes' : 'changes'} ${c.message.slice(2)}`);
      continue;
    }
    const f = c.fact;
    const key = `${c.change}\u0000${f.grantee}\u0000${f.privilege}\u0000${f.column ?? ''}`;
    const g = perGrantee.get(key);
    if (g) g.facts.push(f);
    else {
      const ng: Grants = { change: c.change, grantees: [f.grantee], members: new Set(c.members), facts: [f] };
      perGrantee.set(key, ng);
      out.push(ng);
    }
  }
  // Grantees given the same privilege on the same objects share a line.
  const merged = new Map<string, Grants>();
  const lines: Array<string | Grants> = [];
  for (const x of out) {
    if (typeof x === 'string') {
      lines.push(x);
      continue;
    }
    const f = x.facts[0];
    const key = `${x.change}\u0000${f.privilege}\u0000${f.column ?? ''}\u0000${x.facts.map((y) => y.parent ?? y.key).join('\u0001')}`;
    const m = merged.get(key);
    if (m) {
      m.grantees.push(...x.grantees);
      for (const r of x.members) m.members.add(r);
    } else {
      merged.set(key, x);
      lines.push(x);
    }
  }
  const text = lines.map((x) => {
    if (typeof x === 'string') return x;
    const [f, ...rest] = x.facts;
    const members = [...x.members].filter((r) => !x.grantees.includes(r)).sort();
    const priv = `${f.privilege.toUpperCase()}${f.column ? ` (${f.column})` : ''}`;
    const objects = `${describeObject(f.object)}${more(rest.map((r) => r.object.kind))}`;
    // "can CREATE database app" would read as making a database: a database's privileges are "on" it.
    if (x.change === 'added') return `after this statement, ${who(x.grantees, members)} can ${priv}${f.object.kind === 'database' ? ' on' : ''} ${objects}`;
    const plural = members.length || x.grantees.length > 1;
    return `after this statement, ${who(x.grantees, members)} no longer hold${plural ? '' : 's'} ${priv} on ${objects} through this grant`;
  });
  return text.length > MAX_LINES ? [...text.slice(0, MAX_LINES), `and ${text.length - MAX_LINES} more changes (pgwarden impact lists them all)`] : text;
}
