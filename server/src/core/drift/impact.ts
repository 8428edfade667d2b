// What a set of migrations changes about who can access what: the declared state before
// them and after them, as facts, and the difference. A privilege, membership or policy
// given to a role reaches that role's members too (through memberships that inherit), so
// each change lists them: a reviewer reads "this lets role X read table Y" without
// reading SQL.

import { CURRENT } from '../model/effects';
import type { DeclaredState } from '../model/state';
import { describeFact } from './compare';
import { declaredFacts } from './declared';
import { Fact } from './facts';

export interface AccessChange {
  change: 'added' | 'removed' | 'changed';
  fact: Fact;
  before?: Fact;
  /** Roles that hold the change through membership (with INHERIT), for grants, memberships and policies. */
  members: string[];
  message: string;
}

/** Facts that are about access (an object's existence is not; its grants are). */
const ACCESS_KINDS = new Set(['role', 'attribute', 'membership', 'membership option', 'owner', 'privilege', 'default privilege', 'rls', 'policy', 'security invoker', 'security definer', 'function search_path']);

/** Every role that inherits `role`'s privileges, through memberships that inherit, in name order. */
export function inheritingMembers(state: Memberships, role: string): string[] {
  const byRole = new Map<string, string[]>();
  for (const m of state.memberships.values()) if (m.inherit !== false) byRole.set(m.role, [...(byRole.get(m.role) ?? []), m.member]);
  const seen = new Set<string>();
  const queue = [role];
  while (queue.length) for (const m of byRole.get(queue.shift()!) ?? []) if (!seen.has(m) && m !== role) (seen.add(m), queue.push(m));
  return [...seen].sort();
}

function granteeOf(f: Fact): string | undefined {
  if (f.kind === 'privilege') return f.toOwner ? undefined : f.grantee;
  if (f.kind === 'membership') return f.member;
  return undefined;
}

function withMembers(text: string, members: readonly string[]): string {
  if (!members.length) return text;
  const shown = members.slice(0, 5).join(', ');
  return `${text}, and through membership to ${shown}${members.length > 5 ? ` and ${members.length - 5} more` : ''}`;
}

/**
 * The access changes from `before` to `after`. `scope`, when given, narrows both states to
 * the part that can have changed (what one statement names), so a hover in a large project
 * does not turn every grant of the project into facts twice; members are still found in
 * the whole states.
 */
export function accessChanges(before: DeclaredState, after: DeclaredState, scope?: (s: DeclaredState) => DeclaredState): AccessChange[] {
  // A database the files name only after `before` had PostgreSQL's ACL before: compared as such.
  const databases = new Set([...before.databases.keys(), ...after.databases.keys()]);
  const facts = (s: DeclaredState) => declaredFacts(scope ? scope(s) : s, CURRENT, { databases }).facts;
  return factChanges(facts(before), facts(after), before, after);
}

/** What a state's memberships are, for finding who inherits a change. */
export type Memberships = Pick<DeclaredState, 'memberships'>;

/** The access changes between two states given as their facts (and memberships, for the inheriting members). */
export function factChanges(beforeFacts: readonly Fact[], afterFacts: readonly Fact[], before: Memberships, after: Memberships): AccessChange[] {
  const b = new Map(beforeFacts.map((f) => [f.key, f]));
  const a = new Map(afterFacts.map((f) => [f.key, f]));
  const out: AccessChange[] = [];
  const members = (f: Fact, state: Memberships) => {
    const g = granteeOf(f);
    if (g) return inheritingMembers(state, g);
    if (f.kind === 'policy') return [...new Set(f.roles.flatMap((r) => inheritingMembers(state, r)))].sort();
    return [];
  };
  for (const [k, f] of a) {
    if (!ACCESS_KINDS.has(f.kind) || (f.kind === 'privilege' && f.toOwner)) continue;
    const was = b.get(k);
    // A new role's attributes are part of its creation.
    if (!was && f.kind === 'attribute' && !b.has(`role ${f.role}`)) continue;
    if (!was) {
      const m = members(f, after);
      out.push({ change: 'added', fact: f, members: m, message: withMembers(`+ ${describeFact(f)}${f.value && f.kind !== 'privilege' ? ` (${f.value})` : ''}`, m) });
    } else if (was.value !== f.value) {
      const m = members(f, after);
      out.push({ change: 'changed', fact: f, before: was, members: m, message: withMembers(`~ ${describeFact(f)}: ${was.value} -> ${f.value}`, m) });
    }
  }
  for (const [k, f] of b) {
    if (a.has(k) || !ACCESS_KINDS.has(f.kind) || (f.kind === 'privilege' && f.toOwner)) continue;
    // Grants on a dropped object go with it; the drop is not an access change of its own.
    if (f.parent && !a.has(f.parent) && f.kind !== 'attribute') continue;
    if (f.kind === 'attribute') continue;
    const m = members(f, before);
    out.push({ change: 'removed', fact: f, members: m, message: withMembers(`- ${describeFact(f)}`, m) });
  }
  return out;
}
