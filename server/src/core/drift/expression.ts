// Policy expressions compared across the two sides: the migrations' USING / WITH CHECK as
// the parser gives them, the database's as pg_get_expr deparses them and the parser reads
// back. The deparse adds what the author did not write: casts on constants and columns
// ('a'::text, (name)::text), schema-qualified functions and tables, qualified columns in
// subqueries, a name for each subquery output (SELECT auth.uid() AS uid), `= ANY (ARRAY[...])` for IN, `>= AND <=` for BETWEEN, `~~` for LIKE. Both
// sides are brought to one form that leaves those out, so only a change of meaning shows;
// a difference the form hides (a cast changed, a function moved to another schema) is
// missed rather than reported falsely.

import { parserReady, parseText } from '../sql/parser';

type Node = Record<string, any>;

/** A node with one key: its type and its fields. */
function unwrap(n: unknown): [string, Node] | undefined {
  if (!n || typeof n !== 'object' || Array.isArray(n)) return undefined;
  const keys = Object.keys(n);
  if (keys.length !== 1) return undefined;
  const v = (n as Node)[keys[0]];
  return v && typeof v === 'object' && !Array.isArray(v) ? [keys[0], v] : undefined;
}

const last = (list: unknown): unknown[] => (Array.isArray(list) && list.length ? [list[list.length - 1]] : []);

const DROPPED_FIELDS = new Set(['location', 'list_start', 'list_end', 'funcformat', 'typemod', 'inh', 'relpersistence', 'stmt_location', 'stmt_len']);

/** The canonical form of an expression AST (see the file comment). */
export function canonical(n: unknown): unknown {
  if (Array.isArray(n)) return n.map(canonical);
  if (!n || typeof n !== 'object') return n;
  const node = unwrap(n);
  if (node) {
    const [type, f] = node;
    switch (type) {
      case 'TypeCast': {
        // The deparse casts constants and columns to the type they already had.
        const arg = unwrap(f.arg)?.[0];
        if (arg === 'A_Const' || arg === 'ColumnRef' || arg === 'TypeCast') return canonical(f.arg);
        break;
      }
      case 'TypeName':
        return { TypeName: { names: last(f.names), ...(f.arrayBounds ? { arrayBounds: f.arrayBounds } : {}) } };
      case 'ColumnRef':
        return { ColumnRef: { fields: canonical(last(f.fields)) } };
      case 'FuncCall':
        return { FuncCall: canonicalFields({ ...f, funcname: last(f.funcname) }) };
      case 'RangeVar':
        return { RangeVar: { relname: f.relname, ...(f.alias ? { alias: canonical(f.alias) } : {}) } };
      case 'A_Expr': {
        const b = between(f);
        return b ? canonical(b) : { A_Expr: canonicalFields(aExpr(f)) };
      }
      case 'BoolExpr': {
        // (a AND b) AND c is a AND b AND c.
        const args = (f.args ?? []).map(canonical).flatMap((a: unknown) => {
          const inner = unwrap(a);
          return inner && inner[0] === 'BoolExpr' && inner[1].boolop === f.boolop && f.boolop !== 'NOT_EXPR' ? inner[1].args : [a];
        });
        return { BoolExpr: { boolop: f.boolop, args } };
      }
      case 'ResTarget':
        // ( SELECT auth.uid() AS uid ): the deparse names every output column of a subquery.
        return { ResTarget: canonicalFields({ ...f, name: undefined }) };
      case 'SubLink':
        // x IN (SELECT ...) is x = ANY (SELECT ...).
        if (f.subLinkType === 'ANY_SUBLINK' && !f.operName) return { SubLink: canonicalFields({ ...f, operName: [{ String: { sval: '=' } }] }) };
        break;
    }
    return { [type]: canonicalFields(f) };
  }
  return canonicalFields(n as Node);
}

function canonicalFields(f: Node): Node {
  const out: Node = {};
  for (const [k, v] of Object.entries(f)) if (!DROPPED_FIELDS.has(k) && v !== undefined) out[k] = canonical(v);
  return out;
}

/** x BETWEEN a AND b as the deparse writes it: x >= a AND x <= b (NOT: x < a OR x > b). */
function between(f: Node): Node | undefined {
  if (f.kind !== 'AEXPR_BETWEEN' && f.kind !== 'AEXPR_NOT_BETWEEN') return undefined;
  const [lo, hi] = unwrap(f.rexpr)?.[0] === 'List' ? f.rexpr.List.items : f.rexpr;
  const not = f.kind === 'AEXPR_NOT_BETWEEN';
  const cmp = (name: string, r: unknown) => ({ A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: name } }], lexpr: f.lexpr, rexpr: r } });
  return { BoolExpr: { boolop: not ? 'OR_EXPR' : 'AND_EXPR', args: [cmp(not ? '<' : '>=', lo), cmp(not ? '>' : '<=', hi)] } };
}

/** IN and LIKE as the deparse writes them. */
function aExpr(f: Node): Node {
  switch (f.kind) {
    case 'AEXPR_IN': {
      const items = unwrap(f.rexpr)?.[0] === 'List' ? f.rexpr.List.items : f.rexpr;
      const negated = f.name?.[0]?.String?.sval === '<>';
      return { kind: negated ? 'AEXPR_OP_ALL' : 'AEXPR_OP_ANY', name: f.name, lexpr: f.lexpr, rexpr: { A_ArrayExpr: { elements: items } } };
    }
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
      return { ...f, kind: 'AEXPR_OP' };
  }
  return f;
}

/** The canonical form as a string to compare. */
export function expressionKey(ast: unknown): string {
  return JSON.stringify(canonical(ast));
}

/**
 * An expression as pg_get_expr writes it, parsed: undefined when it does not parse (or the
 * parser is not loaded in this thread), which makes the comparison unknown, never a finding.
 */
export function parseExpression(text: string): unknown {
  // Never load the WASM parser just for this (the LSP main thread does without it).
  if (!parserReady()) return undefined;
  try {
    const r = parseText(`SELECT ${text}`);
    if (!r.ok) return undefined;
    return r.stmts[0]?.stmt?.SelectStmt?.targetList?.[0]?.ResTarget?.val;
  } catch {
    return undefined;
  }
}
