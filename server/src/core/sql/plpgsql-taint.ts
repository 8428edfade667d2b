// Which values in a PL/pgSQL body can carry text chosen by someone other than the code's
// author, and which expressions splice such text into SQL unquoted. It follows data flow
// through the body: sources are string-typed parameters, trigger rows and names, caller
// settings and values read by queries; assignments, SELECT/FETCH/EXECUTE INTO, loops and
// FOREACH carry taint from one variable to the next; quoting functions, format's %I and %L,
// casts to types whose text cannot hold a quote, and constants clear it. The analysis is
// flow-insensitive (a variable is as tainted as the worst value ever stored in it), which
// is what a reviewer assumes too: no branch can make an unquoted splice safe.
// Longer than 400 lines because the data flow over every PL/pgSQL statement kind is one
// analysis over one taint state.

import { stringList, walk } from './ast';
import { parseText } from './parser';

/** Where tainted text comes from; the prefix says whose text it is. */
export type Source = string;
/** A caller's own input: an argument, the row it writes (NEW), a setting it can SET. */
const CALLER = 'c:';
/** Text someone else stored: table data, catalog names, a dynamic query's result. */
const STORED = 's:';

export function sourceName(s: Source): string {
  return s.slice(2);
}

/** Whether a source is text stored by someone other than the caller (second-order). */
export function isStored(s: Source): boolean {
  return s.startsWith(STORED);
}

/** One tainted value an expression splices: how to name it, and where its text comes from. */
export interface Hit {
  label: string;
  sources: Source[];
}

/**
 * Types whose text form cannot carry a quote, a semicolon or a comment, whatever the
 * session's settings: numbers, booleans, UUIDs, OIDs, bit strings, network addresses,
 * dates and times without a zone name, and the reg* types, whose output quotes
 * identifiers itself. Not timestamptz: with DateStyle SQL/Postgres/German its text ends
 * with the TimeZone abbreviation, and a caller may SET TimeZone to `<a'b;c>+5`.
 */
const SAFE_SCALARS = new Set([
  'int', 'int2', 'int4', 'int8', 'integer', 'smallint', 'bigint', 'numeric', 'decimal', 'real', 'float4', 'float8',
  'double precision', 'boolean', 'bool', 'uuid', 'oid', 'xid', 'xid8', 'cid', 'tid', 'pg_lsn', 'bit', 'varbit', 'bit varying',
  'date', 'time', 'timetz', 'timestamp', 'interval', 'time without time zone', 'time with time zone', 'timestamp without time zone',
  'inet', 'cidr', 'macaddr', 'macaddr8', 'smallserial', 'serial', 'bigserial',
]);
/**
 * reg* output is a valid, quoted name, but an array of them is not safe: array output
 * wraps `"My Table"` as `"\"My Table\""`, which SQL reads as a different token sequence.
 */
const REG_TYPES = new Set([
  'regclass', 'regproc', 'regprocedure', 'regtype', 'regnamespace', 'regrole', 'regoper', 'regoperator', 'regconfig',
  'regdictionary', 'regcollation',
]);

export function safeType(typname: string | undefined): boolean {
  if (!typname) return false;
  let t = typname.trim().toLowerCase().replace(/^pg_catalog\./, '');
  const array = /\[\]$/.test(t) || t.startsWith('_');
  t = t.replace(/(\[\])+$/, '').replace(/\(.*\)$/, '').replace(/^_/, '').trim();
  return SAFE_SCALARS.has(t) || (!array && REG_TYPES.has(t));
}

