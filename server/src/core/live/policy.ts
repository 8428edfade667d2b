// What a row-level security policy does, judged the way PostgreSQL applies it
// (src/backend/rewrite/rowsecurity.c): the one judgement behind the SQL rules
// policy-to-public, policy-no-effect and policy-bypassrls-role (over the migrations'
// final state) and their live db-* twins (over pg_policy, whose pg_get_expr text is
// parsed the same way). The facts PostgreSQL's code fixes:
// - permissive policies are ORed, restrictive ones ANDed onto that;
// - with no permissive policy for a command, no row passes, whatever the restrictive ones say;
// - a write check is WITH CHECK, or USING when there is none; a clause that is absent
//   adds nothing: a permissive INSERT policy without WITH CHECK lets nothing in, a
//   restrictive one without it holds nothing back.

import { stringList, walk } from '../sql/ast';
import { constBool } from './always-true';

export type PolicyCommand = 'all' | 'select' | 'insert' | 'update' | 'delete';

/** A policy as both halves see it: role names lower-case as the catalog has them, `public` for PUBLIC. */
export interface PolicyFacts {
  name: string;
  command: PolicyCommand;
  permissive: boolean;
  roles: readonly string[];
  /** Parsed expressions; undefined when the clause is absent. */
  using?: unknown;
  check?: unknown;
}

const READS: ReadonlySet<PolicyCommand> = new Set(['all', 'select', 'update', 'delete']);
const WRITES: ReadonlySet<PolicyCommand> = new Set(['all', 'insert', 'update']);

/** The expression PostgreSQL checks new rows against (WITH CHECK, else USING), for commands that write. */
function writeCheck(p: PolicyFacts): unknown {
  return WRITES.has(p.command) ? (p.check ?? p.using) : undefined;
}

/** Whether two policies can apply to one query: a shared command and a shared role (PUBLIC is every role). */
function overlaps(a: PolicyFacts, b: PolicyFacts): boolean {
  const command = a.command === 'all' || b.command === 'all' || a.command === b.command;
  const roles = a.roles.includes('public') || b.roles.includes('public') || a.roles.some((r) => b.roles.includes(r));
  return command && roles;
}

/**
 * Whether an expression depends on who is asking: it calls a function (auth.uid(),
 * current_setting(...), has_role), names CURRENT_USER or SESSION_USER, or runs a
 * subquery (a membership lookup). Without any of these, every role the policy applies
 * to gets the same rows.
 */
export function dependsOnCaller(e: unknown): boolean {
  let found = false;
  walk(e, (type, value) => {
    if (type === 'FuncCall' || type === 'SQLValueFunction' || type === 'SubLink') found = true;
    // `user` and `current_role` parse as column references in some positions.
    if (type === 'ColumnRef') {
      const name = stringList(value.fields).join('.');
      if (['current_user', 'session_user', 'current_role', 'user'].includes(name)) found = true;
    }
  });
  return found;
}

/** What a policy for a command lets its roles do, as a verb for messages. */
export function commandVerb(command: PolicyCommand): string {
  return command === 'select' ? 'read' : command === 'all' ? 'read and change' : command === 'delete' ? 'delete' : 'write';
}

export interface PublicJudgement {
  severity: 'info' | 'warning';
  /** The clauses that do not depend on the caller, as written: `USING`, `WITH CHECK`. */
  clauses: string[];
}

/**
 * A permissive policy for PUBLIC (named, or by leaving out TO) whose condition is the same
 * for every role: every role, including anonymous API roles and roles created later, gets
 * the rows it admits. A constant true is policy-always-true's finding, not this one; a
 * condition that names the caller is the normal way to write a policy for PUBLIC.
 */
export function judgePublic(p: PolicyFacts): PublicJudgement | undefined {
  if (!p.permissive || !p.roles.includes('public')) return undefined;
  const clauses: string[] = [];
  for (const [clause, e] of [['USING', p.using], ['WITH CHECK', p.check]] as const) {
    if (e === undefined || constBool(e) !== undefined || dependsOnCaller(e)) continue;
    clauses.push(clause);
  }
  if (!clauses.length) return undefined;
  // Reading what every role may read is how public catalogues are written; writing is rarer.
  return { severity: p.command === 'select' ? 'info' : 'warning', clauses };
}

export interface NoEffectJudgement {
  severity: 'info' | 'warning';
  /** Why, as a sentence fragment after the policy's name. */
  reason: string;
}

/**
 * A policy that cannot change which rows anyone sees or writes. `siblings` are the
 * table's other policies. Warning when it looks like a restriction that is not one: a
 * restrictive policy that holds nothing back, or a permissive `false` that another
 * permissive policy overrides. Info when it can grant nothing and its author likely
 * meant it to grant something (fails closed). A lone permissive `false` is silent: it denies
 * what would be denied without it, which is what its author meant.
 */
export function judgeNoEffect(p: PolicyFacts, siblings: readonly PolicyFacts[]): NoEffectJudgement | undefined {
  const check = writeCheck(p);
  if (!p.permissive) {
    const readFree = !READS.has(p.command) || p.using === undefined || constBool(p.using) === true;
    const writeFree = !WRITES.has(p.command) || check === undefined || constBool(check) === true;
    if (readFree && writeFree) {
      const how = p.command === 'insert' && check === undefined ? 'has no WITH CHECK' : p.using === undefined && check === undefined ? 'has no condition' : 'is constant true';
      return { severity: 'warning', reason: `is RESTRICTIVE but ${how}: restrictive policies are ANDed with the rest, so it holds back no row` };
    }
    if (!siblings.some((s) => s.permissive)) {
      return { severity: 'info', reason: 'is RESTRICTIVE and the table has no permissive policy: restrictive policies only narrow what a permissive one grants, so no role gets any row' };
    }
    return undefined;
  }
  if (p.command === 'insert' && p.check === undefined) {
    return { severity: 'info', reason: 'is FOR INSERT without WITH CHECK: PostgreSQL then admits no new row through it' };
  }
  const clauses = [READS.has(p.command) ? p.using : undefined, check].filter((e) => e !== undefined);
  if (!clauses.length || !clauses.every((e) => constBool(e) === false)) return undefined;
  const other = siblings.find((s) => s.permissive && s.name !== p.name && overlaps(p, s));
  if (other) {
    return {
      severity: 'warning',
      reason: `is constant false, which denies nothing: permissive policies are ORed, and "${other.name}" still grants. To forbid, make it AS RESTRICTIVE`,
    };
  }
  // Alone, a permissive false denies what would be denied without it: what its author meant.
  return undefined;
}

/**
 * The roles a policy names that bypass row-level security: the policy constrains none of
 * them. A condition that is constant true says as much, so it is not reported.
 */
export function judgeBypassRoles(p: PolicyFacts, bypasses: (role: string) => boolean): string[] {
  if (p.using !== undefined && constBool(p.using) === true && (p.check === undefined || constBool(p.check) === true)) return [];
  if (p.using === undefined && p.check !== undefined && constBool(p.check) === true) return [];
  return p.roles.filter((r) => r !== 'public' && bypasses(r));
}
