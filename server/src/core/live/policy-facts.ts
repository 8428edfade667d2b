// pg_policy rows as the shared policy judgement (./policy.ts) reads them, for the live
// db-policy-* rules: the same facts the SQL rules take from the migrations.

import type { PolicyInfo, TableInfo } from './catalog';
import { parseExprText } from './always-true';
import { PolicyCommand, PolicyFacts } from './policy';

/** A policy's facts, or undefined when a clause's catalog text does not parse (it is then not judged). */
export function liveFacts(p: PolicyInfo): PolicyFacts | undefined {
  const using = parseExprText(p.using);
  const check = parseExprText(p.withCheck);
  if ((p.using !== null && using === undefined) || (p.withCheck !== null && check === undefined)) return undefined;
  return {
    name: p.name,
    command: p.command.toLowerCase() as PolicyCommand,
    permissive: p.permissive,
    roles: p.roles.map((r) => (r === 'PUBLIC' ? 'public' : r)),
    using,
    check,
  };
}

/** The tables with row-level security on, each with its policies' facts (in pg_policy name order). */
export function* enforcedPolicies(tables: readonly TableInfo[]): Generator<{ table: TableInfo; policies: PolicyFacts[] }> {
  for (const t of tables) {
    if (!(t.kind === 'table' || t.kind === 'partitioned table') || !t.rls) continue;
    const policies = t.policies.map(liveFacts).filter((p): p is PolicyFacts => p !== undefined);
    if (policies.length) yield { table: t, policies };
  }
}

/** How a policy reads in a live message: `"name" (COMMAND, for roles)`. */
export function policyLabel(p: PolicyInfo | PolicyFacts): string {
  const roles = p.roles.map((r) => (r === 'public' || r === 'PUBLIC' ? 'PUBLIC' : r)).join(', ');
  return `"${p.name}" (${p.command.toUpperCase()}, for ${roles})`;
}