/** Functions whose result never carries their arguments' text unquoted. */
const CLEAN_FUNCTIONS = new Set([
  'quote_ident', 'quote_literal', 'quote_nullable', 'format_type', 'md5', 'gen_random_uuid', 'uuid_generate_v4',
  'to_regclass', 'to_regtype', 'to_regproc', 'to_regprocedure', 'to_regnamespace', 'to_regrole', 'to_regoper',
  'to_regoperator', 'to_regcollation',
  // Server-generated SQL: identifiers and literals already quoted.
  'pg_get_indexdef', 'pg_get_constraintdef', 'pg_get_viewdef', 'pg_get_triggerdef', 'pg_get_functiondef', 'pg_get_ruledef',
  'pg_get_expr', 'pg_get_function_arguments', 'pg_get_function_identity_arguments', 'pg_get_function_result',
  'pg_get_partkeydef', 'pg_get_statisticsobjdef', 'pg_get_serial_sequence',
  // Numbers, booleans, sizes.
  'length', 'char_length', 'character_length', 'octet_length', 'bit_length', 'strpos', 'position', 'ascii', 'array_length',
  'array_lower', 'array_upper', 'array_ndims', 'array_position', 'cardinality', 'count', 'sum', 'avg', 'nextval', 'currval',
  'setval', 'lastval', 'txid_current', 'now', 'extract', 'date_part', 'pg_relation_size', 'pg_total_relation_size',
  'pg_table_size', 'pg_indexes_size', 'pg_column_size', 'pg_backend_pid', 'random', 'floor', 'ceil', 'round', 'abs',
  'greatest_oid', 'row_number', 'rank', 'dense_rank', 'starts_with', 'pg_has_role', 'has_table_privilege',
  'has_schema_privilege', 'has_function_privilege', 'has_database_privilege', 'pg_try_advisory_lock',
  'pg_try_advisory_xact_lock',
]);
/** Settings a caller may SET in its own session before calling. */
const CALLER_SETTINGS = new Set(['current_setting']);
/** Functions returning a catalog name unquoted (a role name someone with CREATEROLE chose). */
const CATALOG_NAMES = new Set(['pg_get_userbyid']);
/**
 * Functions whose result carries only some arguments' text: replace(s, from, to) never
 * contains `from`, substr(s, n) only `s`. By position; any function not listed passes on
 * every argument.
 */
const CARRIED_ARGUMENTS = new Map<string, number[]>([
  ['replace', [0, 2]], ['regexp_replace', [0, 2]], ['translate', [0, 2]], ['overlay', [0, 1]], ['lpad', [0, 2]],
  ['rpad', [0, 2]], ['substr', [0]], ['substring', [0]], ['left', [0]], ['right', [0]], ['split_part', [0]],
  ['btrim', [0]], ['ltrim', [0]], ['rtrim', [0]], ['trim', [0]], ['repeat', [0]], ['lower', [0]], ['upper', [0]],
  ['initcap', [0]], ['regexp_match', [0]], ['regexp_matches', [0]], ['regexp_split_to_array', [0]],
  ['regexp_split_to_table', [0]], ['string_to_array', [0]], ['regexp_substr', [0]],
]);
/** Trigger variables the server sets to a keyword (INSERT, BEFORE, ROW...) or a code. */
const SERVER_KEYWORDS = new Set(['tg_op', 'tg_when', 'tg_level', 'sqlstate']);
/** Operators whose result is (part of) the left operand's text: JSON extraction. */
const EXTRACTING = new Set(['->>', '#>>', '->', '#>']);
/**
 * Catalog columns that hold OIDs, numbers or server-set codes, never names: a query
 * reading them gives safe text even though the analysis cannot see their type.
 */
const SAFE_COLUMN = /^(privilege_type|is_grantable|oid|\w*relid|\w*oid|relnamespace|relowner|reltype|relkind|relpersistence|attnum|atttypid|atttypmod|contype|prokind|typtype|inhparent|inhseqno|indkey|nspowner|datdba)$/;

interface Slot {
  /** Sources whose text the variable's value can carry. */
  value: Set<Source>;
  /** Sources spliced into SQL text the variable holds (it was built by concatenation). */
  built: Set<Source>;
}

type Target = { kind: 'var'; name: string } | { kind: 'field'; rec: string; field: string };

interface Write {
  target: Target;
  /** The value's expression, or undefined when it is unknown (a dynamic query's result). */
  expr?: any;
  /** Set when the expression is a query's output column: names that are not variables are its columns. */
  query: Scope | undefined;
  /** For an unknown value: what to call its source. */
  unknown?: Source;
}

