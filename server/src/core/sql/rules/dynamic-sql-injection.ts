// dynamic-sql-injection: PL/pgSQL that builds a dynamic query (EXECUTE, RETURN QUERY
// EXECUTE, FOR ... IN EXECUTE, OPEN ... FOR EXECUTE) by splicing text that someone other
// than the code's author chooses: a string parameter, a trigger row, a setting, a name read
// from the catalog, or a variable that carries one of those. A value holding a quote or a
// semicolon then changes the statement. The data flow lives in ../plpgsql-taint.ts.

import { fix, replace } from '../../fix';
import { Finding, Severity } from '../../rules';
import { qualifiedFromList, stringList } from '../ast';
import { SqlStmt } from '../document';
import { maskCode } from '../mask';
import { Hit, isStored, Parameter, parseExpression, Taint } from '../plpgsql-taint';
import { locateInBody, MappedText, plpgsqlStatements, routineBody, routineLanguage, sourceOf } from '../plpgsql';
import { SqlRule, SqlRuleContext } from '../rule';

export const dynamicSqlInjection: SqlRule = {
  meta: {
    id: 'dynamic-sql-injection',
    language: 'sql',
    defaultSeverity: 'warning',
    description:
      "PL/pgSQL EXECUTE of a query string that splices a caller's argument, a trigger row or a name read from the database without quote_ident, quote_literal, quote_nullable or format's %I/%L.",
    fixable: true,
  },
  types: ['CreateFunctionStmt', 'DoStmt'],
  check(stmt, ctx) {
    if (routineLanguage(stmt.type, stmt.node) !== 'plpgsql') return [];
    const options = optionsOf(stmt);
    const as = options.find((d) => d.defname === 'as');
    const source: unknown = as?.arg?.List?.items?.[0]?.String?.sval ?? as?.arg?.String?.sval;
    // Every dynamic statement form spells out the keyword EXECUTE, so a body (decoded by
    // the parser, escapes and all) without the word holds none: skip its PL/pgSQL parse,
    // which most functions would otherwise pay for nothing.
    if (typeof source !== 'string' || !/execute/i.test(source)) return [];
    const life = lifetime(stmt, ctx);
    if (life === 'superseded') return [];
    const parsed = stmt.plpgsql();
    if (!parsed.ok) return [];
    const fn = parsed.functions[0]?.PLpgSQL_function;
    if (!fn) return [];
    const queries = dynamicQueries(fn.action);
    if (queries.length === 0) return [];

    const { inputs, outputs } = stmt.type === 'CreateFunctionStmt' ? parameters(stmt.node.parameters) : { inputs: [], outputs: [] };
    // A helper its script creates, calls and drops has no caller but that script: its
    // arguments are the script's own values, not a caller's.
    const taint = new Taint(fn, life === 'temporary' ? [] : inputs, outputs, life === 'temporary');
    const definer = options.some((d) => d.defname === 'security' && d.arg?.Boolean?.boolval === true);
    const body = routineBody(stmt.type, stmt.node, stmt.unit.parseText, (loc) => stmt.offset(loc) - stmt.unit.start);
    const lines = body ? new BodyLines(body, stmt.unit.start) : undefined;
    const findings: Finding[] = [];
    for (const dyn of queries) {
      const expr = parseExpression(dyn.query);
      if (!expr) continue;
      // Located even when clean, so a later identical query on the same line finds its own text.
      const place = lines?.locate(dyn.lineno, dyn.query);
      const hits = dedupe(taint.taint(expr, false));
      if (hits.length === 0) continue;
      const start = place?.start ?? stmt.start;
      const end = place?.end ?? stmt.start;
      const finding: Finding = { ruleId: 'dynamic-sql-injection', start, end, message: message(dyn.kind, hits, definer, stmt.type === 'DoStmt') };
      const severity = severityOf(hits, definer);
      if (severity) finding.severity = severity;
      // A rewrite is text for a dollar-quoted body only: in a quoted body it would need its quotes doubled.
      const rewritten = place?.exact && !body?.from ? formatRewrite(dyn.query.trimEnd(), expr, taint) : undefined;
      if (rewritten) finding.fixes = [fix('Rewrite with format() and %I/%L', [replace(start, end, rewritten)], { snippet: true, consequence: 'names are quoted, so a qualified or mixed-case name passed as one string no longer resolves' })];
      findings.push(finding);
    }
    return findings.sort((a, b) => a.start - b.start);
  },
};

