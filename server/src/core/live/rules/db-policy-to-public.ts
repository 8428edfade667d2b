// db-policy-to-public: a permissive policy for PUBLIC whose condition is the same for every
// role, judged as the SQL rule policy-to-public judges the migrations (core/live/policy.ts).

import { LiveRule, liveMeta } from '../rule';
import { quoteQualified } from '../../identifier';
import { commandVerb, judgePublic } from '../policy';
import { enforcedPolicies, policyLabel } from '../policy-facts';

export const dbPolicyToPublic: LiveRule = {
  meta: liveMeta(
    'db-policy-to-public',
    'warning',
    'A permissive policy for PUBLIC whose condition does not depend on the caller: every role, including ones created later, gets the rows it admits.',
  ),
  check(s, ctx) {
    for (const { table, policies } of enforcedPolicies(s.tables)) {
      const name = quoteQualified(table);
      for (const p of policies) {
        const j = judgePublic(p);
        if (!j) continue;
        const what = commandVerb(p.command);
        ctx.report({
          objectKind: 'table',
          object: name,
          policy: p.name,
          severity: j.severity,
          message: `Policy ${policyLabel(p)} on ${name} has a ${j.clauses.join(' and ')} condition that does not depend on who asks: every role, including anonymous ones and roles created later, may ${what} the rows it admits. ALTER POLICY "${p.name}" ON ${name} TO the roles that need it, or tie the condition to the caller.`,
        });
      }
    }
  },
};