export interface Parameter {
  name: string | undefined;
  type: string;
}

/** The data-flow facts of one PL/pgSQL function body. */
export class Taint {
  private readonly varTypes = new Map<string, string[]>();
  private readonly sources = new Map<string, Source>();
  private readonly records = new Set<string>();
  private readonly sourceRecords = new Map<string, string>();
  /** Records filled by `SELECT *`, a dynamic query or a cursor: every field is stored text of unknown type. */
  private readonly opaqueRecords = new Set<string>();
  private readonly slots = new Map<string, Slot>();
  /** Constant string values of variables only ever given constants, for format strings held in variables. */
  private readonly constants = new Map<string, string[]>();

  constructor(
    private readonly fn: any,
    private readonly inputs: Parameter[],
    outputs: string[],
    /** No caller but the code's own author: parameters carry no untrusted text. */
    trustedParameters = false,
  ) {
    const datums: any[] = fn.datums ?? [];
    const inputNames = new Set(inputs.map((p, k) => p.name ?? `$${k + 1}`));
    for (const d of datums) {
      const v = d?.PLpgSQL_var;
      if (v?.refname) {
        const name = v.refname.toLowerCase();
        const types = this.varTypes.get(name) ?? [];
        types.push(v.datatype?.PLpgSQL_type?.typname ?? '');
        this.varTypes.set(name, types);
        // Parameters and server-set variables carry no line number; OUT parameters start
        // NULL and are written by the body like any local.
        if (v.lineno === undefined && !outputs.includes(name) && !SERVER_KEYWORDS.has(name) && !trustedParameters)
          this.sources.set(name, (inputNames.has(name) ? CALLER : STORED) + name);
      }
      const r = d?.PLpgSQL_rec;
      if (r?.refname) {
        const name = r.refname.toLowerCase();
        this.records.add(name);
        // NEW is the row the caller writes; OLD and record parameters of triggers hold
        // rows someone else may have written.
        if (r.lineno === undefined && (!trustedParameters || name === 'new' || name === 'old'))
          this.sourceRecords.set(name, name === 'new' || inputNames.has(name) ? CALLER : STORED);
      }
    }
    this.solve(this.collectWrites(datums));
  }

  /**
   * The tainted values an expression splices into SQL text. With `concatenated` false
   * (the whole query text), a value passed whole is not a splice: `EXECUTE sql_text`
   * runs what the caller wrote, by design; a variable built by concatenation still is.
   */
  taint(e: any, concatenated: boolean, query?: Scope): Hit[] {
    if (!e || typeof e !== 'object') return [];
    if (e.ColumnRef) return this.reference(e.ColumnRef.fields ?? [], concatenated, query);
    if (e.ParamRef) {
      const k = e.ParamRef.number ?? 0;
      const p = this.inputs[k - 1];
      return p ? this.variable(p.name?.toLowerCase() ?? `$${k}`, concatenated, `$${k}`) : [];
    }
    if (e.TypeCast) {
      const tn = e.TypeCast.typeName;
      const target = stringList(tn?.names).join('.');
      if (!(tn?.arrayBounds ?? []).length && safeType(target)) return [];
      return this.taint(e.TypeCast.arg, concatenated, query);
    }
    if (e.A_Expr) {
      const a = e.A_Expr;
      const op = stringList(a.name).pop();
      if (a.kind === 'AEXPR_OP' && op === '||') return [...this.taint(a.lexpr, true, query), ...this.taint(a.rexpr, true, query)];
      if (a.kind === 'AEXPR_OP' && op && EXTRACTING.has(op)) return this.taint(a.lexpr, concatenated, query);
      if (a.kind === 'AEXPR_NULLIF') return this.taint(a.lexpr, concatenated, query);
      return [];
    }
    if (e.FuncCall) return this.call(e.FuncCall, concatenated, query);
    if (e.CoalesceExpr) return this.all(e.CoalesceExpr.args, concatenated, query);
    if (e.MinMaxExpr) return this.all(e.MinMaxExpr.args, concatenated, query);
    if (e.A_ArrayExpr) return this.all(e.A_ArrayExpr.elements, concatenated, query);
    if (e.RowExpr) return this.all(e.RowExpr.args, concatenated, query);
    if (e.A_Indirection) return this.taint(e.A_Indirection.arg, concatenated, query);
    if (e.CollateClause) return this.taint(e.CollateClause.arg, concatenated, query);
    if (e.CaseExpr) {
      const c = e.CaseExpr;
      return [...(c.args ?? []).flatMap((w: any) => this.taint(w?.CaseWhen?.result, concatenated, query)), ...this.taint(c.defresult, concatenated, query)];
    }
    if (e.SubLink) {
      const s = e.SubLink;
      if (s.subLinkType !== 'EXPR_SUBLINK' && s.subLinkType !== 'ARRAY_SUBLINK') return [];
      const sub = this.outputs(s.subselect);
      return sub.columns.slice(0, 1).flatMap((t) => this.taint(t.val, concatenated, sub.scope));
    }
    return [];
  }

