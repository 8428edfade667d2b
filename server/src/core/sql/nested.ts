// SQL nested in other SQL: the statements of DO blocks and of routine bodies (LANGUAGE sql
// and plpgsql), and the statements an EXECUTE runs when its string is a constant (a
// literal, a concatenation of literals, or format() with a constant format string and
// constant arguments). Each becomes a unit with its own parse and with, for every
// character, where it stands in the enclosing statement's text, so rules run on it and
// report inside the body. An EXECUTE of a string built at run time is reported as unknown.

import { ByteMap } from '../text';
import { ParseOutcome, parseText, PlpgsqlOutcome, RawStmt } from './parser';
import { concatMapped, decodeLiteral, isVerbatim, locateInBody, MappedText, pinned, plpgsqlStatements, routineBody, routineLanguage, sliceMapped, sourceOf } from './plpgsql';
import { quoteIdent } from './quote';

export interface NestedUnit {
  /** The nested statement's text, mapped to offsets in the enclosing statement's parse text. */
  text: MappedText;
  /** The statement's parse (one statement). */
  raw: RawStmt;
  type: string;
  /** 'do' for a DO block, which runs where it stands; 'routine' for a body, which runs only when called. */
  origin: 'do' | 'routine';
  /** Built by EXECUTE from a string: its text is not the document's, so no fix may edit it. */
  execute: boolean;
  /** Offset of the `;` after the statement in the enclosing parse text, or -1. */
  semicolon: number;
  /** Whether the text equals the enclosing text at its place, character for character. */
  verbatim: boolean;
}

export interface NestedResult {
  units: NestedUnit[];
  /** EXECUTEs whose string the files do not give (offsets in the enclosing parse text). */
  unknowns: Array<{ start: number; end: number; origin: 'do' | 'routine' }>;
}

const NONE: NestedResult = { units: [], unknowns: [] };

/**
 * Bodies worth a parse: those that may hold a statement a rule or the model reads (DDL,
 * privileges, roles, COPY, EXECUTE, a statement-level SET, set_config, or a literal that
 * looks like a credential). A body of queries and assignments alone is skipped, which
 * keeps the cost of nested SQL off the common trigger and accessor functions.
 */
const INTERESTING =
  /\b(?:grant|revoke|create|alter|drop|copy|execute|security|set_config|password|passwd|secret|api_?key|token)\b|(?:^|;|\bbegin|\bthen|\belse|\bloop)\s*(?:set|reset)\b/i;

export interface NestedSource {
  type: string;
  node: any;
  parseText: string;
  /** Parse-text offset of an AST byte location. */
  offsetOf(byteLocation: number): number;
  plpgsql(): PlpgsqlOutcome;
}

