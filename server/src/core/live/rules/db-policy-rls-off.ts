// db-policy-rls-off: a table with policies but row-level security off. PostgreSQL keeps the
// policies and applies none of them, so everyone with a privilege sees and changes every
// row while the policies say otherwise (splinter's policy_exists_rls_disabled, pgrls
// SEC032). The SQL half is missing-rls.

import { LiveRule, liveMeta } from '../rule';
import { quoteQualified } from '../../identifier';
import { rlsRelevantGrantees } from '../rls';

export const dbPolicyRlsOff: LiveRule = {
  meta: liveMeta('db-policy-rls-off', 'warning', 'A table has row-level security policies but row-level security is off, so none of them applies.'),
  check(s, ctx) {
    for (const t of s.tables) {
      if (!(t.kind === 'table' || t.kind === 'partitioned table') || t.rls || !t.policies.length) continue;
      const name = quoteQualified(t);
      const who = rlsRelevantGrantees(t);
      const exposed = who.length ? ` ${who.map((g) => (g === 'PUBLIC' ? 'PUBLIC' : `"${g}"`)).join(', ')} ${who.length > 1 ? 'see' : 'sees'} and ${who.length > 1 ? 'change' : 'changes'} every row their privileges allow.` : '';
      ctx.report({
        objectKind: 'table',
        object: name,
        message: `Table ${name} has ${t.policies.length === 1 ? 'policy' : 'policies'} ${t.policies.map((p) => `"${p.name}"`).join(', ')} but row-level security is off, so none applies.${exposed} ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY.`,
      });
    }
  },
};