  private all(list: any[] | undefined, concatenated: boolean, query: Scope | undefined): Hit[] {
    return (list ?? []).flatMap((x) => this.taint(x, concatenated, query));
  }

  private call(f: any, concatenated: boolean, query: Scope | undefined): Hit[] {
    const name = (stringList(f.funcname).pop() ?? '').toLowerCase();
    const args: any[] = f.args ?? [];
    if (CLEAN_FUNCTIONS.has(name)) return [];
    if (CALLER_SETTINGS.has(name)) return concatenated ? [{ label: `${name}()`, sources: [`${CALLER}${name}()`] }] : [];
    if (CATALOG_NAMES.has(name)) return concatenated ? [{ label: `${name}()`, sources: [`${STORED}${name}()`] }] : [];
    if (name === 'format') return this.format(args, concatenated, query);
    if (name === 'concat' || name === 'concat_ws') return this.all(args, true, query);
    const carried = CARRIED_ARGUMENTS.get(name);
    if (carried && !f.func_variadic) return this.all(carried.map((k) => args[k]), concatenated, query);
    // Any other function (string_agg, array_to_string, coalesce, a user function): its
    // result may carry any argument's text.
    return this.all(args, concatenated, query);
  }

  /** format(): %s splices its argument as is; %I and %L quote it. */
  private format(args: any[], concatenated: boolean, query: Scope | undefined): Hit[] {
    let f0 = args[0];
    while (f0?.TypeCast) f0 = f0.TypeCast.arg;
    const literal = f0?.A_Const?.sval?.sval;
    const fields: string[] = f0?.ColumnRef ? stringList(f0.ColumnRef.fields) : [];
    const formats: string[] | undefined =
      typeof literal === 'string' ? [literal] : fields.length === 1 ? this.constants.get(fields[0].toLowerCase()) : undefined;
    if (!formats) return [...this.taint(args[0], concatenated, query), ...this.all(args.slice(1), true, query)];
    const out: Hit[] = [];
    const re = /%(?:(\d+)\$)?(-)?(\*(?:\d+\$)?|\d+)?([sIL%])/g;
    for (const fmt of formats) {
      let next = 1;
      re.lastIndex = 0;
      for (let m = re.exec(fmt); m; m = re.exec(fmt)) {
        if (m[4] === '%') continue;
        if (m[3]?.startsWith('*')) {
          const star = /^\*(\d+)\$$/.exec(m[3]);
          next = star ? Number(star[1]) + 1 : next + 1;
        }
        const pos = m[1] ? Number(m[1]) : next;
        next = pos + 1;
        if (m[4] === 's') out.push(...this.taint(args[pos], true, query));
      }
    }
    return out;
  }

