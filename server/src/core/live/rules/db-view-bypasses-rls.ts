// db-view-bypasses-rls: a view without security_invoker, or a materialized view, that reads
// a table with row-level security and is granted to other roles. The view reads as its
// owner, so those roles get the rows the owner sees, not their own (the SQL rule
// view-bypasses-rls, splinter's security_definer_view and materialized_view_in_api, pgrls
// VIEW001 and VIEW003). A view only its owner may read bypasses nothing.

import type { TableInfo } from '../catalog';
import { LiveRule, liveMeta } from '../rule';
import { quoteQualified } from '../../identifier';
import { rlsRelevantGrantees } from '../rls';

const key = (schema: string, name: string) => `${schema}.${name}`;

/**
 * The RLS tables a view reads with its owner's rights: directly, or through views with
 * security_invoker (which read as their caller: here, the outer view's owner).
 */
function rlsTablesRead(view: string, byName: Map<string, TableInfo>, reads: Map<string, Array<{ schema: string; name: string }>>): TableInfo[] {
  const out = new Map<string, TableInfo>();
  const seen = new Set<string>([view]);
  const stack = [...(reads.get(view) ?? [])];
  while (stack.length) {
    const r = stack.pop()!;
    const k = key(r.schema, r.name);
    if (seen.has(k)) continue;
    seen.add(k);
    const t = byName.get(k);
    if (!t) continue;
    if ((t.kind === 'table' || t.kind === 'partitioned table') && t.rls) out.set(k, t);
    else if (t.kind === 'view' && t.securityInvoker) stack.push(...(reads.get(k) ?? []));
  }
  return [...out.values()].sort((a, b) => (key(a.schema, a.name) < key(b.schema, b.name) ? -1 : 1));
}

export const dbViewBypassesRls: LiveRule = {
  meta: liveMeta(
    'db-view-bypasses-rls',
    'warning',
    'A view without security_invoker (or a materialized view) reads a table with row-level security and is granted to other roles, who get the rows its owner sees.',
  ),
  check(s, ctx) {
    if (!s.viewReads?.length) return;
    const byName = new Map(s.tables.map((t) => [key(t.schema, t.name), t]));
    const reads = new Map(s.viewReads.map((v) => [key(v.schema, v.name), v.reads]));
    for (const t of s.tables) {
      const materialized = t.kind === 'materialized view';
      if (!(materialized || (t.kind === 'view' && !t.securityInvoker))) continue;
      const grantees = rlsRelevantGrantees(t).filter((g) => g !== t.owner);
      if (!grantees.length) continue;
      const tables = rlsTablesRead(key(t.schema, t.name), byName, reads);
      if (!tables.length) continue;
      const name = quoteQualified(t);
      const who = grantees.map((g) => (g === 'PUBLIC' ? 'PUBLIC' : `"${g}"`)).join(', ');
      const read = tables.map(quoteQualified).join(', ');
      ctx.report({
        objectKind: 'table',
        object: name,
        message: materialized
          ? `Materialized view ${name} holds the rows of ${read} as its owner "${t.owner}" saw them, and ${who} may read it: row-level security does not apply to them. Revoke their SELECT, or use a view WITH (security_invoker = true).`
          : `View ${name} reads ${read}, which ${tables.length > 1 ? 'have' : 'has'} row-level security, with the rights of its owner "${t.owner}", and ${who} may read it: they get the owner's rows, not their own. ALTER VIEW ${name} SET (security_invoker = true).`,
      });
    }
  },
};
