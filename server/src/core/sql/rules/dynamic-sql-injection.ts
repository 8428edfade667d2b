// dynamic-sql-injection: PL/pgSQL that builds a dynamic query by concatenating a
// parameter or variable into the SQL text (EXECUTE, RETURN QUERY EXECUTE, FOR ... IN
// EXECUTE, OPEN ... FOR EXECUTE). A value holding a quote or a semicolon then changes the
// statement; in a SECURITY DEFINER function it runs with the owner's rights. Values must
// go through quote_ident/quote_literal/quote_nullable, format's %I/%L, or USING.

import { fix, replace } from '../../fix';
import { Finding } from '../../rules';
import { stringList, walk } from '../ast';
import { SqlStmt } from '../document';
import { maskCode } from '../mask';
import { parseText } from '../parser';
import { SqlRule, SqlRuleContext } from '../rule';

export const dynamicSqlInjection: SqlRule = {
  meta: {
    id: 'dynamic-sql-injection',
    language: 'sql',
    defaultSeverity: 'warning',
    description:
      'PL/pgSQL EXECUTE of a query string concatenated from a parameter or variable that is not passed through quote_ident, quote_literal, quote_nullable or format\'s %I/%L.',
    fixable: true,
  },
  types: ['CreateFunctionStmt', 'DoStmt'],
  check(stmt, ctx) {
    const n = stmt.node;
    const options: any[] = (stmt.type === 'DoStmt' ? n.args : n.options) ?? [];
    const language = options.map((o) => o?.DefElem).find((d) => d?.defname === 'language')?.arg?.String?.sval;
    if (stmt.type === 'DoStmt' ? language !== undefined && language.toLowerCase() !== 'plpgsql' : language?.toLowerCase() !== 'plpgsql')
      return [];
    const as = options.map((o) => o?.DefElem).find((d) => d?.defname === 'as');
    if (!as) return [];
    // Every dynamic statement form spells out the keyword EXECUTE, so a body (decoded by
    // the parser, escapes and all) without the word holds none: skip its PL/pgSQL parse,
    // which most functions would otherwise pay for nothing.
    const source = as.arg?.List?.items?.[0]?.String?.sval ?? as.arg?.String?.sval;
    if (typeof source === 'string' && !/execute/i.test(source)) return [];
    const parsed = stmt.plpgsql();
    if (!parsed.ok) return [];
    const fn = parsed.functions[0]?.PLpgSQL_function;
    if (!fn) return [];

    const vars = new Variables(fn.datums ?? [], stmt.type === 'CreateFunctionStmt' ? inputTypes(n.parameters) : []);
    vars.taintAssignments(fn);
    const body = locateBody(stmt, as);
    const findings: Finding[] = [];
    for (const dyn of dynamicQueries(fn.action)) {
      const expr = parseExpression(dyn.query);
      if (!expr) continue;
      const tainted = [...new Set(vars.taint(expr, false))];
      if (tainted.length === 0) continue;
      findings.push(report(stmt, ctx, body, dyn, expr, tainted, vars));
    }
    return findings.sort((a, b) => a.start - b.start);
  },
};

interface DynamicQuery {
  /** The query expression's text, as the PL/pgSQL parser returns it. */
  query: string;
  /** 1-based line within the body. */
  lineno: number;
  /** How the statement starts, for the message. */
  kind: string;
}

/** Every dynamic query in a function body, nested blocks, loops and branches included. */
function dynamicQueries(action: any): DynamicQuery[] {
  const out: DynamicQuery[] = [];
  walk(action, (type, v) => {
    const q = (e: any) => e?.PLpgSQL_expr?.query;
    if (type === 'PLpgSQL_stmt_dynexecute' && q(v.query)) out.push({ query: q(v.query), lineno: v.lineno ?? 1, kind: 'EXECUTE' });
    else if (type === 'PLpgSQL_stmt_dynfors' && q(v.query)) out.push({ query: q(v.query), lineno: v.lineno ?? 1, kind: 'FOR ... IN EXECUTE' });
    else if (type === 'PLpgSQL_stmt_return_query' && q(v.dynquery))
      out.push({ query: q(v.dynquery), lineno: v.lineno ?? 1, kind: 'RETURN QUERY EXECUTE' });
    else if (type === 'PLpgSQL_stmt_open' && q(v.dynquery)) out.push({ query: q(v.dynquery), lineno: v.lineno ?? 1, kind: 'OPEN ... FOR EXECUTE' });
  });
  return out;
}