  private reference(fieldNodes: any[], concatenated: boolean, query: Scope | undefined): Hit[] {
    const fields = fieldNodes.map((f: any) => (f?.A_Star ? '*' : (f?.String?.sval ?? '').toLowerCase()));
    if (fields.length === 0) return [];
    const [a, b] = fields;
    if (this.records.has(a)) return this.field(a, fields.length > 1 ? b : '*', concatenated);
    if (fields.length === 1 && this.varTypes.has(a)) return this.variable(a, concatenated, a);
    // A parameter or record qualified by the function's or block's label.
    if (fields.length >= 2 && this.records.has(b)) return this.field(b, fields[2] ?? '*', concatenated);
    if (fields.length === 2 && this.varTypes.has(b)) return this.variable(b, concatenated, `${a}.${b}`);
    // Otherwise a column of a table the query reads: stored text, unless it holds an OID or a number.
    const last = fields[fields.length - 1];
    if (!query || !concatenated || SAFE_COLUMN.test(last) || query.numbers.has(a) || query.numbers.has(last)) return [];
    const label = fields.join('.');
    return [{ label, sources: [`${STORED}${label}`] }];
  }

  private variable(name: string, concatenated: boolean, label: string): Hit[] {
    if ((this.varTypes.get(name) ?? []).every(safeType) && this.varTypes.has(name)) return [];
    const source = this.sources.get(name);
    const slot = this.slots.get(name);
    const set = new Set<Source>();
    if (source && concatenated) set.add(source);
    for (const s of (concatenated ? slot?.value : slot?.built) ?? []) set.add(s);
    if (set.size === 0) return [];
    return [{ label: describe(label, set, source, !concatenated), sources: [...set] }];
  }

  private field(rec: string, field: string, concatenated: boolean): Hit[] {
    const label = field === '*' ? rec : `${rec}.${field}`;
    const kind = this.sourceRecords.get(rec) ?? (this.opaqueRecords.has(rec) ? STORED : undefined);
    if (kind) return concatenated && !SAFE_COLUMN.test(field) ? [{ label, sources: [`${kind}${label}`] }] : [];
    const set = new Set<Source>();
    const add = (slot: Slot | undefined) => {
      for (const s of (concatenated ? slot?.value : slot?.built) ?? []) set.add(s);
    };
    add(this.slots.get(`${rec}.*`));
    if (field === '*') for (const [k, slot] of this.slots) if (k.startsWith(`${rec}.`)) add(slot);
    add(this.slots.get(label));
    if (set.size === 0) return [];
    return [{ label: describe(label, set, undefined, !concatenated), sources: [...set] }];
  }

  /** The output columns of a statement that returns rows (a SELECT's targets or a RETURNING list), and its scope. */
  private outputs(stmt: any): { columns: Array<{ name?: string; val: any }>; scope: Scope } {
    const s = stmt?.SelectStmt;
    const targets = (list: any[] | undefined) => (list ?? []).map((t: any) => ({ name: t?.ResTarget?.name, val: t?.ResTarget?.val }));
    if (s) {
      if (s.op && s.op !== 'SETOP_NONE') return this.outputs({ SelectStmt: s.larg });
      const scope = scopeOf(s.fromClause);
      if (s.valuesLists) return { columns: (s.valuesLists[0]?.List?.items ?? []).map((val: any) => ({ val })), scope };
      return { columns: targets(s.targetList), scope };
    }
    const dml = stmt?.InsertStmt ?? stmt?.UpdateStmt ?? stmt?.DeleteStmt ?? stmt?.MergeStmt;
    return { columns: targets(dml?.returningList), scope: { numbers: new Set() } };
  }

