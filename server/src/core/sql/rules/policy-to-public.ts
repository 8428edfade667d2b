// policy-to-public: a permissive policy for PUBLIC (TO PUBLIC, or no TO clause) whose
// condition is the same for every role. PUBLIC is every role: anonymous API roles, roles
// created next year, a reporting login given SELECT for another reason. A condition that
// names the caller (current_user, auth.uid(), current_setting, a membership subquery) is the
// normal way to write a policy for PUBLIC and is not reported.

import { Finding } from '../../rules';
import { commandVerb, judgePublic } from '../../live/policy';
import { formatName, rangeVarName, roleSpec } from '../ast';
import { policyHere } from '../policy-state';
import { SqlRule } from '../rule';

export const policyToPublic: SqlRule = {
  meta: {
    id: 'policy-to-public',
    language: 'sql',
    defaultSeverity: 'warning',
    description:
      'A permissive policy for PUBLIC (TO PUBLIC or no TO clause) whose condition does not depend on the caller: every role, including ones created later, gets the rows it admits.',
    fixable: false,
  },
  types: ['CreatePolicyStmt', 'AlterPolicyStmt'],
  check(stmt, ctx) {
    const p = policyHere(stmt, ctx);
    if (!p) return [];
    const j = judgePublic(p.facts);
    if (!j || !p.madeHere) return [];
    const table = formatName(rangeVarName(stmt.node.table)!);
    const how = stmt.type === 'CreatePolicyStmt' && noToClause(stmt.node.roles) ? 'has no TO clause, so it is for PUBLIC,' : 'is for PUBLIC';
    const what = commandVerb(p.facts.command);
    const finding: Finding = {
      ruleId: 'policy-to-public',
      ...p.range,
      message: `Policy "${p.facts.name}" on ${table} ${how} and its ${j.clauses.join(' and ')} condition does not depend on who asks: every role, including anonymous ones and roles created later, may ${what} the rows it admits. Name the roles (TO authenticated, TO app_user), or tie the condition to the caller.`,
    };
    if (j.severity !== 'warning') finding.severity = j.severity;
    return [finding];
  },
};

/** The parser fills in PUBLIC, with no location, for a CREATE POLICY without TO. */
function noToClause(roles: any[] | undefined): boolean {
  if (!roles?.length) return true;
  const r = roleSpec(roles[0]);
  return roles.length === 1 && r?.kind === 'public' && !(typeof r.location === 'number' && r.location >= 0);
}
