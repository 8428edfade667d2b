// The SQL inside a routine body, parsed: a SQL-standard body (BEGIN ATOMIC), the string
// body of a LANGUAGE sql function, and every statement, expression and cursor query of a
// PL/pgSQL body. For rules that look at what a body reads or writes; positions inside the
// body are not kept (rules place their findings by searching the statement's text).

import { SqlStmt } from './document';
import { parseText } from './parser';

/** The parsed statements of a CREATE FUNCTION/PROCEDURE or DO statement's body; empty for other languages. */
export function bodyStatements(stmt: SqlStmt): unknown[] {
  const n = stmt.node;
  const options: any[] = (stmt.type === 'DoStmt' ? n.args : n.options) ?? [];
  const defs = options.map((o: any) => o?.DefElem);
  const language = String(defs.find((d: any) => d?.defname === 'language')?.arg?.String?.sval ?? (stmt.type === 'DoStmt' ? 'plpgsql' : 'sql')).toLowerCase();
  if (n.sql_body) return [n.sql_body];
  if (language === 'sql') {
    const as = defs.find((d: any) => d?.defname === 'as');
    const body = as?.arg?.List?.items?.[0]?.String?.sval;
    return typeof body === 'string' ? parsedStatements(body) : [];
  }
  if (language !== 'plpgsql') return [];
  const pl = stmt.plpgsql();
  if (!pl.ok) return [];
  const out: unknown[] = [];
  walkQueries(pl.functions, (q) => out.push(...parsedStatements(q)));
  return out;
}

/** Every SQL text of a PL/pgSQL parse: statements, expressions, cursor queries. */
function walkQueries(node: unknown, visit: (query: string) => void): void {
  if (Array.isArray(node)) for (const x of node) walkQueries(x, visit);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k === 'query' && typeof v === 'string') visit(v);
      else walkQueries(v, visit);
    }
  }
}

/**
 * A body's or PL/pgSQL query's statements. PL/pgSQL keeps expressions (`x > 0`,
 * `(select count(*) from files)`) and assignments (`n := expr`) as bare text; those parse
 * once given a SELECT. Text that still does not parse contributes nothing.
 */
function parsedStatements(sql: string): unknown[] {
  const tries = [sql, `SELECT ${sql.replace(/^\s*[\w."$]+(?:\[[^\]]*\])?\s*:?=/, '')}`];
  for (const text of tries) {
    const o = parseText(text);
    if (o.ok) return o.stmts.map((s) => s.stmt);
  }
  return [];
}
