// db-policy-always-true: a permissive policy whose USING or WITH CHECK is constant true, judged by the
// same constant folding as the SQL rule policy-always-true (so `(1 = 1)` counts).

import { LiveRule, liveMeta } from '../rule';
import { quoteQualified } from '../../identifier';
import { isConstTrueText } from '../always-true';

export const dbPolicyAlwaysTrue: LiveRule = {
  meta: liveMeta(
    'db-policy-always-true',
    'warning',
    'A permissive policy with USING (true) or WITH CHECK (true) lets its roles see or write every row.',
  ),
  check(s, ctx) {
    for (const t of s.tables) {
      if (!(t.kind === 'table' || t.kind === 'partitioned table') || !t.rls) continue;
      const name = quoteQualified(t);
      for (const p of t.policies) {
        if (!p.permissive) continue;
        const clauses = [p.using !== null && isConstTrueText(p.using) ? 'USING (true)' : '', p.withCheck !== null && isConstTrueText(p.withCheck) ? 'WITH CHECK (true)' : ''].filter(Boolean);
        if (!clauses.length) continue;
        ctx.report({
          objectKind: 'table',
          object: name,
          policy: p.name,
          message: `Policy "${p.name}" on ${name} (${p.command}, for ${p.roles.join(', ')}) has ${clauses.join(' and ')}: it lets those roles ${clauses[0].startsWith('USING') ? 'see' : 'write'} every row, as if row-level security were off.`,
        });
      }
    }
  },
};