/** An expression's AST, parsed as the target of a SELECT; undefined when it does not parse. */
function parseExpression(text: string): any {
  const r = parseText(`SELECT ${text}`);
  if (!r.ok || r.stmts.length !== 1) return undefined;
  const target = r.stmts[0].stmt?.SelectStmt?.targetList;
  if (!Array.isArray(target) || target.length !== 1) return undefined;
  return target[0]?.ResTarget?.val;
}

/**
 * Types whose text form cannot carry a quote or a keyword: numbers, booleans, dates,
 * UUIDs, OIDs, network addresses and reg* types (whose output quotes identifiers itself).
 * Both the parser's internal names and format_type's names are listed.
 */
const SAFE_TYPES = new Set([
  'int', 'int2', 'int4', 'int8', 'integer', 'smallint', 'bigint', 'numeric', 'decimal', 'real', 'float4', 'float8',
  'double precision', 'boolean', 'bool', 'uuid', 'date', 'time', 'timetz', 'timestamp', 'timestamptz', 'interval',
  'time without time zone', 'time with time zone', 'timestamp without time zone', 'timestamp with time zone', 'oid',
  'regclass', 'regproc', 'regprocedure', 'regtype', 'regnamespace', 'regrole', 'regoper', 'regoperator', 'regconfig',
  'regdictionary', 'inet', 'cidr', 'macaddr', 'macaddr8', 'money', 'xid',
]);

function safeType(typname: string | undefined): boolean {
  if (!typname) return false;
  const base = typname.replace(/\[\]$/g, '').replace(/\(.*\)$/, '').replace(/^pg_catalog\./, '').trim().toLowerCase();
  return SAFE_TYPES.has(base);
}

/** The types of a function's input parameters, in order, for `$n` references. */
function inputTypes(parameters: any[] | undefined): string[] {
  return (parameters ?? [])
    .map((p: any) => p?.FunctionParameter)
    .filter((fp: any) => fp && fp.mode !== 'FUNC_PARAM_OUT' && fp.mode !== 'FUNC_PARAM_TABLE')
    .map((fp: any) => stringList(fp.argType?.names).pop() ?? '');
}

/** Trigger variables the server sets to one of a few keywords (INSERT, BEFORE, ROW...). */
const SERVER_KEYWORDS = new Set(['tg_op', 'tg_when', 'tg_level']);

const QUOTING = new Set(['quote_ident', 'quote_literal', 'quote_nullable']);
/** Functions whose text result carries their arguments' text unchanged or recased. */
const PASS_THROUGH = new Set([
  'lower', 'upper', 'initcap', 'trim', 'btrim', 'ltrim', 'rtrim', 'replace', 'substr', 'substring', 'left', 'right',
  'lpad', 'rpad', 'repeat', 'translate', 'regexp_replace', 'array_to_string', 'string_agg', 'coalesce', 'nullif',
]);
const CONCATENATING = new Set(['concat', 'concat_ws']);

/** The function's variables and which of them are built by unsafe concatenation. */
class Variables {
  private readonly types = new Map<string, string>();
  private readonly records = new Set<string>();
  /** Variables assigned a concatenation that carries another tainted value, with those values. */
  readonly built = new Map<string, string[]>();
  /**
   * Declared variables only ever given constants (`dir text := 'ASC'`, `dir := 'DESC'`),
   * never read into by SELECT/FETCH/EXECUTE INTO, a loop or GET DIAGNOSTICS: their text
   * is chosen by the function, not by a caller.
   */
  private readonly constantOnly = new Set<string>();

  constructor(
    private readonly datums: any[],
    private readonly params: string[],
  ) {
    for (const d of datums) {
      const v = d?.PLpgSQL_var;
      if (v?.refname) this.types.set(v.refname, v.datatype?.PLpgSQL_type?.typname ?? '');
      const r = d?.PLpgSQL_rec ?? d?.PLpgSQL_row;
      if (r?.refname) this.records.add(r.refname);
    }
  }

