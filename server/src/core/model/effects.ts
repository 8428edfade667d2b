// What one statement does to the declared state, read from its AST alone: names are kept
// as written (unresolved), so the effect of a statement depends only on its text and can
// be remembered with its parse. The fold (state.ts) resolves names through the search_path
// in effect where the statement stands and applies the effects in migration order.
// Longer than 400 lines because it is one case per statement kind, a few lines each, read
// as one table.

import { defElemValue, qualifiedFromList, QualifiedName, rangeVarName, roleSpec, stringList } from '../sql/ast';

/** A role as a GRANT or policy names it: a role name, or `public`; CURRENT_USER and friends are `current_user`. */
export type Grantee = string;
export const PUBLIC = 'public';
/** The role running the migrations (CURRENT_USER, SESSION_USER, CURRENT_ROLE), which the files cannot name. */
export const CURRENT = 'current_user';

export type RelKind = 'table' | 'view' | 'materialized view' | 'sequence' | 'foreign table';
/** Object kinds that carry privileges. */
export type AclKind = 'table' | 'sequence' | 'function' | 'schema' | 'type' | 'database' | 'language' | 'foreign data wrapper' | 'foreign server' | 'large object' | 'tablespace' | 'parameter';

/** A function's identity: name plus input argument types (undefined when a statement gives none, which matches every overload). */
export interface FunctionRef extends QualifiedName {
  args?: string[];
}

export interface Privilege {
  name: string;
  /** Column privileges name their columns. */
  columns?: string[];
}

interface Located {
  /** Offsets of the statement (or nested statement) that has the effect. */
  start: number;
  end: number;
}

export type Effect = Located &
  (
    | { op: 'search_path'; path: string[] | undefined }
    | { op: 'set_role'; role: string | undefined }
    | { op: 'create_role'; role: string; attributes: Record<string, boolean>; inRoles: string[]; members: string[]; admins: string[] }
    | { op: 'alter_role'; role: string; attributes: Record<string, boolean> }
    | { op: 'drop_role'; roles: string[] }
    | { op: 'grant_role'; grant: boolean; roles: string[]; members: Grantee[]; options: { admin?: boolean; inherit?: boolean; set?: boolean } }
    | { op: 'create_schema'; schema: string; owner?: Grantee }
    /** `columnsComplete` is false when the statement does not list every column (LIKE, INHERITS, PARTITION OF, OF type, AS query). */
    | { op: 'create_relation'; kind: RelKind; name: QualifiedName; securityInvoker: boolean; partition: boolean; temporary: boolean; columns: string[]; columnsComplete: boolean; replace?: boolean }
    /** ALTER TABLE ... ADD COLUMN / DROP COLUMN, ALTER TABLE ... RENAME COLUMN. */
    | { op: 'columns'; table: QualifiedName; add?: string; drop?: string; rename?: { from: string; to: string } }
    /** A serial or identity column's sequence, which PostgreSQL creates with the table and drops with it. */
    | { op: 'owned_sequence'; table: QualifiedName; column: string; sequence?: QualifiedName }
    | { op: 'create_function'; fn: FunctionRef; procedure: boolean; securityDefiner: boolean; searchPath: string[] | undefined; returns: string; language: string }
    | { op: 'alter_function'; fn: FunctionRef; securityDefiner?: boolean; searchPath?: string[] | null }
    /** A range type also makes its constructor functions and its multirange's (named by `multirange`, or derived). */
    | { op: 'create_type'; name: QualifiedName; range?: { subtype: string; multirange?: QualifiedName } }
    | { op: 'owner'; kind: 'relation' | 'function' | 'schema' | 'type' | 'database'; name: FunctionRef; owner: Grantee }
    /** CREATE DATABASE: the database starts with the built-in ACL; `owner` when OWNER names one (else the role running it). */
    | { op: 'create_database'; name: string; owner?: string }
    | { op: 'rls'; table: QualifiedName; enabled?: boolean; forced?: boolean }
    | { op: 'view_option'; view: QualifiedName; securityInvoker: boolean }
    | { op: 'rename'; kind: 'relation' | 'policy' | 'function' | 'schema'; name: FunctionRef; policy?: string; to: string }
    | { op: 'set_schema'; kind: 'relation' | 'function'; name: FunctionRef; to: string }
    | { op: 'drop'; kind: 'relation' | 'function' | 'policy' | 'schema' | 'type'; names: FunctionRef[]; policy?: string; cascade: boolean }
    | {
        op: 'grant';
        grant: boolean;
        kind: AclKind;
        /** Named objects, or every object of the kind in these schemas (ON ALL ... IN SCHEMA). */
        objects: FunctionRef[];
        inSchemas?: string[];
        /** Empty for ALL [PRIVILEGES]. */
        privileges: Privilege[];
        grantees: Grantee[];
        grantOption: boolean;
      }
    | { op: 'default_privileges'; grant: boolean; kind: 'table' | 'sequence' | 'function' | 'type' | 'schema'; forRoles?: string[]; schemas?: string[]; privileges: Privilege[]; grantees: Grantee[]; grantOption: boolean }
    | { op: 'create_policy'; table: QualifiedName; policy: string; command: string; permissive: boolean; roles: Grantee[]; using?: unknown; check?: unknown }
    | { op: 'alter_policy'; table: QualifiedName; policy: string; roles?: Grantee[]; using?: unknown; check?: unknown }
    | { op: 'unknown'; reason: string }
  );