/** The nested units of a DO or CREATE FUNCTION/PROCEDURE statement. */
export function nestedUnits(src: NestedSource, origin?: 'do' | 'routine'): NestedResult {
  if (src.type !== 'DoStmt' && src.type !== 'CreateFunctionStmt') return NONE;
  const lang = routineLanguage(src.type, src.node);
  if (lang !== 'sql' && lang !== 'plpgsql') return NONE;
  const body = routineBody(src.type, src.node, src.parseText, src.offsetOf);
  if (!body || !INTERESTING.test(body.text)) return NONE;
  const own: 'do' | 'routine' = origin === 'routine' || src.type === 'CreateFunctionStmt' ? 'routine' : 'do';
  const out: NestedResult = { units: [], unknowns: [] };
  if (lang === 'sql') {
    pushStatements(out, body, false, own);
    return out;
  }
  const parsed = src.plpgsql();
  const fn = parsed.ok ? parsed.functions[0]?.PLpgSQL_function : undefined;
  if (!fn) return out;
  let cursor = 0;
  // FOREACH over a constant array binds its variable to each element in turn, for the
  // EXECUTEs in its body (pgsodium revokes its functions from PUBLIC this way).
  const loops = new Map<unknown, Binding[]>();
  plpgsqlStatements(fn.action, (kind, st) => {
    if (kind === 'PLpgSQL_stmt_foreach_a') {
      const binding = loopBinding(fn, st, body);
      const inner = new Set<unknown>();
      plpgsqlStatements(st.body, (k, x) => {
        if (k === 'PLpgSQL_stmt_dynexecute') inner.add(x);
      });
      for (const x of inner) loops.set(x, [...(loops.get(x) ?? []), binding ?? { name: '', values: [] }]);
      return;
    }
    if (kind === 'PLpgSQL_stmt_execsql') {
      const q: unknown = st.sqlstmt?.PLpgSQL_expr?.query;
      if (typeof q !== 'string') return;
      const at = locate(body.text, st.lineno ?? 1, q, cursor);
      if (at < 0) return;
      cursor = at + q.length;
      const text = { ...sliceMapped(body, at, at + q.length), text: q };
      const outcome = parseText(q);
      if (!outcome.ok || outcome.stmts.length !== 1) return;
      const raw = outcome.stmts[0];
      const type = raw.stmt ? Object.keys(raw.stmt)[0] : undefined;
      // In PL/pgSQL, SELECT ... INTO assigns variables (the parser blanks the INTO part).
      if (!type || (type === 'SelectStmt' && raw.stmt![type].intoClause)) return;
      out.units.push({ text, raw, type, origin: own, execute: false, semicolon: semicolonAfter(body, at + q.length), verbatim: body.text.startsWith(q, at) && isVerbatim(text) });
    } else if (kind === 'PLpgSQL_stmt_dynexecute') {
      const q: unknown = st.query?.PLpgSQL_expr?.query;
      if (typeof q !== 'string') return;
      const at = locate(body.text, st.lineno ?? 1, q, cursor);
      if (at < 0) return;
      cursor = at + q.length;
      const expr = sliceMapped(body, at, at + q.length);
      const values = environments(loops.get(st))?.map((env) => constantString(expr, env));
      if (!values || values.some((v) => v === undefined)) {
        out.unknowns.push({ start: sourceOf(expr, 0), end: sourceOf(expr, q.trimEnd().length), origin: own });
        return;
      }
      for (const value of values) pushStatements(out, value!, true, own);
    }
  });
  return out;
}

/** A loop variable and the values it takes, each mapped to where it is written. */
interface Binding {
  name: string;
  values: MappedText[];
}

/** Loops over more values than this are left unknown rather than expanded. */
const MAX_EXPANSION = 256;

/**
 * The variable and values of `FOREACH v IN ARRAY ARRAY['a', 'b'] LOOP`, when every element
 * is a constant string; undefined when the array is computed (or sliced: SLICE binds arrays).
 */
function loopBinding(fn: any, st: any, body: MappedText): Binding | undefined {
  const name: unknown = fn.datums?.[st.varno]?.PLpgSQL_var?.refname;
  const q: unknown = st.expr?.PLpgSQL_expr?.query;
  if (typeof name !== 'string' || typeof q !== 'string' || st.slice) return undefined;
  const at = locate(body.text, st.lineno ?? 1, q, 0);
  if (at < 0) return undefined;
  const expr = sliceMapped(body, at, at + q.length);
  const prefix = 'SELECT ';
  const r = parseText(prefix + expr.text);
  const target = r.ok && r.stmts.length === 1 ? r.stmts[0].stmt?.SelectStmt?.targetList : undefined;
  let arr = Array.isArray(target) && target.length === 1 ? target[0]?.ResTarget?.val : undefined;
  while (arr?.TypeCast) arr = arr.TypeCast.arg;
  const elements: any[] | undefined = arr?.A_ArrayExpr?.elements;
  if (!elements || elements.length === 0 || elements.length > MAX_EXPANSION) return undefined;
  const bytes = new ByteMap(prefix + expr.text);
  const ev: Evaluation = { src: expr.text, offset: (loc) => bytes.toUtf16(loc) - prefix.length, place: (m) => mapThrough(expr, m) };
  const values: MappedText[] = [];
  for (const e of elements) {
    const v = evaluate(e, ev);
    if (!v) return undefined;
    values.push(v);
  }
  return { name: name.toLowerCase(), values };
}