  /**
   * Marks the variables assigned (or initialised with) an unsafe concatenation. Repeated
   * until nothing changes, so `q := q || x` after `x := 'a' || p` is seen whatever the order.
   */
  taintAssignments(fn: any): void {
    const assigns: Array<{ name: string; expr: any }> = [];
    const writtenOtherwise = new Set<string>();
    const nameOf = (varno: unknown) => (typeof varno === 'number' ? this.datums[varno]?.PLpgSQL_var?.refname : undefined);
    for (const d of this.datums) {
      const v = d?.PLpgSQL_var;
      const init = v?.default_val?.PLpgSQL_expr?.query;
      if (v?.refname && init) {
        const e = parseExpression(init);
        if (e) assigns.push({ name: v.refname, expr: e });
        else writtenOtherwise.add(v.refname);
      }
    }
    walk(fn.action, (type, v) => {
      if (type === 'PLpgSQL_stmt_assign') {
        const target = nameOf(v.varno ?? 0);
        const text: string | undefined = v.expr?.PLpgSQL_expr?.query;
        const m = text ? /^[^:=]*?(:=|=)/.exec(text) : null;
        const e = text && m ? parseExpression(text.slice(m[0].length)) : undefined;
        if (target && e) assigns.push({ name: target, expr: e });
        else if (target) writtenOtherwise.add(target);
        return;
      }
      // Every other way a statement writes a variable: INTO targets, loop variables,
      // GET DIAGNOSTICS items, FOREACH.
      if (type === 'PLpgSQL_row') for (const f of v.fields ?? []) if (typeof f?.name === 'string') writtenOtherwise.add(f.name);
      if (type === 'PLpgSQL_var' && typeof v.refname === 'string') writtenOtherwise.add(v.refname);
      if (type === 'PLpgSQL_diag_item') {
        const t = nameOf(v.target ?? 0);
        if (t) writtenOtherwise.add(t);
      }
      if (type === 'PLpgSQL_stmt_foreach_a') {
        const t = nameOf(v.varno ?? 0);
        if (t) writtenOtherwise.add(t);
      }
    });
    for (const d of this.datums) {
      const v = d?.PLpgSQL_var;
      // Parameters carry no lineno; only declared variables can be constant-only.
      if (!v?.refname || v.lineno === undefined || writtenOtherwise.has(v.refname)) continue;
      if (assigns.every((a) => a.name !== v.refname || isConstant(a.expr))) this.constantOnly.add(v.refname);
    }
    for (let changed = true; changed; ) {
      changed = false;
      for (const a of assigns) {
        const t = this.taint(a.expr, false).filter((x) => x !== a.name);
        const had = this.built.get(a.name) ?? [];
        const merged = [...new Set([...had, ...t])];
        if (merged.length > had.length) {
          this.built.set(a.name, merged);
          changed = true;
        }
      }
    }
  }

  /**
   * The unsafe values an expression splices into SQL text: parameters and variables of a
   * type that can hold quotes, reached through `||`, concat() or format's %s, and not
   * wrapped in a quoting function. `concatenated` is true below a concatenation.
   */
  taint(e: any, concatenated: boolean): string[] {
    if (!e || typeof e !== 'object') return [];
    if (e.ColumnRef) return this.reference(stringList(e.ColumnRef.fields), concatenated);
    if (e.ParamRef) {
      const k = e.ParamRef.number ?? 0;
      const name = `$${k}`;
      if (this.built.has(name)) return [name];
      return concatenated && !safeType(this.params[k - 1] ?? this.types.get(name)) ? [name] : [];
    }
    if (e.TypeCast) {
      const target = stringList(e.TypeCast.typeName?.names).pop();
      return safeType(target) && !(e.TypeCast.typeName?.arrayBounds ?? []).length ? [] : this.taint(e.TypeCast.arg, concatenated);
    }
    if (e.A_Expr) {
      const a = e.A_Expr;
      if (a.kind === 'AEXPR_OP' && stringList(a.name).join('.') === '||')
        return [...this.taint(a.lexpr, true), ...this.taint(a.rexpr, true)];
      if (a.kind === 'AEXPR_NULLIF') return this.taint(a.lexpr, concatenated);
      return [];
    }
    if (e.FuncCall) {
      const f = e.FuncCall;
      const name = (stringList(f.funcname).pop() ?? '').toLowerCase();
      const args: any[] = f.args ?? [];
      if (QUOTING.has(name)) return [];
      if (name === 'format') return this.formatTaint(args);
      if (CONCATENATING.has(name)) return args.flatMap((x) => this.taint(x, true));
      if (PASS_THROUGH.has(name)) return args.flatMap((x) => this.taint(x, concatenated));
      return [];
    }
    if (e.CoalesceExpr) return (e.CoalesceExpr.args ?? []).flatMap((x: any) => this.taint(x, concatenated));
    if (e.CaseExpr) {
      const c = e.CaseExpr;
      return [...(c.args ?? []).flatMap((w: any) => this.taint(w?.CaseWhen?.result, concatenated)), ...this.taint(c.defresult, concatenated)];
    }
    return [];
  }