/** The role a RoleSpec names, in the model's spelling. */
function grantee(node: any): Grantee | undefined {
  const r = roleSpec(node);
  if (!r) return undefined;
  if (r.kind === 'public') return PUBLIC;
  if (r.kind === 'name') return r.name;
  return CURRENT;
}

const grantees = (nodes: any[] | undefined): Grantee[] => (nodes ?? []).map(grantee).filter((g): g is Grantee => g !== undefined);

/** A policy's roles as PostgreSQL keeps them: PUBLIC alone when it is named (the others are ignored), each role once. */
function policyRoles(nodes: any[] | undefined): Grantee[] {
  const list = [...new Set(grantees(nodes))];
  return list.includes(PUBLIC) ? [PUBLIC] : list;
}

/** Role attribute options of CREATE/ALTER ROLE, by their catalog meaning. */
const ATTRIBUTES: Record<string, string> = {
  superuser: 'superuser',
  createrole: 'createrole',
  createdb: 'createdb',
  canlogin: 'login',
  isreplication: 'replication',
  bypassrls: 'bypassrls',
  inherit: 'inherit',
};

function attributes(options: any[] | undefined): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const o of options ?? []) {
    const d = o?.DefElem;
    const key = d && ATTRIBUTES[d.defname];
    if (key) out[key] = defElemValue(d) === true;
  }
  return out;
}

function optionRoles(options: any[] | undefined, name: string): string[] {
  const d = (options ?? []).map((o) => o?.DefElem).find((x) => x?.defname === name);
  return grantees(d?.arg?.List?.items).filter((g) => g !== PUBLIC);
}

/**
 * A search_path value as PostgreSQL reads it: a comma-separated list of names, each
 * unquoted (and then lower-cased) or double-quoted.
 */
export function parseSearchPath(value: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^,\s]+))\s*(?:,|$)/gy;
  for (let m = re.exec(value); m && m[0] !== ''; m = re.exec(value)) out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2].toLowerCase());
  return out;
}

/** The search_path a list of SET arguments (constants) names. */
function searchPathArgs(args: any[] | undefined): string[] {
  // `SET search_path = a, "B"` gives one constant per name, already case-folded; a single
  // string constant may itself be a comma-separated list (`SET search_path = 'a, b'`).
  const values = (args ?? []).map((a) => a?.A_Const?.sval?.sval).filter((v: unknown): v is string => typeof v === 'string');
  return values.length === 1 && values[0].includes(',') ? parseSearchPath(values[0]) : values;
}

/** The search_path of a function's SET clauses: a list, null for RESET/FROM CURRENT, undefined when absent. */
function functionSearchPath(options: any[] | undefined): string[] | null | undefined {
  let out: string[] | null | undefined;
  for (const o of options ?? []) {
    const d = o?.DefElem;
    if (d?.defname !== 'set' && d?.defname !== 'reset') continue;
    const v = d.arg?.VariableSetStmt;
    if (v?.name !== 'search_path' && !(v?.kind === 'VAR_RESET_ALL')) continue;
    out = v.kind === 'VAR_SET_VALUE' ? searchPathArgs(v.args) : null;
  }
  return out;
}

