// db-policy-no-effect: a policy that changes no one's rows, judged as the SQL rule
// policy-no-effect judges the migrations (core/live/policy.ts): a restrictive policy that
// holds nothing back, a permissive false another permissive policy overrides, a table
// whose policies are all restrictive, a permissive INSERT policy without WITH CHECK.

import { LiveRule, liveMeta } from '../rule';
import { quoteQualified } from '../../identifier';
import { judgeNoEffect } from '../policy';
import { enforcedPolicies, policyLabel } from '../policy-facts';

export const dbPolicyNoEffect: LiveRule = {
  meta: liveMeta(
    'db-policy-no-effect',
    'warning',
    "A policy that changes no one's rows: a restrictive policy that holds nothing back, a permissive false that another policy overrides, or a policy that can grant nothing.",
  ),
  check(s, ctx) {
    for (const { table, policies } of enforcedPolicies(s.tables)) {
      const name = quoteQualified(table);
      let allRestrictiveReported = false;
      for (const p of policies) {
        const j = judgeNoEffect(p, policies.filter((o) => o !== p));
        if (!j) continue;
        // A table whose policies are all restrictive is one finding, not one per policy.
        if (j.reason.includes('no permissive policy')) {
          if (allRestrictiveReported) continue;
          allRestrictiveReported = true;
        }
        ctx.report({ objectKind: 'table', object: name, policy: p.name, severity: j.severity, message: `Policy ${policyLabel(p)} on ${name} ${j.reason}.` });
      }
    }
  },
};