  private reference(fields: string[], concatenated: boolean): string[] {
    if (fields.length === 0) return [];
    const name = fields.join('.');
    const last = fields[fields.length - 1];
    if (fields.length === 1 && this.built.has(last)) return [last];
    if (!concatenated) return [];
    // A record's field, or a parameter qualified by the function's name.
    if (fields.length > 1) {
      if (this.records.has(fields[0])) return [name];
      return this.types.has(last) && !safeType(this.types.get(last)) ? [name] : [];
    }
    if (this.records.has(last)) return [name];
    if (this.constantOnly.has(last) || SERVER_KEYWORDS.has(last)) return [];
    return this.types.has(last) && !safeType(this.types.get(last)) ? [name] : [];
  }

  /** format(): %s splices its argument as is; %I and %L quote it. */
  private formatTaint(args: any[]): string[] {
    // The format string may carry a cast (`$$...$$::text`).
    let f0 = args[0];
    while (f0?.TypeCast) f0 = f0.TypeCast.arg;
    const fmt = f0?.A_Const?.sval?.sval;
    if (typeof fmt !== 'string') return args.slice(1).flatMap((x) => this.taint(x, true));
    const out: string[] = [];
    let next = 1;
    const re = /%(?:(\d+)\$)?(-)?(\*(?:\d+\$)?|\d+)?([sIL%])/g;
    for (let m = re.exec(fmt); m; m = re.exec(fmt)) {
      if (m[4] === '%') continue;
      if (m[3]?.startsWith('*')) {
        const star = /^\*(\d+)\$$/.exec(m[3]);
        next = star ? Number(star[1]) + 1 : next + 1;
      }
      const pos = m[1] ? Number(m[1]) : next;
      next = pos + 1;
      if (m[4] === 's') out.push(...this.taint(args[pos], true));
    }
    return out;
  }
}

/** A constant: a literal, a cast of one, or a CASE choosing between constants. */
function isConstant(e: any): boolean {
  if (e?.A_Const) return true;
  if (e?.TypeCast) return isConstant(e.TypeCast.arg);
  if (e?.CaseExpr) {
    const c = e.CaseExpr;
    return (c.args ?? []).every((w: any) => isConstant(w?.CaseWhen?.result)) && (c.defresult === undefined || isConstant(c.defresult));
  }
  return false;
}

interface Body {
  /** Document offset of the body's first character (after the opening quote). */
  start: number;
  end: number;
  /** Whether the document text of the body equals the string the parser saw (dollar quotes). */
  verbatim: boolean;
}

/** Where the function body's string starts and ends in the document. */
function locateBody(stmt: SqlStmt, as: any): Body | undefined {
  const base = stmt.unit.start;
  const text = stmt.unit.parseText;
  let i = stmt.offset(as.location) - base;
  const m = /^(?:AS\s+)?/i.exec(text.slice(i));
  i += m ? m[0].length : 0;
  const code = stmt.masked;
  const dollar = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
  if (dollar) {
    const close = text.indexOf(dollar[0], i + dollar[0].length);
    return { start: base + i + dollar[0].length, end: base + (close < 0 ? text.length : close), verbatim: true };
  }
  const q = text[i] === "'" ? i : /^[Ee]'/.test(text.slice(i, i + 2)) ? i + 1 : -1;
  if (q < 0) return undefined;
  // The masked text keeps the closing quote in place.
  const close = code.indexOf("'", q + 1);
  return { start: base + q + 1, end: base + (close < 0 ? text.length : close), verbatim: false };
}