/** The DefElem options of a CREATE FUNCTION (options) or DO (args). */
function optionsOf(stmt: SqlStmt): any[] {
  const n = stmt.node;
  return ((stmt.type === 'DoStmt' ? n.args : n.options) ?? []).map((o: any) => o?.DefElem).filter(Boolean);
}

/**
 * Whether a routine body is the one the project ends with ('live'), history ('superseded':
 * a later CREATE OR REPLACE of the same signature replaces it, or a later file drops it,
 * as in an old extension version's upgrade script), or a helper its own script creates,
 * runs and drops ('temporary'). DO blocks always run, and nested statements are judged as
 * they are.
 */
function lifetime(stmt: SqlStmt, ctx: SqlRuleContext): 'live' | 'superseded' | 'temporary' {
  if (stmt.type !== 'CreateFunctionStmt' || stmt.nesting) return 'live';
  const name = qualifiedFromList(stmt.node.funcname);
  if (!name) return 'live';
  const here = { uri: ctx.doc.uri, start: stmt.start };
  const model = ctx.workspace.model(ctx.doc.uri);
  const overloads = model.functions(name, here);
  if (overloads.some((f) => model.madeAt(f.bodyAt, here))) return 'live';
  const kind = stmt.node.is_procedure ? 'OBJECT_PROCEDURE' : 'OBJECT_FUNCTION';
  const droppedHere = ctx.doc.statements.some(
    (s) =>
      s.type === 'DropStmt' && s.start > stmt.start && s.node.removeType === kind &&
      (s.node.objects ?? []).some((o: any) => qualifiedFromList(o?.ObjectWithArgs?.objname)?.name === name.name),
  );
  return droppedHere && overloads.length === 0 ? 'temporary' : 'superseded';
}

/** Turns PL/pgSQL line numbers and statement texts into document ranges. */
class BodyLines {
  private readonly starts: number[] = [0];
  /** Per line, where the last text looked up on it ended, so repeats on one line advance. */
  private readonly used = new Map<number, number>();