  /** Every place the body stores a value into a variable or a record field. */
  private collectWrites(datums: any[]): Write[] {
    const writes: Write[] = [];
    const targetOf = (dno: unknown): Target | undefined => {
      const d = typeof dno === 'number' ? datums[dno] : undefined;
      if (d?.PLpgSQL_var?.refname) return { kind: 'var', name: d.PLpgSQL_var.refname.toLowerCase() };
      const rf = d?.PLpgSQL_recfield;
      if (rf) {
        const parent = datums[rf.recparentno]?.PLpgSQL_rec?.refname;
        if (parent) return { kind: 'field', rec: parent.toLowerCase(), field: String(rf.fieldname).toLowerCase() };
      }
      const rec = d?.PLpgSQL_rec?.refname;
      if (rec) return { kind: 'field', rec: rec.toLowerCase(), field: '*' };
      return undefined;
    };
    /** The targets of an INTO clause or a loop: a row of variables or one record. */
    const targets = (t: any): Target[] | undefined => {
      if (t?.PLpgSQL_row) return (t.PLpgSQL_row.fields ?? []).map((f: any) => targetOf(f.varno)).filter(Boolean);
      if (t?.PLpgSQL_rec?.refname) return [{ kind: 'field', rec: t.PLpgSQL_rec.refname.toLowerCase(), field: '*' }];
      if (t?.PLpgSQL_var?.refname) return [{ kind: 'var', name: t.PLpgSQL_var.refname.toLowerCase() }];
      return undefined;
    };
    const unknown = (ts: Target[] | undefined, what: string) => {
      for (const target of ts ?? []) {
        if (target.kind === 'field' && target.field === '*') this.opaqueRecords.add(target.rec);
        else writes.push({ target, query: undefined, unknown: `${STORED}${what}` });
      }
    };
    /** A query's output columns, stored into a row of variables (by position) or a record (by name). */
    const fromQuery = (ts: Target[] | undefined, sql: string | undefined) => {
      if (!ts || ts.length === 0) return;
      const stmt = sql ? parseQuery(sql) : undefined;
      const { columns: outs, scope } = stmt ? this.outputs(stmt) : { columns: [], scope: undefined };
      const star = outs.some((o) => o.val?.ColumnRef?.fields?.some((f: any) => f?.A_Star));
      if (outs.length === 0 || star) return unknown(ts, 'a query result');
      if (ts.length === 1 && ts[0].kind === 'field' && ts[0].field === '*') {
        const rec = ts[0].rec;
        for (const o of outs) writes.push({ target: { kind: 'field', rec, field: outputName(o) }, expr: o.val, query: scope });
        return;
      }
      ts.forEach((target, k) => {
        if (outs[k]) writes.push({ target, expr: outs[k].val, query: scope });
      });
    };
    const q = (e: any): string | undefined => e?.PLpgSQL_expr?.query;

    for (const d of datums) {
      const v = d?.PLpgSQL_var;
      const init = q(v?.default_val);
      if (v?.refname && init) writes.push({ target: { kind: 'var', name: v.refname.toLowerCase() }, expr: parseExpression(init), query: undefined });
    }
    walk(this.fn.action, (type, s) => {
      switch (type) {
        case 'PLpgSQL_stmt_assign': {
          const target = targetOf(s.varno ?? 0);
          const text = q(s.expr);
          const m = text ? /^[^:=]*?(:=|=)/.exec(text) : null;
          if (target) writes.push({ target, expr: text && m ? parseExpression(text.slice(m[0].length)) : undefined, query: undefined, unknown: `${STORED}an assignment` });
          break;
        }
        case 'PLpgSQL_stmt_execsql':
          if (s.into) fromQuery(targets(s.target), q(s.sqlstmt));
          break;
        case 'PLpgSQL_stmt_fors':
          fromQuery(targets(s.var), q(s.query));
          break;
        case 'PLpgSQL_stmt_foreach_a': {
          const target = targetOf(s.varno ?? 0);
          if (target) writes.push({ target, expr: parseExpression(q(s.expr) ?? ''), query: undefined, unknown: `${STORED}an array` });
          break;
        }
        case 'PLpgSQL_stmt_dynexecute':
          if (s.into) unknown(targets(s.target), 'a dynamic query result');
          break;
        case 'PLpgSQL_stmt_dynfors':
          unknown(targets(s.var), 'a dynamic query result');
          break;
        case 'PLpgSQL_stmt_forc':
        case 'PLpgSQL_stmt_fetch':
          unknown(targets(s.var ?? s.target), 'a cursor');
          break;
        case 'PLpgSQL_stmt_getdiag':
          for (const item of s.diag_items ?? []) {
            const t = targetOf(item?.PLpgSQL_diag_item?.target);
            if (t) writes.push({ target: t, query: undefined, unknown: `${STORED}diagnostics` });
          }
          break;
        case 'PLpgSQL_stmt_call':
          unknown(targets(s.target), 'a procedure result');
          break;
      }
    });
    // A missing expression (one that did not parse) is an unknown value.
    return writes.map((w) => (w.expr === undefined && !w.unknown ? { ...w, unknown: `${STORED}a value` } : w));
  }

