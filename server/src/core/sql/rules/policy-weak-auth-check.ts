// policy-weak-auth-check: a policy whose check of the caller can be passed by a caller it
// was not meant for (pgrls SEC004, SEC024, SEC026; splinter 0030): an `IS NULL` branch on
// the caller's identity lets an anonymous caller through, a built-in setting is one any
// client sets, and the caller's value read as a LIKE pattern matches other rows. Judged on
// the policy's final state (a later ALTER POLICY counts) by core/live/policy-auth.ts, as
// db-policy-weak-auth-check judges the live catalog.

import { Finding } from '../../rules';
import { weakAuthChecks, weakAuthText } from '../../live/policy-auth';
import { formatName, rangeVarName } from '../ast';
import { policyHere } from '../policy-state';
import { SqlRule } from '../rule';

export const policyWeakAuthCheck: SqlRule = {
  meta: {
    id: 'policy-weak-auth-check',
    language: 'sql',
    defaultSeverity: 'warning',
    description:
      "A policy's check of the caller can be passed by a caller it was not meant for: an IS NULL branch on the caller's identity, a built-in setting any client sets, or the caller's value used as a pattern.",
    fixable: false,
  },
  types: ['CreatePolicyStmt', 'AlterPolicyStmt'],
  check(stmt, ctx) {
    const p = policyHere(stmt, ctx);
    if (!p || !p.madeHere) return [];
    const table = formatName(rangeVarName(stmt.node.table)!);
    return weakAuthChecks(p.facts).map(
      (c): Finding => ({ ruleId: 'policy-weak-auth-check', ...p.range, message: `Policy "${p.facts.name}" on ${table}: ${weakAuthText(c)}.` }),
    );
  },
};