  constructor(
    private readonly body: MappedText,
    private readonly base: number,
  ) {
    const t = body.text;
    for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /**
   * The range of `text` on body line `lineno` (1 is the line of the opening quote): exact
   * when found, else the line's non-blank part.
   */
  locate(lineno: number, text: string): { start: number; end: number; exact: boolean } {
    const t = this.body.text;
    const line = Math.min(Math.max(lineno, 1), this.starts.length) - 1;
    const trimmed = text.trimEnd();
    // Searching from the line's start (line 1 of what is passed) keeps each lookup O(line).
    const at = trimmed ? locateInBody(t, 1, trimmed, Math.max(this.starts[line], this.used.get(line) ?? 0)) : -1;
    if (at >= 0) {
      this.used.set(line, at + trimmed.length);
      return { start: this.offset(at), end: this.offset(at + trimmed.length), exact: true };
    }
    let s = this.starts[line];
    let e = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : t.length;
    while (s < e && /\s/.test(t[s])) s++;
    while (e > s && /\s/.test(t[e - 1])) e--;
    return { start: this.offset(s), end: this.offset(e), exact: false };
  }

  private offset(i: number): number {
    return this.base + sourceOf(this.body, i);
  }
}

interface DynamicQuery {
  /** The query expression's text, as the PL/pgSQL parser returns it. */
  query: string;
  /** 1-based line within the body. */
  lineno: number;
  /** How the statement starts, for the message. */
  kind: string;
}

/** Every dynamic query in a function body, in source order, nested blocks, loops and branches included. */
function dynamicQueries(action: any): DynamicQuery[] {
  const out: DynamicQuery[] = [];
  plpgsqlStatements(action, (type, v) => {
    const q = (e: any) => e?.PLpgSQL_expr?.query;
    if (type === 'PLpgSQL_stmt_dynexecute' && q(v.query)) out.push({ query: q(v.query), lineno: v.lineno ?? 1, kind: 'EXECUTE' });
    else if (type === 'PLpgSQL_stmt_dynfors' && q(v.query)) out.push({ query: q(v.query), lineno: v.lineno ?? 1, kind: 'FOR ... IN EXECUTE' });
    else if (type === 'PLpgSQL_stmt_return_query' && q(v.dynquery))
      out.push({ query: q(v.dynquery), lineno: v.lineno ?? 1, kind: 'RETURN QUERY EXECUTE' });
    else if (type === 'PLpgSQL_stmt_open' && q(v.dynquery)) out.push({ query: q(v.dynquery), lineno: v.lineno ?? 1, kind: 'OPEN ... FOR EXECUTE' });
  });
  return out;
}

/** Input parameters in order (for `$n`) and the names of OUT-only parameters. */
function parameters(list: any[] | undefined): { inputs: Parameter[]; outputs: string[] } {
  const inputs: Parameter[] = [];
  const outputs: string[] = [];
  for (const p of list ?? []) {
    const fp = p?.FunctionParameter;
    if (!fp) continue;
    const type = stringList(fp.argType?.names).join('.') + ((fp.argType?.arrayBounds ?? []).length ? '[]' : '');
    if (fp.mode === 'FUNC_PARAM_OUT' || fp.mode === 'FUNC_PARAM_TABLE') {
      if (fp.name) outputs.push(String(fp.name).toLowerCase());
    } else inputs.push({ name: fp.name ? String(fp.name).toLowerCase() : undefined, type });
  }
  return { inputs, outputs };
}

function dedupe(hits: Hit[]): Hit[] {
  const seen = new Map<string, Hit>();
  for (const h of hits) if (!seen.has(h.label)) seen.set(h.label, h);
  return [...seen.values()];
}

/**
 * A definer function, or text someone else stored (a name in the catalog, a row in a
 * table), is a real escalation: warning. Otherwise the caller can only inject into a
 * statement that runs with its own rights: info (see the docs page).
 */
function severityOf(hits: Hit[], definer: boolean): Severity | undefined {
  if (definer || hits.some((h) => h.sources.some(isStored))) return undefined;
  return 'info';
}

function message(kind: string, hits: Hit[], definer: boolean, isDo: boolean): string {
  const names = hits.map((h) => h.label).join(', ');
  const stored = hits.some((h) => h.sources.some(isStored));
  const who = definer
    ? ' The function is SECURITY DEFINER: the statement runs with its owner\'s rights.'
    : stored
      ? ` That text is read from the database, so whoever wrote it chooses what runs here${isDo ? ', with the rights of whoever runs this script' : ''}.`
      : isDo
        ? ' The block runs with the rights of whoever runs it, who sets that text.'
        : " The function runs with its caller's rights; this matters where callers reach it without a SQL session of their own (an RPC API, an application passing user input).";
  return `${kind} runs SQL text built from ${names} without quoting: a value holding a quote or a semicolon changes the statement.${who} Quote identifiers with format('%I') or quote_ident(), and pass values with USING or format('%L').`;
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
function formatRewrite(query: string, expr: any, taint: Taint): string | undefined {
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
    else pieces.push({ kind: 'arg', text: op, unsafe: taint.taint(e, true).length > 0 });
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
    // A value glued to a word (`'idx_' || name`) is part of a longer name: neither %I nor
    // %L gives the statement the author meant, so no rewrite is offered.
    if (/[\w$]$/.test(fmt) || (next?.kind === 'text' && /^[\w$]/.test(next.value))) return undefined;
    if (fmt.endsWith("'") && next?.kind === 'text' && next.value.startsWith("'")) {
      // The value sat between quotes: %L supplies them, escaped.
      fmt = fmt.slice(0, -1) + '%L';
      next.value = next.value.slice(1);
    } else fmt += IDENTIFIER_BEFORE.test(fmt) ? '%I' : '%L';
  }
  return `format('${fmt.replace(/'/g, "''")}', ${args.join(', ')})`;
}
