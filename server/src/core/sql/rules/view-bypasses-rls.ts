// view-bypasses-rls: a view that reads a table with row-level security but runs with its
// owner's rights. A view checks the tables it reads as its owner, so the policies see
// the owner (usually exempt from them) instead of the user querying the view, and every
// row comes back. security_invoker (PostgreSQL 15+) makes the view check as the caller.

import { fix, insert, replace } from '../../fix';
import { Finding, TextEdit } from '../../rules';
import { formatName, QualifiedName, rangeVarName, walk } from '../ast';
import { SqlStmt } from '../document';
import { fileKind } from '../file-kind';
import { securityInvoker } from '../facts';
import { qualifiedNameEnd } from '../quote';
import { SqlRule, SqlRuleContext } from '../rule';

export const viewBypassesRls: SqlRule = {
  meta: {
    id: 'view-bypasses-rls',
    language: 'sql',
    defaultSeverity: 'warning',
    description:
      'A view without security_invoker = true (or a materialized view) reads a table that has row-level security, so it returns rows as its owner sees them, bypassing the policies.',
    fixable: true,
  },
  types: ['ViewStmt', 'CreateTableAsStmt'],
  check(stmt, ctx) {
    const n = stmt.node;
    const materialized = stmt.type === 'CreateTableAsStmt';
    if (materialized && n.objtype !== 'OBJECT_MATVIEW') return [];
    const rel = materialized ? n.into?.rel : n.view;
    const view = rangeVarName(rel);
    // Test scripts (pg_regress files each in their own rolled-back transaction) share
    // table names with each other; their views describe no deployed schema.
    if (!view || fileKind(ctx.doc).test) return [];
    if (!materialized && (securityInvoker(n.options) || ctx.workspace.viewSecurityInvoker(view))) return [];
    const protectedTables = rlsTablesRead(n.query, ctx);
    if (protectedTables.length === 0) return [];

    const nameStart = stmt.offset(rel.location);
    const nameEnd = stmt.unit.start + qualifiedNameEnd(stmt.unit.parseText, nameStart - stmt.unit.start);
    const tables = protectedTables.map(formatName).join(', ');
    const has = protectedTables.length > 1 ? 'which have' : 'which has';
    const finding: Finding = { ruleId: 'view-bypasses-rls', start: nameStart, end: nameEnd, message: '' };
    if (materialized) {
      finding.message = `Materialized view ${formatName(view)} stores the rows of ${tables} as its owner saw them at the last refresh, so row-level security does not apply to its readers. Grant it only to roles allowed to see every row, or use a view WITH (security_invoker = true).`;
    } else if (ctx.config.postgresVersion < 15) {
      finding.message = `View ${formatName(view)} reads ${tables}, ${has} row-level security, with its owner's rights: its users see every row the owner sees. security_invoker needs PostgreSQL 15; on ${ctx.config.postgresVersion}, use a SECURITY INVOKER function that returns the rows (set-returning, called by the user) or repeat the policy's condition in a security_barrier view.`;
    } else {
      finding.message = `View ${formatName(view)} reads ${tables}, ${has} row-level security, with its owner's rights: its users see every row the owner sees. Create it WITH (security_invoker = true).`;
      const edit = invokerEdit(stmt, n.options, nameEnd);
      if (edit) finding.fixes = [fix(`Add security_invoker = true to ${formatName(view)}`, [edit], {
          consequence: "queries through the view then run with the caller's privileges and policies, so callers see fewer rows or get permission denied",
        })];
    }
    return [finding];
  },
};

/** The tables with RLS in the workspace that a query reads, CTE names excluded. */
function rlsTablesRead(query: any, ctx: SqlRuleContext): QualifiedName[] {
  const ctes = new Set<string>();
  const read: Array<QualifiedName & { at: number }> = [];
  walk(query, (type, value) => {
    if (type === 'CommonTableExpr' && typeof value.ctename === 'string') ctes.add(value.ctename);
    else if (type === 'RangeVar') {
      const q = rangeVarName(value);
      if (q) read.push({ ...q, at: value.location ?? 0 });
    }
  });
  // In the order they appear in the query, for a message that reads like the SQL.
  read.sort((a, b) => a.at - b.at);
  const out: QualifiedName[] = [];
  for (const { at: _at, ...q } of read) {
    if (!q.schema && ctes.has(q.name)) continue;
    if (!ctx.workspace.rlsEnabled(q)) continue;
    if (!out.some((o) => o.name === q.name && o.schema === q.schema)) out.push(q);
  }
  return out;
}

/**
 * The edit that turns security_invoker on: its value replaced when the option is there,
 * the option added to an existing WITH (...) list, or a WITH clause after the view's
 * name and column list.
 */
function invokerEdit(stmt: SqlStmt, options: any[] | undefined, nameEnd: number): TextEdit | undefined {
  const base = stmt.unit.start;
  const code = stmt.masked;
  const existing = (options ?? []).map((o: any) => o?.DefElem).find((d: any) => d?.defname === 'security_invoker');
  if (existing) {
    const at = stmt.offset(existing.location);
    const m = /^security_invoker(\s*=\s*('[^']*'|[^\s,)]+))?/i.exec(code.slice(at - base));
    if (!m) return undefined;
    return replace(at, at + m[0].length, 'security_invoker = true');
  }
  if ((options ?? []).length > 0) {
    const w = stmt.find(/\bWITH\s*\(/i, nameEnd);
    return w ? insert(w.end, 'security_invoker = true, ') : undefined;
  }
  // After the name comes an optional column list, then AS.
  let i = nameEnd - base;
  while (i < code.length && /\s/.test(code[i])) i++;
  if (code[i] === '(') {
    let depth = 0;
    for (; i < code.length; i++) {
      if (code[i] === '(') depth++;
      else if (code[i] === ')' && --depth === 0) break;
    }
    return i < code.length ? insert(base + i + 1, ' WITH (security_invoker = true)') : undefined;
  }
  return insert(nameEnd, ' WITH (security_invoker = true)');
}
