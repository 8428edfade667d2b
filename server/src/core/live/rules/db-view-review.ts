// db-view-review (off by default): pgrls's view checks that describe a design rather than a
// hole (VIEW002, VIEW004). A view over a table with row-level security and without
// security_barrier lets a caller's own function see rows before the view's WHERE filters
// them; a view that calls a SECURITY DEFINER function gets rows with the function owner's
// rights. Both are common in sound schemas (views that only rename columns, definer helpers
// that return the caller's own id), so the rule is a review list. The views that do bypass
// row-level security are db-view-bypasses-rls's, on by default.

import { quoteQualified } from '../../identifier';
import type { TableInfo } from '../catalog';
import { LiveRule, liveMeta } from '../rule';

const key = (schema: string, name: string) => `${schema}.${name}`;

export const dbViewReview: LiveRule = {
  meta: liveMeta(
    'db-view-review',
    'info',
    'A view over a table with row-level security without security_barrier, or a view that calls a SECURITY DEFINER function whose owner bypasses row-level security (off by default).',
    { defaultOff: true },
  ),
  check(s, ctx) {
    const details = s.rlsDetails;
    if (!details) return;
    const byName = new Map(s.tables.map((t) => [key(t.schema, t.name), t]));
    const reads = new Map((s.viewReads ?? []).map((v) => [key(v.schema, v.name), v.reads]));
    const rlsTables = s.tables.filter((t) => (t.kind === 'table' || t.kind === 'partitioned table') && t.rls);
    const roles = new Map(s.roles.map((r) => [r.name, r]));
    /** The RLS tables a role is not held to: all for a superuser or BYPASSRLS role, its own unless FORCEd. */
    const exempt = (owner: string): TableInfo[] => {
      const r = roles.get(owner);
      return r?.superuser || r?.bypassrls ? rlsTables : rlsTables.filter((t) => t.owner === owner && !t.forceRls);
    };
    for (const v of details.views) {
      const name = quoteQualified({ schema: v.schema, name: v.name });
      const view = byName.get(key(v.schema, v.name));
      const direct = (reads.get(key(v.schema, v.name)) ?? []).map((r) => byName.get(key(r.schema, r.name))).filter((t): t is TableInfo => !!t && t.rls && (t.kind === 'table' || t.kind === 'partitioned table'));
      if (view?.kind === 'view' && !v.securityBarrier && direct.length) {
        ctx.report({
          objectKind: 'table',
          object: name,
          message: `View ${name} reads ${direct.map(quoteQualified).join(', ')} (row-level security on) without security_barrier: a caller's own function in a query on the view may run before the view's WHERE filters rows, and see the rows it filters out. If the view's WHERE hides rows for security, ALTER VIEW ${name} SET (security_barrier = true) (pgrls VIEW002).`,
        });
      }
      for (const f of v.definerCalls) {
        const bypassed = exempt(f.owner);
        if (!bypassed.length) continue;
        const named = bypassed.slice(0, 3).map(quoteQualified).join(', ') + (bypassed.length > 3 ? ` and ${bypassed.length - 3} more` : '');
        ctx.report({
          objectKind: 'table',
          object: name,
          message: `View ${name} calls ${f.signature}, a SECURITY DEFINER function owned by "${f.owner}", who is not held to row-level security on ${named}: what the function reads there, it reads for every caller of the view. Check its body, or make it SECURITY INVOKER (pgrls VIEW004).`,
        });
      }
    }
  },
};
