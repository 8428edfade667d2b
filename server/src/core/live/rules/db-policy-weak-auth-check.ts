// db-policy-weak-auth-check: a policy whose check of the caller can be passed by a caller it
// was not meant for (pgrls SEC004, SEC024, SEC026; splinter 0030): `auth.uid() IS NULL OR`,
// a built-in setting any client sets, or the caller's value used as a LIKE pattern. The
// judgement is the SQL rule policy-weak-auth-check's (core/live/policy-auth.ts).

import { quoteQualified } from '../../identifier';
import { weakAuthChecks, weakAuthText } from '../policy-auth';
import { enforcedPolicies, policyLabel } from '../policy-facts';
import { LiveRule, liveMeta } from '../rule';

export const dbPolicyWeakAuthCheck: LiveRule = {
  meta: liveMeta(
    'db-policy-weak-auth-check',
    'warning',
    "A policy's check of the caller can be passed by a caller it was not meant for: an IS NULL branch on the caller's identity, a built-in setting any client sets, or the caller's value used as a pattern.",
  ),
  check(s, ctx) {
    for (const { table, policies } of enforcedPolicies(s.tables)) {
      const name = quoteQualified(table);
      for (const p of policies) {
        for (const c of weakAuthChecks(p)) {
          ctx.report({ objectKind: 'table', object: name, policy: p.name, message: `Policy ${policyLabel(p)} on ${name}: ${weakAuthText(c)}.` });
        }
      }
    }
  },
};