  /**
   * Propagates taint to a fixed point with a worklist: a write is re-evaluated only when a
   * variable it reads changes, and a slot only grows, so the work is bounded by the
   * number of writes times the number of sources, never by passes over the whole body.
   */
  private solve(writes: Write[]): void {
    const readers = new Map<string, number[]>();
    writes.forEach((w, k) => {
      if (!w.expr) return;
      for (const name of referencedNames(w.expr)) {
        const list = readers.get(name) ?? [];
        list.push(k);
        readers.set(name, list);
      }
    });
    this.findConstants(writes);
    const queue = writes.map((_, k) => k);
    const queued = new Set(queue);
    for (let head = 0; head < queue.length; head++) {
      const k = queue[head];
      queued.delete(k);
      const w = writes[k];
      const key = w.target.kind === 'var' ? w.target.name : `${w.target.rec}.${w.target.field}`;
      if (w.target.kind === 'var' && (this.varTypes.get(key) ?? []).every(safeType) && this.varTypes.has(key)) continue;
      const value = w.expr ? this.taint(w.expr, true, w.query).flatMap((h) => h.sources) : [w.unknown!];
      const built = w.expr ? this.taint(w.expr, false, w.query).flatMap((h) => h.sources) : [];
      const slot = this.slots.get(key) ?? { value: new Set<Source>(), built: new Set<Source>() };
      this.slots.set(key, slot);
      const before = slot.value.size + slot.built.size;
      for (const s of value) slot.value.add(s);
      for (const s of built) slot.built.add(s);
      if (slot.value.size + slot.built.size === before) continue;
      const name = w.target.kind === 'var' ? key : w.target.rec;
      for (const r of readers.get(name) ?? [])
        if (!queued.has(r)) {
          queued.add(r);
          queue.push(r);
        }
    }
  }

  /** Variables every write of which is a string constant (a literal or a CASE of them). */
  private findConstants(writes: Write[]): void {
    const values = new Map<string, string[] | null>();
    for (const w of writes) {
      if (w.target.kind !== 'var') continue;
      const name = w.target.name;
      const c = w.expr ? constantStrings(w.expr) : undefined;
      const had = values.get(name);
      values.set(name, c && had !== null ? [...(had ?? []), ...c] : null);
    }
    for (const [name, v] of values) if (v && !this.sources.has(name)) this.constants.set(name, v);
  }
}

/** What a query's FROM clause tells about its columns: names bound to series of numbers. */
interface Scope {
  numbers: Set<string>;
}

/** Functions whose rows are numbers: their aliases and column names in a FROM clause are safe. */
const NUMBER_SERIES = new Set(['generate_series', 'generate_subscripts']);

function scopeOf(fromClause: any[] | undefined): Scope {
  const numbers = new Set<string>();
  walk({ fromClause }, (type, v) => {
    if (type !== 'RangeFunction') return;
    // Each entry is a List of the call and its column definitions (empty without them).
    const calls: any[] = (v.functions ?? []).flatMap((f: any) => f?.List?.items ?? []).filter((c: any) => c?.FuncCall);
    const names = calls.map((c) => (stringList(c?.FuncCall?.funcname).pop() ?? '').toLowerCase());
    if (names.length === 0 || !names.every((n) => NUMBER_SERIES.has(n))) return;
    for (const n of names) numbers.add(n);
    if (v.alias?.aliasname) numbers.add(String(v.alias.aliasname).toLowerCase());
    for (const c of stringList(v.alias?.colnames)) numbers.add(c.toLowerCase());
  });
  return { numbers };
}

