// db-rls-no-policy: a table with row-level security enabled and no policy at all. Without pg_policy
// the policies are unknown, not absent, and the rule stays silent.

import { LiveRule, liveMeta } from '../rule';
import { quoteQualified } from '../../identifier';
import { inRlsScope } from '../rls';

export const dbRlsNoPolicy: LiveRule = {
  meta: liveMeta(
    'db-rls-no-policy',
    'warning',
    'A table has row-level security enabled but no policy, so it denies every row to everyone but its owner.',
  ),
  check(s, ctx) {
    for (const t of s.tables) {
      if (!(t.kind === 'table' || t.kind === 'partitioned table') || !t.rls || !inRlsScope(t.schema, ctx.config.rlsSchemas)) continue;
      if (t.policies.length > 0 || t.policiesUnreadable) continue;
      const name = quoteQualified(t);
      ctx.report({
        objectKind: 'table',
        object: name,
        message: `Table ${name} has row-level security enabled but no policy: every role but its owner sees no rows. Add a policy with CREATE POLICY, or disable RLS if the table is meant to be owner-only.`,
      });
    }
  },
};