/** Every combination of the loop variables' values (one empty environment outside loops); undefined when a loop is not constant or too large. */
function environments(bindings: Binding[] | undefined): Array<Map<string, MappedText>> | undefined {
  let envs: Array<Map<string, MappedText>> = [new Map()];
  for (const b of bindings ?? []) {
    if (b.values.length === 0) return undefined;
    const next: Array<Map<string, MappedText>> = [];
    for (const env of envs) for (const v of b.values) next.push(new Map(env).set(b.name, v));
    if (next.length > MAX_EXPANSION) return undefined;
    envs = next;
  }
  return envs;
}

/** Where a PL/pgSQL statement's text stands; the parser blanks INTO clauses, so a prefix may have to do. */
function locate(body: string, lineno: number, q: string, from: number): number {
  const at = locateInBody(body, lineno, q, from);
  if (at >= 0) return at;
  const gap = q.search(/\s{2,}/);
  return gap >= 6 ? locateInBody(body, lineno, q.slice(0, gap), from) : -1;
}

function semicolonAfter(body: MappedText, i: number): number {
  let j = i;
  while (j < body.text.length && /\s/.test(body.text[j])) j++;
  return body.text[j] === ';' ? sourceOf(body, j) : -1;
}

/** Parses a mapped text of SQL (a LANGUAGE sql body or an EXECUTE string) into units, one per statement. */
function pushStatements(out: NestedResult, sql: MappedText, execute: boolean, origin: 'do' | 'routine'): void {
  const outcome: ParseOutcome = parseText(sql.text);
  if (!outcome.ok) return;
  const bytes = new ByteMap(sql.text);
  for (const raw of outcome.stmts) {
    if (!raw.stmt) continue;
    const start = bytes.toUtf16(raw.stmt_location ?? 0);
    const end = raw.stmt_len ? bytes.toUtf16((raw.stmt_location ?? 0) + raw.stmt_len) : sql.text.length;
    const slice = sliceMapped(sql, start, end);
    const trimmed = sliceMapped(slice, 0, slice.text.trimEnd().length);
    const own = parseText(trimmed.text);
    if (!own.ok || own.stmts.length !== 1 || !own.stmts[0].stmt) continue;
    const type = Object.keys(own.stmts[0].stmt)[0];
    out.units.push({ text: trimmed, raw: own.stmts[0], type, origin, execute, semicolon: execute ? -1 : semicolonAfter(sql, end), verbatim: !execute && isVerbatim(trimmed) });
  }
}

/**
 * The value of a constant string expression (as PL/pgSQL hands it over: the text after
 * EXECUTE), mapped to where each character came from; undefined when any part is computed.
 */
export function constantString(expr: MappedText, env?: ReadonlyMap<string, MappedText>): MappedText | undefined {
  const prefix = 'SELECT ';
  const r = parseText(prefix + expr.text);
  if (!r.ok || r.stmts.length !== 1) return undefined;
  const target = r.stmts[0].stmt?.SelectStmt?.targetList;
  if (!Array.isArray(target) || target.length !== 1) return undefined;
  const bytes = new ByteMap(prefix + expr.text);
  return evaluate(target[0]?.ResTarget?.val, { src: expr.text, offset: (loc) => bytes.toUtf16(loc) - prefix.length, place: (m) => mapThrough(expr, m), env });
}

/** A text mapped to offsets in `inner`'s source, mapped on through `outer`. */
function mapThrough(outer: MappedText, inner: MappedText): MappedText {
  const from: number[] = [];
  for (let i = 0; i < inner.text.length; i++) from.push(sourceOf(outer, sourceOf(inner, i)));
  return { text: inner.text, at: from[0] ?? sourceOf(outer, sourceOf(inner, 0)), from };
}

