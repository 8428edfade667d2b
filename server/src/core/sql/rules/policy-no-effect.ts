// policy-no-effect: a policy that changes no one's rows, judged as PostgreSQL combines
// policies: a RESTRICTIVE policy that holds nothing back (USING true, or FOR INSERT without
// WITH CHECK), a permissive `false` another permissive policy overrides, a restrictive
// policy on a table with no permissive one (no role gets any row), a permissive INSERT
// policy without WITH CHECK (it admits no row). The first two look like restrictions and
// are not: warnings. The others fail closed: info.

import { Finding } from '../../rules';
import { judgeNoEffect } from '../../live/policy';
import { formatName, rangeVarName } from '../ast';
import { policyHere } from '../policy-state';
import { SqlRule } from '../rule';

export const policyNoEffect: SqlRule = {
  meta: {
    id: 'policy-no-effect',
    language: 'sql',
    defaultSeverity: 'warning',
    description:
      'A policy that changes no one\'s rows: a restrictive policy that holds nothing back, a permissive false that another policy overrides, or a policy that can grant nothing.',
    fixable: false,
  },
  types: ['CreatePolicyStmt', 'AlterPolicyStmt'],
  check(stmt, ctx) {
    const p = policyHere(stmt, ctx);
    if (!p) return [];
    const j = judgeNoEffect(p.facts, p.siblings);
    if (!j) return [];
    if (!p.madeHere) return [];
    // The table-wide case (no permissive policy) is reported once, on its first restrictive policy.
    if (j.reason.includes('no permissive policy') && p.order.find((n) => n === p.facts.name || p.siblings.some((s) => s.name === n && !s.permissive)) !== p.facts.name) return [];
    const table = formatName(rangeVarName(stmt.node.table)!);
    const finding: Finding = { ruleId: 'policy-no-effect', ...p.range, message: `Policy "${p.facts.name}" on ${table} ${j.reason}.` };
    if (j.severity !== 'warning') finding.severity = j.severity;
    return [finding];
  },
};

