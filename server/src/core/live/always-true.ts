// Whether a policy expression is constant true: the one judgement behind the SQL rule
// policy-always-true (over the statement's parse tree) and the live db-policy-always-true
// (over the catalog's pg_get_expr text, parsed the same way). Constants are folded, so
// `true`, `'t'::boolean`, `true AND true`, `NOT false` and `1 = 1` all count.

import { stringList } from '../sql/ast';
import { parseText } from '../sql/parser';

const TRUE_TEXT = new Set(['t', 'tr', 'tru', 'true', 'y', 'ye', 'yes', 'on', '1']);
const FALSE_TEXT = new Set(['f', 'fa', 'fal', 'fals', 'false', 'n', 'no', 'of', 'off', '0']);

/** Whether a parsed expression is constant true. */
export function isConstTrue(e: any): boolean {
  return constBool(e) === true;
}

/** The value of a constant boolean expression, or undefined when it is not one. */
export function constBool(e: any): boolean | undefined {
  if (e?.A_Const?.boolval) return e.A_Const.boolval.boolval === true;
  const cast = e?.TypeCast;
  if (cast) {
    const type = stringList(cast.typeName?.names);
    if (type.length === 0 || !['bool', 'boolean'].includes(type[type.length - 1])) return undefined;
    if (type.length === 2 && type[0] !== 'pg_catalog') return undefined;
    if (cast.arg?.A_Const?.sval) {
      const s = String(cast.arg.A_Const.sval.sval ?? '').trim().toLowerCase();
      return TRUE_TEXT.has(s) ? true : FALSE_TEXT.has(s) ? false : undefined;
    }
    return constBool(cast.arg);
  }
  const b = e?.BoolExpr;
  if (b) {
    const args: Array<boolean | undefined> = (b.args ?? []).map(constBool);
    if (b.boolop === 'NOT_EXPR') return args[0] === undefined ? undefined : !args[0];
    if (b.boolop === 'AND_EXPR') return args.includes(false) ? false : args.every((a) => a === true) ? true : undefined;
    if (b.boolop === 'OR_EXPR') return args.includes(true) ? true : args.every((a) => a === false) ? false : undefined;
  }
  const a = e?.A_Expr;
  if (a?.kind === 'AEXPR_OP' && stringList(a.name).join('.') === '=') {
    const l = literal(a.lexpr);
    const r = literal(a.rexpr);
    if (l !== undefined && l === r) return true;
  }
  return undefined;
}

/** A number or string literal as comparable text, for `1 = 1` and `'a' = 'a'`; a cast to text keeps it. */
function literal(e: any): string | undefined {
  const cast = e?.TypeCast;
  // pg_get_expr writes string constants with their type: `'a'::text = 'a'::text`.
  if (cast) {
    const t = literal(cast.arg);
    return t === undefined ? undefined : `${t}::${stringList(cast.typeName?.names).join('.')}`;
  }
  const c = e?.A_Const;
  if (!c || c.isnull) return undefined;
  if (c.ival) return `i${c.ival.ival ?? 0}`;
  if (c.fval) return `f${c.fval.fval}`;
  if (c.sval) return `s${c.sval.sval ?? ''}`;
  return undefined;
}

/**
 * Whether an expression as the catalog prints it (pg_get_expr, e.g. `(1 = 1)`) is
 * constant true. Needs the parser loaded (core/sql/parser loadParser).
 */
export function isConstTrueText(expr: string): boolean {
  const e = parseExprText(expr);
  return e !== undefined && isConstTrue(e);
}

/**
 * The catalog's text of an expression (pg_get_expr), parsed: only parsed, never run.
 * Text that is not exactly one expression gives undefined.
 */
export function parseExprText(expr: string | null | undefined): unknown {
  if (expr === null || expr === undefined) return undefined;
  const parsed = parseText(`SELECT (${expr}\n)`);
  if (!parsed.ok || parsed.stmts.length !== 1) return undefined;
  const select = parsed.stmts[0].stmt?.SelectStmt;
  const targets = select?.targetList;
  if (!select || !Array.isArray(targets) || targets.length !== 1 || select.fromClause || select.whereClause) return undefined;
  return targets[0]?.ResTarget?.val;
}