function describe(label: string, set: Set<Source>, own: Source | undefined, built: boolean): string {
  // A field read from a column of the same name needs no "from": `r.relname`, not `r.relname (from relname)`.
  const last = label.split('.').pop();
  const others = [...set].filter((s) => s !== own && sourceName(s).split('.').pop() !== last).map(sourceName);
  if (others.length === 0) return label;
  return `${label} (${built ? 'built ' : ''}from ${others.join(', ')})`;
}

function outputName(o: { name?: string; val: any }): string {
  if (o.name) return o.name.toLowerCase();
  const fields = o.val?.ColumnRef?.fields;
  if (fields) return (stringList(fields).pop() ?? '?column?').toLowerCase();
  const fname = o.val?.FuncCall ? stringList(o.val.FuncCall.funcname).pop() : undefined;
  if (fname) return fname.toLowerCase();
  let e = o.val;
  while (e?.TypeCast) e = e.TypeCast.arg;
  const inner = e?.ColumnRef?.fields;
  return inner ? (stringList(inner).pop() ?? '?column?').toLowerCase() : '?column?';
}

/** Names an expression reads: every identifier of its column references, lower-cased. */
function referencedNames(e: any): Set<string> {
  const out = new Set<string>();
  walk({ e }, (type, v) => {
    if (type === 'ColumnRef') for (const f of stringList(v.fields)) out.add(f.toLowerCase());
  });
  return out;
}

/** The string values of a constant expression, or undefined when it is not one. */
function constantStrings(e: any): string[] | undefined {
  if (e?.A_Const) return e.A_Const.isnull ? [] : e.A_Const.sval ? [e.A_Const.sval.sval ?? ''] : [];
  if (e?.TypeCast) return constantStrings(e.TypeCast.arg);
  if (e?.CaseExpr) {
    const c = e.CaseExpr;
    const parts = [...(c.args ?? []).map((w: any) => constantStrings(w?.CaseWhen?.result)), c.defresult === undefined ? [] : constantStrings(c.defresult)];
    return parts.every(Boolean) ? parts.flat() as string[] : undefined;
  }
  return undefined;
}

/**
 * Parsed expressions by text. A body is re-checked on every edit of its statement's
 * document; its expressions rarely change, and their parse is most of the rule's cost.
 * The ASTs are only read. Bounded: cleared when full.
 */
const EXPRESSIONS = new Map<string, any>();
const EXPRESSIONS_MAX = 20_000;

/** A query's statement AST (one statement), undefined when it does not parse; memoised with the expressions. */
function parseQuery(sql: string): any {
  const k = `\u0000${sql}`;
  if (EXPRESSIONS.has(k)) return EXPRESSIONS.get(k);
  const r = parseText(sql);
  const stmt = r.ok && r.stmts.length === 1 ? r.stmts[0].stmt : undefined;
  if (EXPRESSIONS.size >= EXPRESSIONS_MAX) EXPRESSIONS.clear();
  EXPRESSIONS.set(k, stmt);
  return stmt;
}

/** An expression's AST, parsed as the target of a SELECT; undefined when it does not parse. */
export function parseExpression(text: string): any {
  if (EXPRESSIONS.has(text)) return EXPRESSIONS.get(text);
  const r = parseText(`SELECT ${text}`);
  const target = r.ok && r.stmts.length === 1 ? r.stmts[0].stmt?.SelectStmt?.targetList : undefined;
  const e = Array.isArray(target) && target.length === 1 ? target[0]?.ResTarget?.val : undefined;
  if (EXPRESSIONS.size >= EXPRESSIONS_MAX) EXPRESSIONS.clear();
  EXPRESSIONS.set(text, e);
  return e;
}
