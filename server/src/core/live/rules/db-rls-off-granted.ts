// db-rls-off-granted: a table without row-level security that other roles (or PUBLIC) hold data
// privileges on. Only tables in pgwarden.json's rls.schemas count.

import { LiveRule, liveMeta } from '../rule';
import { quoteQualified } from '../../identifier';
import { inRlsScope, rlsRelevantGrantees } from '../rls';

export const dbRlsOffGranted: LiveRule = {
  meta: liveMeta(
    'db-rls-off-granted',
    'warning',
    'A table without row-level security is granted to roles other than its owner, or to PUBLIC.',
  ),
  check(s, ctx) {
    for (const t of s.tables) {
      if (!(t.kind === 'table' || t.kind === 'partitioned table') || t.rls || !inRlsScope(t.schema, ctx.config.rlsSchemas)) continue;
      const others = rlsRelevantGrantees(t);
      if (!others.length) continue;
      const name = quoteQualified(t);
      ctx.report({
        objectKind: 'table',
        object: name,
        message: `Table ${name} has row-level security off but is granted to ${others.map((g) => (g === 'PUBLIC' ? 'PUBLIC' : `"${g}"`)).join(', ')}: they see and change every row. Enable it with ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY and add policies.`,
        // Without a policy, enabling RLS hides every row from the grantees: the policies come with it.
        fix: `ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY;\n-- Then a policy for each grantee's rows, for example:\n-- CREATE POLICY own_rows ON ${name} TO <role> USING (<condition>);`,
      });
    }
  },
};