/** A type name as a signature part: its last name part, with [] for arrays. */
export function typeSig(t: any): string {
  const names = stringList(t?.names);
  const base = names[names.length - 1] ?? '?';
  return (t?.arrayBounds ?? []).length > 0 ? `${base}[]` : base;
}

/** Input argument types of a FunctionParameter list (OUT and TABLE columns do not identify a function). */
function inputArgs(params: any[] | undefined): string[] {
  return (params ?? [])
    .map((p) => p?.FunctionParameter)
    .filter((p) => p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
    .map((p) => typeSig(p.argType));
}

function functionRef(owa: any): FunctionRef | undefined {
  const o = owa?.ObjectWithArgs ?? owa;
  const q = qualifiedFromList(o?.objname);
  if (!q) return undefined;
  if (o.args_unspecified) return q;
  const args = o.objfuncargs ? inputArgs(o.objfuncargs) : (o.objargs ?? []).map((t: any) => typeSig(t?.TypeName ?? t));
  return withArgs(q, args);
}

/** A function reference: the name (no schema key when unqualified) with its argument types. */
function withArgs(q: QualifiedName, args: string[]): FunctionRef {
  return q.schema === undefined ? { name: q.name, args } : { schema: q.schema, name: q.name, args };
}

function privileges(list: any[] | undefined): Privilege[] {
  return (list ?? [])
    .map((p) => p?.AccessPriv)
    .filter((p) => p && typeof p.priv_name === 'string')
    .map((p) => {
      const columns = stringList(p.cols);
      return columns.length ? { name: p.priv_name, columns } : { name: p.priv_name };
    });
}

const ACL_KINDS: Record<string, AclKind> = {
  OBJECT_TABLE: 'table',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'function',
  OBJECT_ROUTINE: 'function',
  OBJECT_SCHEMA: 'schema',
  OBJECT_TYPE: 'type',
  OBJECT_DOMAIN: 'type',
  OBJECT_DATABASE: 'database',
  OBJECT_LANGUAGE: 'language',
  OBJECT_FDW: 'foreign data wrapper',
  OBJECT_FOREIGN_SERVER: 'foreign server',
  OBJECT_LARGEOBJECT: 'large object',
  OBJECT_TABLESPACE: 'tablespace',
  OBJECT_PARAMETER_ACL: 'parameter',
};

const RELATION_TYPES = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_SEQUENCE', 'OBJECT_FOREIGN_TABLE', 'OBJECT_INDEX']);

/** A GRANT object's name: a RangeVar, a qualified list, a String or an ObjectWithArgs. */
function grantObject(o: any, kind: AclKind): FunctionRef | undefined {
  if (kind === 'function') return functionRef(o);
  if (o?.RangeVar) return rangeVarName(o);
  if (o?.List) return qualifiedFromList(o.List.items);
  if (o?.String) return { name: o.String.sval };
  if (o?.TypeName) return qualifiedFromList(o.TypeName.names);
  return undefined;
}

function relKind(objtype: string | undefined): RelKind {
  switch (objtype) {
    case 'OBJECT_VIEW':
      return 'view';
    case 'OBJECT_MATVIEW':
      return 'materialized view';
    case 'OBJECT_SEQUENCE':
      return 'sequence';
    case 'OBJECT_FOREIGN_TABLE':
      return 'foreign table';
    default:
      return 'table';
  }
}

function temporary(rv: any): boolean {
  const r = rv?.RangeVar ?? rv;
  return r?.relpersistence === 't' || r?.schemaname === 'pg_temp';
}

const TRUE_WORDS = new Set(['t', 'tr', 'tru', 'true', 'y', 'ye', 'yes', 'on', '1']);

/**
 * Whether reloptions hold `security_invoker` set true. A bare option name means true;
 * the value is read the way PostgreSQL's parse_bool reads it (unique prefixes of
 * true/yes, on, 1), whether the parser made it a word, a string or a number.
 */
export function securityInvoker(options: any[] | undefined): boolean {
  let on = false;
  for (const o of options ?? []) {
    const d = o?.DefElem;
    if (d?.defname !== 'security_invoker') continue;
    if (d.arg === undefined) on = true;
    else {
      const v = defElemValue(d);
      on = v === true || v === 1 || (typeof v === 'string' && TRUE_WORDS.has(v.trim().toLowerCase()));
    }
  }
  return on;
}

/** An expression AST without its `location` fields, so equal expressions compare equal wherever they stand. */
export function withoutLocations(e: unknown): unknown {
  if (!e || typeof e !== 'object') return e;
  if (Array.isArray(e)) {
    const list = new Array(e.length);
    for (let i = 0; i < e.length; i++) list[i] = withoutLocations(e[i]);
    return list;
  }
  // for-in, not Object.entries: the same keys in the same order without a pair per key.
  const out: Record<string, unknown> = {};
  const o = e as Record<string, unknown>;
  for (const k in o) if (k !== 'location') out[k] = withoutLocations(o[k]);
  return out;
}

const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

/** The sequence a serial or identity column makes (named by the identity's SEQUENCE NAME option, if any). */
function ownedSequence(table: QualifiedName, col: any, push: (e: any) => void): void {
  if (typeof col.colname !== 'string') return;
  const names = (col.typeName?.names ?? []).map((x: any) => x?.String?.sval);
  const serial = names.length === 1 && SERIAL_TYPES.has(names[0]);
  const identity = (col.constraints ?? []).find((c: any) => c?.Constraint?.contype === 'CONSTR_IDENTITY')?.Constraint;
  if (!serial && !identity) return;
  const e: any = { op: 'owned_sequence', table, column: col.colname };
  const named = (identity?.options ?? []).find((o: any) => o?.DefElem?.defname === 'sequence_name')?.DefElem;
  const sequence = qualifiedFromList(named?.arg?.List?.items);
  if (sequence) e.sequence = sequence;
  push(e);
}

/**
 * The effects of one parsed statement (its AST node and type), with `start`/`end` as given.
 * Statements that change nothing the model keeps give an empty list.
 */
export function statementEffects(type: string, n: any, start: number, end: number): Effect[] {
  const out: Effect[] = [];
  // Every effect is a fresh object literal, so its place is set on it: a spread copy per
  // effect (`{ ...e, start, end }`) cost more than the rest of this function.
  const push = (e: any) => {
    e.start = start;
    e.end = end;
    out.push(e as Effect);
  };
  switch (type) {
    case 'VariableSetStmt': {
      if (n.name === 'search_path') {
        if (n.kind === 'VAR_SET_VALUE') push({ op: 'search_path', path: searchPathArgs(n.args) });
        else if (n.kind === 'VAR_SET_DEFAULT' || n.kind === 'VAR_RESET') push({ op: 'search_path', path: undefined });
      } else if (n.name === 'role' || n.name === 'session_authorization') {
        const v = n.args?.[0]?.A_Const?.sval?.sval;
        push({ op: 'set_role', role: n.kind === 'VAR_SET_VALUE' && typeof v === 'string' && v.toLowerCase() !== 'none' ? v : undefined });
      } else if (n.kind === 'VAR_RESET_ALL') push({ op: 'search_path', path: undefined });
      break;
    }
    case 'SelectStmt': {
      // pg_dump's `SELECT pg_catalog.set_config('search_path', '', false);`
      for (const t of n.targetList ?? []) {
        const f = t?.ResTarget?.val?.FuncCall;
        if (!f || stringList(f.funcname).pop() !== 'set_config') continue;
        const [name, value] = (f.args ?? []).map((a: any) => a?.A_Const?.sval?.sval);
        if (name === 'search_path') push(typeof value === 'string' ? { op: 'search_path', path: parseSearchPath(value) } : { op: 'unknown', reason: 'search_path set from a value the files do not give' });
      }
      const rel = n.intoClause?.rel;
      const into = rangeVarName(rel);
      if (into) push({ op: 'create_relation', kind: 'table', name: into, securityInvoker: false, partition: false, temporary: temporary(rel), columns: [], columnsComplete: false });
      break;
    }
    case 'CreateRoleStmt': {
      if (typeof n.role !== 'string') break;
      const attrs = attributes(n.options);
      if (n.stmt_type === 'ROLESTMT_USER' && attrs.login === undefined) attrs.login = true;
      push({ op: 'create_role', role: n.role, attributes: attrs, inRoles: optionRoles(n.options, 'addroleto'), members: optionRoles(n.options, 'rolemembers'), admins: optionRoles(n.options, 'adminmembers') });
      break;
    }
    case 'AlterRoleStmt': {
      const r = grantee(n.role);
      if (!r || r === PUBLIC) break;
      const attrs = attributes(n.options);
      if (Object.keys(attrs).length) push({ op: 'alter_role', role: r, attributes: attrs });
      // ALTER GROUP g ADD/DROP USER u is a membership change.
      const members = optionRoles(n.options, 'rolemembers');
      if (members.length) push({ op: 'grant_role', grant: n.action !== -1, roles: [r], members, options: {} });
      break;
    }
    case 'DropRoleStmt': {
      const roles = grantees(n.roles).filter((g) => g !== PUBLIC);
      if (roles.length) push({ op: 'drop_role', roles });
      break;
    }
    case 'GrantRoleStmt': {
      const roles = (n.granted_roles ?? []).map((g: any) => g?.AccessPriv?.priv_name).filter((r: unknown): r is string => typeof r === 'string');
      const options: { admin?: boolean; inherit?: boolean; set?: boolean } = {};
      for (const o of n.opt ?? []) {
        const d = o?.DefElem;
        if (d?.defname === 'admin' || d?.defname === 'inherit' || d?.defname === 'set') options[d.defname as 'admin'] = defElemValue(d) === true;
      }
      push({ op: 'grant_role', grant: n.is_grant === true, roles, members: grantees(n.grantee_roles), options });
      break;
    }
    case 'CreateSchemaStmt': {
      const owner = grantee(n.authrole);
      const schema: string | undefined = n.schemaname ?? (owner !== PUBLIC ? owner : undefined);
      if (!schema) break;
      push(owner ? { op: 'create_schema', schema, owner } : { op: 'create_schema', schema });
      for (const e of n.schemaElts ?? []) {
        const k = Object.keys(e ?? {})[0];
        if (!k) continue;
        // Elements are created in the new schema whatever the search_path says.
        for (const x of statementEffects(k, e[k], start, end)) {
          const anyX = x as any;
          if (anyX.name && !anyX.name.schema) anyX.name = { schema, name: anyX.name.name };
          if (anyX.table && !anyX.table.schema) anyX.table = { schema, name: anyX.table.name };
          out.push(x);
        }
      }
      break;
    }
    case 'CreateStmt': {
      const name = rangeVarName(n.relation);
      if (!name) break;
      const elements: any[] = n.tableElts ?? [];
      const columns = elements.map((e: any) => e?.ColumnDef?.colname).filter((c: unknown): c is string => typeof c === 'string');
      // Columns copied from elsewhere (LIKE, a parent, a partitioned table, a composite type) are not in the statement.
      const columnsComplete = !n.partbound && !n.ofTypename && !(n.inhRelations ?? []).length && elements.every((e: any) => e?.ColumnDef || e?.Constraint);
      push({ op: 'create_relation', kind: 'table', name, securityInvoker: false, partition: !!n.partbound, temporary: temporary(n.relation), columns, columnsComplete });
      if (!temporary(n.relation)) for (const e of n.tableElts ?? []) if (e?.ColumnDef) ownedSequence(name, e.ColumnDef, push);
      break;
    }
    case 'CreateForeignTableStmt': {
      const name = rangeVarName(n.base?.relation);
      if (name) push({ op: 'create_relation', kind: 'foreign table', name, securityInvoker: false, partition: false, temporary: false, columns: [], columnsComplete: false });
      break;
    }
    case 'CreateTableAsStmt': {
      const name = rangeVarName(n.into?.rel);
      if (name) push({ op: 'create_relation', kind: n.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : 'table', name, securityInvoker: false, partition: false, temporary: temporary(n.into?.rel), columns: [], columnsComplete: false });
      break;
    }
    case 'ViewStmt': {
      const name = rangeVarName(n.view);
      if (name) push({ op: 'create_relation', kind: 'view', name, securityInvoker: securityInvoker(n.options), partition: false, temporary: temporary(n.view), columns: [], columnsComplete: false, replace: n.replace === true });
      break;
    }
    case 'CreateSeqStmt': {
      const name = rangeVarName(n.sequence);
      if (name) push({ op: 'create_relation', kind: 'sequence', name, securityInvoker: false, partition: false, temporary: temporary(n.sequence), columns: [], columnsComplete: false });
      break;
    }
    case 'CompositeTypeStmt':
    case 'CreateEnumStmt':
    case 'CreateRangeStmt': {
      const name = type === 'CompositeTypeStmt' ? rangeVarName(n.typevar) : qualifiedFromList(n.typeName);
      if (!name) break;
      const e: any = { op: 'create_type', name };
      if (type === 'CreateRangeStmt') {
        const param = (p: string) => (n.params ?? []).find((d: any) => d?.DefElem?.defname === p)?.DefElem?.arg?.TypeName;
        const subtype = param('subtype');
        const multirange = qualifiedFromList(param('multirange_type_name')?.names);
        if (subtype) e.range = multirange ? { subtype: typeSig(subtype), multirange } : { subtype: typeSig(subtype) };
      }
      push(e);
      break;
    }
    case 'CreateDomainStmt': {
      const name = qualifiedFromList(n.domainname);
      if (name) push({ op: 'create_type', name });
      break;
    }
    case 'CreateFunctionStmt': {
      const q = qualifiedFromList(n.funcname);
      if (!q) break;
      const opts: any[] = n.options ?? [];
      const language = String(opts.map((o) => o?.DefElem).find((d) => d?.defname === 'language')?.arg?.String?.sval ?? (n.sql_body ? 'sql' : '')).toLowerCase();
      const security = opts.map((o) => o?.DefElem).find((d) => d?.defname === 'security');
      push({
        op: 'create_function',
        fn: withArgs(q, inputArgs(n.parameters)),
        procedure: n.is_procedure === true,
        securityDefiner: security ? defElemValue(security) === true : false,
        searchPath: functionSearchPath(opts) ?? undefined,
        returns: n.returnType ? typeSig(n.returnType).toLowerCase() : '',
        language,
      });
      break;
    }
    case 'AlterFunctionStmt': {
      const fn = functionRef(n.func);
      if (!fn) break;
      const security = (n.actions ?? []).map((o: any) => o?.DefElem).find((d: any) => d?.defname === 'security');
      const searchPath = functionSearchPath(n.actions);
      const e: any = { op: 'alter_function', fn };
      if (security) e.securityDefiner = defElemValue(security) === true;
      if (searchPath !== undefined) e.searchPath = searchPath;
      if (e.securityDefiner !== undefined || e.searchPath !== undefined) push(e);
      break;
    }
    case 'AlterOwnerStmt': {
      const owner = grantee(n.newowner);
      if (!owner) break;
      const t: string = n.objectType;
      if (t === 'OBJECT_FUNCTION' || t === 'OBJECT_PROCEDURE' || t === 'OBJECT_ROUTINE') {
        const fn = functionRef(n.object);
        if (fn) push({ op: 'owner', kind: 'function', name: fn, owner });
      } else if (t === 'OBJECT_SCHEMA') {
        const s = n.object?.String?.sval;
        if (typeof s === 'string') push({ op: 'owner', kind: 'schema', name: { name: s }, owner });
      } else if (t === 'OBJECT_TYPE' || t === 'OBJECT_DOMAIN') {
        const q = qualifiedFromList(n.object?.List?.items ?? n.object?.TypeName?.names);
        if (q) push({ op: 'owner', kind: 'type', name: q, owner });
      } else if (t === 'OBJECT_DATABASE') {
        const d = n.object?.String?.sval;
        if (typeof d === 'string') push({ op: 'owner', kind: 'database', name: { name: d }, owner });
      }
      break;
    }
    case 'CreatedbStmt': {
      if (typeof n.dbname !== 'string') break;
      const owner = (n.options ?? []).map((o: any) => o?.DefElem).find((d: any) => d?.defname === 'owner');
      const value = owner ? defElemValue(owner) : undefined;
      push(typeof value === 'string' ? { op: 'create_database', name: n.dbname, owner: value } : { op: 'create_database', name: n.dbname });
      break;
    }
    case 'AlterTableStmt': {
      const name = rangeVarName(n.relation);
      if (!name) break;
      for (const c of n.cmds ?? []) {
        const cmd = c?.AlterTableCmd;
        switch (cmd?.subtype) {
          case 'AT_AddColumn':
            if (typeof cmd.def?.ColumnDef?.colname === 'string') push({ op: 'columns', table: name, add: cmd.def.ColumnDef.colname });
            if (cmd.def?.ColumnDef) ownedSequence(name, cmd.def.ColumnDef, push);
            break;
          case 'AT_DropColumn':
            if (typeof cmd.name === 'string') push({ op: 'columns', table: name, drop: cmd.name });
            break;
          case 'AT_AddIdentity':
            if (typeof cmd.name === 'string') ownedSequence(name, { colname: cmd.name, constraints: [cmd.def] }, push);
            break;
          case 'AT_EnableRowSecurity':
            push({ op: 'rls', table: name, enabled: true });
            break;
          case 'AT_DisableRowSecurity':
            push({ op: 'rls', table: name, enabled: false });
            break;
          case 'AT_ForceRowSecurity':
            push({ op: 'rls', table: name, forced: true });
            break;
          case 'AT_NoForceRowSecurity':
            push({ op: 'rls', table: name, forced: false });
            break;
          case 'AT_ChangeOwner': {
            const owner = grantee(cmd.newowner);
            if (owner) push({ op: 'owner', kind: 'relation', name, owner });
            break;
          }
          case 'AT_SetRelOptions':
          case 'AT_ResetRelOptions': {
            const items = cmd.def?.List?.items;
            if (!(items ?? []).some((o: any) => o?.DefElem?.defname === 'security_invoker')) break;
            const on = cmd.subtype === 'AT_SetRelOptions' ? securityInvoker(items) : false;
            push({ op: 'view_option', view: name, securityInvoker: on });
            break;
          }
        }
      }
      break;
    }
    case 'AlterObjectSchemaStmt': {
      const t: string = n.objectType;
      if (typeof n.newschema !== 'string') break;
      if (RELATION_TYPES.has(t) && t !== 'OBJECT_INDEX') {
        const name = rangeVarName(n.relation);
        if (name) push({ op: 'set_schema', kind: 'relation', name, to: n.newschema });
      } else if (t === 'OBJECT_FUNCTION' || t === 'OBJECT_PROCEDURE' || t === 'OBJECT_ROUTINE') {
        const fn = functionRef(n.object);
        if (fn) push({ op: 'set_schema', kind: 'function', name: fn, to: n.newschema });
      }
      break;
    }
    case 'RenameStmt': {
      const t: string = n.renameType;
      if (typeof n.newname !== 'string') break;
      if (RELATION_TYPES.has(t) && t !== 'OBJECT_INDEX') {
        const name = rangeVarName(n.relation);
        if (name) push({ op: 'rename', kind: 'relation', name, to: n.newname });
      } else if (t === 'OBJECT_COLUMN') {
        const name = rangeVarName(n.relation);
        if (name && typeof n.subname === 'string') push({ op: 'columns', table: name, rename: { from: n.subname, to: n.newname } });
      } else if (t === 'OBJECT_POLICY') {
        const name = rangeVarName(n.relation);
        if (name && typeof n.subname === 'string') push({ op: 'rename', kind: 'policy', name, policy: n.subname, to: n.newname });
      } else if (t === 'OBJECT_FUNCTION' || t === 'OBJECT_PROCEDURE' || t === 'OBJECT_ROUTINE') {
        const fn = functionRef(n.object);
        if (fn) push({ op: 'rename', kind: 'function', name: fn, to: n.newname });
      } else if (t === 'OBJECT_SCHEMA' && typeof n.subname === 'string') push({ op: 'rename', kind: 'schema', name: { name: n.subname }, to: n.newname });
      break;
    }
    case 'DropStmt': {
      const t: string = n.removeType;
      const cascade = n.behavior === 'DROP_CASCADE';
      if (RELATION_TYPES.has(t) && t !== 'OBJECT_INDEX') {
        const names = (n.objects ?? []).map((o: any) => qualifiedFromList(o?.List?.items)).filter(Boolean) as QualifiedName[];
        if (names.length) push({ op: 'drop', kind: 'relation', names, cascade });
      } else if (t === 'OBJECT_FUNCTION' || t === 'OBJECT_PROCEDURE' || t === 'OBJECT_ROUTINE') {
        const names = (n.objects ?? []).map(functionRef).filter(Boolean) as FunctionRef[];
        if (names.length) push({ op: 'drop', kind: 'function', names, cascade });
      } else if (t === 'OBJECT_POLICY') {
        for (const o of n.objects ?? []) {
          const parts = stringList(o?.List?.items);
          const policy = parts.pop();
          const table = qualifiedFromList(parts.map((s) => ({ String: { sval: s } })));
          if (policy && table) push({ op: 'drop', kind: 'policy', names: [table], policy, cascade });
        }
      } else if (t === 'OBJECT_SCHEMA') {
        const names = (n.objects ?? []).map((o: any) => o?.String?.sval).filter((s: unknown) => typeof s === 'string').map((s: string) => ({ name: s }));
        if (names.length) push({ op: 'drop', kind: 'schema', names, cascade });
      } else if (t === 'OBJECT_TYPE' || t === 'OBJECT_DOMAIN') {
        const names = (n.objects ?? []).map((o: any) => qualifiedFromList(o?.TypeName?.names ?? o?.List?.items)).filter(Boolean) as QualifiedName[];
        if (names.length) push({ op: 'drop', kind: 'type', names, cascade });
      }
      break;
    }
    case 'GrantStmt': {
      const kind = ACL_KINDS[n.objtype];
      if (!kind) break;
      const all = n.targtype === 'ACL_TARGET_ALL_IN_SCHEMA';
      const objects = all ? [] : ((n.objects ?? []).map((o: any) => grantObject(o, kind)).filter(Boolean) as FunctionRef[]);
      const e: any = { op: 'grant', grant: n.is_grant === true, kind, objects, privileges: privileges(n.privileges), grantees: grantees(n.grantees), grantOption: n.grant_option === true };
      if (all) e.inSchemas = stringList(n.objects);
      push(e);
      break;
    }
    case 'AlterDefaultPrivilegesStmt': {
      const a = n.action;
      const kind = ACL_KINDS[a?.objtype];
      if (!a || (kind !== 'table' && kind !== 'sequence' && kind !== 'function' && kind !== 'type' && kind !== 'schema')) break;
      const opts = (n.options ?? []).map((o: any) => o?.DefElem);
      const schemas = opts.find((d: any) => d?.defname === 'schemas');
      const roles = opts.find((d: any) => d?.defname === 'roles');
      const e: any = { op: 'default_privileges', grant: a.is_grant === true, kind, privileges: privileges(a.privileges), grantees: grantees(a.grantees), grantOption: a.grant_option === true };
      if (roles) e.forRoles = grantees(roles.arg?.List?.items);
      if (schemas) e.schemas = stringList(schemas.arg?.List?.items);
      push(e);
      break;
    }
    case 'CreatePolicyStmt': {
      const table = rangeVarName(n.table);
      if (!table || typeof n.policy_name !== 'string') break;
      const roles = policyRoles(n.roles);
      const e: any = { op: 'create_policy', table, policy: n.policy_name, command: String(n.cmd_name ?? 'all').toLowerCase(), permissive: n.permissive === true, roles: roles.length ? roles : [PUBLIC] };
      if (n.qual) e.using = withoutLocations(n.qual);
      if (n.with_check) e.check = withoutLocations(n.with_check);
      push(e);
      break;
    }
    case 'AlterPolicyStmt': {
      const table = rangeVarName(n.table);
      if (!table || typeof n.policy_name !== 'string') break;
      const e: any = { op: 'alter_policy', table, policy: n.policy_name };
      if (n.roles) e.roles = policyRoles(n.roles);
      if (n.qual) e.using = withoutLocations(n.qual);
      if (n.with_check) e.check = withoutLocations(n.with_check);
      push(e);
      break;
    }
  }
  return out;
}