function report(stmt: SqlStmt, ctx: SqlRuleContext, body: Body | undefined, dyn: DynamicQuery, expr: any, tainted: string[], vars: Variables): Finding {
  const doc = ctx.doc.text;
  const names = tainted.map((t) => (vars.built.has(t) ? `${t} (built from ${vars.built.get(t)!.join(', ')})` : t)).join(', ');
  const message = `${dyn.kind} runs SQL text built from ${names} without quoting: a value holding a quote or a semicolon changes the statement. Quote identifiers with format('%I') or quote_ident(), and pass values with USING or format('%L').`;
  let start = stmt.start;
  let end = stmt.start;
  let exact = false;
  if (body) {
    // lineno counts the body's lines from 1, the line of the opening quote.
    let lineStart = body.start;
    for (let k = 1; k < dyn.lineno; k++) {
      const nl = doc.indexOf('\n', lineStart);
      if (nl < 0 || nl >= body.end) break;
      lineStart = nl + 1;
    }
    const at = body.verbatim ? doc.indexOf(dyn.query, lineStart) : -1;
    if (at >= 0 && at + dyn.query.length <= body.end) {
      // The parser's text runs up to the `;` or keyword after it, blanks included.
      start = at;
      end = at + dyn.query.trimEnd().length;
      exact = true;
    } else {
      // Not found verbatim (a single-quoted body doubles its quotes): mark the line.
      let lineEnd = doc.indexOf('\n', lineStart);
      if (lineEnd < 0 || lineEnd > body.end) lineEnd = body.end;
      start = lineStart;
      while (start < lineEnd && /\s/.test(doc[start])) start++;
      end = lineEnd;
      while (end > start && /\s/.test(doc[end - 1])) end--;
    }
  }
  const finding: Finding = { ruleId: 'dynamic-sql-injection', start, end, message };
  const rewritten = exact ? formatRewrite(dyn.query.trimEnd(), expr, vars) : undefined;
  if (rewritten) finding.fixes = [fix('Rewrite with format() and %I/%L', [replace(start, end, rewritten)], true)];
  return finding;
}

/** The top-level `||` operands of an expression's text, trimmed. */
function concatOperands(text: string): string[] {
  const code = maskCode(text);
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && c === '|' && code[i + 1] === '|') {
      parts.push(text.slice(from, i).trim());
      from = i + 2;
      i++;
    }
  }
  parts.push(text.slice(from).trim());
  return parts;
}

/** The operands of a `||` chain, left to right. */
function flattenConcat(e: any): any[] {
  const out: any[] = [];
  const stack = [e];
  while (stack.length > 0) {
    const cur = stack.pop();
    const a = cur?.A_Expr;
    if (a?.kind === 'AEXPR_OP' && stringList(a.name).join('.') === '||') stack.push(a.rexpr, a.lexpr);
    else out.push(cur);
  }
  return out;
}

/** Words after which a spliced value is an identifier (a table, column or schema name). */
const IDENTIFIER_BEFORE =
  /(\b(from|join|into|update|table|index|view|schema|sequence|function|trigger|on|truncate|only|to|by|select|as|analyze|vacuum|reindex|cluster|exists|column|role|user|database|type|domain|references)|[.,(])\s*$/i;

/**
 * `'select * from ' || tbl || ' where id = ''' || id || ''''` ->
 * `format('select * from %I where id = %L', tbl, id)`. Returns undefined for anything but
 * a plain `||` chain of string constants and operands.
 */
function formatRewrite(query: string, expr: any, vars: Variables): string | undefined {
  const operands = concatOperands(query);
  const nodes = flattenConcat(expr);
  // The operands' text comes from splitting the source at its top-level `||`, their kind
  // from the parsed chain; a parenthesised sub-chain makes the two disagree, and then no
  // rewrite is offered.
  if (operands.length < 2 || operands.length !== nodes.length) return undefined;
  type Piece = { kind: 'text'; value: string } | { kind: 'arg'; text: string; unsafe: boolean };
  const pieces: Piece[] = [];
  for (let k = 0; k < operands.length; k++) {
    const op = operands[k];
    const e = nodes[k];
    // `|| p` parses as a prefix operator with no left operand: no rewrite for that.
    if (!e) return undefined;
    if (e.A_Const?.sval) pieces.push({ kind: 'text', value: e.A_Const.sval.sval ?? '' });
    else if (e.A_Const && !e.A_Const.isnull && !e.A_Const.boolval) pieces.push({ kind: 'text', value: op });
    else pieces.push({ kind: 'arg', text: op, unsafe: vars.taint(e, true).length > 0 });
  }
  let fmt = '';
  const args: string[] = [];
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k];
    if (p.kind === 'text') {
      fmt += p.value.replace(/%/g, '%%');
      continue;
    }
    args.push(p.text);
    if (!p.unsafe) {
      fmt += '%s';
      continue;
    }
    const next = pieces[k + 1];
    if (fmt.endsWith("'") && next?.kind === 'text' && next.value.startsWith("'")) {
      // The value sat between quotes: %L supplies them, escaped.
      fmt = fmt.slice(0, -1) + '%L';
      next.value = next.value.slice(1);
    } else fmt += IDENTIFIER_BEFORE.test(fmt) ? '%I' : '%L';
  }
  return `format('${fmt.replace(/'/g, "''")}', ${args.join(', ')})`;
}
