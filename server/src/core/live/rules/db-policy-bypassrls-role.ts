// db-policy-bypassrls-role: a policy with a real condition for a role that bypasses
// row-level security (BYPASSRLS or superuser): PostgreSQL never applies it to that role.
// The role itself is db-bypassrls's finding; this one is about the policy that reads as if
// it limited the role.

import { LiveRule, liveMeta } from '../rule';
import { quoteQualified } from '../../identifier';
import { judgeBypassRoles } from '../policy';
import { enforcedPolicies, policyLabel } from '../policy-facts';

export const dbPolicyBypassrlsRole: LiveRule = {
  meta: liveMeta(
    'db-policy-bypassrls-role',
    'warning',
    'A policy with a real condition for a role that bypasses row-level security (BYPASSRLS or superuser): the condition never applies to that role.',
  ),
  check(s, ctx) {
    const bypassing = new Set(s.roles.filter((r) => r.bypassrls || r.superuser).map((r) => r.name));
    for (const { table, policies } of enforcedPolicies(s.tables)) {
      const name = quoteQualified(table);
      for (const p of policies) {
        const roles = judgeBypassRoles(p, (r) => bypassing.has(r));
        if (!roles.length) continue;
        const all = roles.length === p.roles.length;
        ctx.report({
          objectKind: 'table',
          object: name,
          policy: p.name,
          message: `Policy ${policyLabel(p)} on ${name} names ${roles.map((r) => `"${r}"`).join(', ')}, which ${roles.length > 1 ? 'bypass' : 'bypasses'} row-level security: ${all ? 'its condition restricts nothing' : 'its condition restricts only the other roles'}. Drop the ${all ? 'policy' : 'role from its TO list'}, or ALTER ROLE ... NOBYPASSRLS if the role's rows should be limited.`,
        });
      }
    }
  },
};