interface Evaluation {
  /** The expression's text. */
  src: string;
  /** Offset in `src` of an AST byte location. */
  offset: (loc: number) => number;
  /** Maps a value read from `src` to where its characters came from. */
  place: (m: MappedText) => MappedText;
  /** Variables with constant values (a FOREACH over a constant array), already placed. */
  env?: ReadonlyMap<string, MappedText>;
}

/** A constant expression's string value, each character mapped to where it came from. */
function evaluate(e: any, ev: Evaluation): MappedText | undefined {
  if (!e || typeof e !== 'object') return undefined;
  if (e.A_Const) {
    const c = e.A_Const;
    const at = ev.offset(c.location ?? 0);
    if (c.sval) {
      const lit = decodeLiteral(ev.src, at);
      return lit && lit.text === (c.sval.sval ?? '') ? ev.place(lit) : undefined;
    }
    if (c.ival) return ev.place(pinned(String(c.ival.ival ?? 0), at));
    if (c.fval) return ev.place(pinned(String(c.fval.fval), at));
    return undefined;
  }
  if (e.ColumnRef) {
    const names = (e.ColumnRef.fields ?? []).map((f: any) => f?.String?.sval);
    return names.length === 1 && typeof names[0] === 'string' ? ev.env?.get(names[0].toLowerCase()) : undefined;
  }
  if (e.TypeCast) return evaluate(e.TypeCast.arg, ev);
  if (e.A_Expr) {
    const a = e.A_Expr;
    if (a.kind !== 'AEXPR_OP' || (a.name ?? []).map((n: any) => n?.String?.sval).join('.') !== '||') return undefined;
    const l = evaluate(a.lexpr, ev);
    const r = l && evaluate(a.rexpr, ev);
    return l && r ? concatMapped([l, r]) : undefined;
  }
  if (e.FuncCall) {
    const f = e.FuncCall;
    const name = (f.funcname ?? []).map((n: any) => n?.String?.sval).pop();
    const args: Array<MappedText | undefined> = (f.args ?? []).map((x: any) => evaluate(x, ev));
    if (args.some((x) => x === undefined)) return undefined;
    const vals = args as MappedText[];
    if (name === 'quote_ident' && vals.length === 1) return quoted(vals[0], quoteIdent(vals[0].text));
    if (name === 'quote_literal' && vals.length === 1) return quoted(vals[0], quoteLiteral(vals[0].text));
    if (name === 'concat') return concatMapped(vals);
    if (name === 'format' && vals.length >= 1) return format(vals[0], vals.slice(1));
  }
  return undefined;
}

/** A quoted value: mapped to the value's characters when quoting left it unchanged, else pinned to its start. */
function quoted(value: MappedText, text: string): MappedText {
  return text === value.text ? value : pinned(text, sourceOf(value, 0));
}

function quoteLiteral(s: string): string {
  const body = s.replace(/'/g, "''");
  return s.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

/** format() with %s, %I, %L and %% (positions `%n$` included; widths are not supported). */
function format(fmt: MappedText, args: readonly MappedText[]): MappedText | undefined {
  const parts: MappedText[] = [];
  const re = /%(?:(\d+)\$)?([sIL%])/g;
  let last = 0;
  let next = 0;
  for (let m = re.exec(fmt.text); m; m = re.exec(fmt.text)) {
    parts.push(sliceMapped(fmt, last, m.index));
    last = m.index + m[0].length;
    if (m[2] === '%') {
      parts.push(sliceMapped(fmt, m.index + 1, m.index + 2));
      continue;
    }
    const k = m[1] ? Number(m[1]) - 1 : next;
    next = k + 1;
    const v = args[k];
    if (!v) return undefined;
    parts.push(m[2] === 's' ? v : quoted(v, m[2] === 'I' ? quoteIdent(v.text) : quoteLiteral(v.text)));
  }
  // A conversion this reader does not know (a width, a flag) leaves the value unknown.
  if (fmt.text.replace(re, '').includes('%')) return undefined;
  parts.push(sliceMapped(fmt, last, fmt.text.length));
  return concatMapped(parts.filter((p) => p.text.length > 0));
}
