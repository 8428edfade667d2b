// Facts one SQL file contributes to the workspace model: which tables it creates, where
// it enables or forces row-level security, which policies, superusers and SECURITY
// DEFINER functions it declares. Rules consult the merged facts of every file, so RLS
// enabled in a later migration counts for a table created in an earlier one.

import { defElemValue, qualifiedFromList, QualifiedName, rangeVarName, roleSpec, stringList } from './ast';
import { SqlDocument, SqlStmt } from './document';
import { Effect, securityInvoker, statementEffects } from '../model/effects';
import { FileLayout } from '../model/layout';
import { expectedToFail } from './expected-failure';

export { securityInvoker };

export interface LocatedName extends QualifiedName {
  uri: string;
  start: number;
  end: number;
}

export interface FileFacts {
  tables: LocatedName[];
  rlsEnabled: LocatedName[];
  rlsForced: QualifiedName[];
  policies: QualifiedName[];
  /** Roles created or altered WITH SUPERUSER. */
  superusers: string[];
  /** Roles created in the file, any attributes. */
  roles: string[];
  definerFunctions: LocatedName[];
  /** Functions whose EXECUTE is revoked from PUBLIC, by name. */
  publicExecuteRevoked: QualifiedName[];
  /** Schemas where EXECUTE on all (or all future) functions is revoked from PUBLIC; '*' for every schema. */
  publicExecuteRevokedSchemas: string[];
  /**
   * Every REVOKE EXECUTE ... FROM PUBLIC on functions, with where it stands, so a rule can
   * tell which functions it covers: ON ALL FUNCTIONS IN SCHEMA covers the functions that
   * exist when it runs, ALTER DEFAULT PRIVILEGES the ones created after it.
   */
  executeRevokes: ExecuteRevoke[];
  /** Functions and procedures created or altered with SET search_path. */
  searchPathSet: QualifiedName[];
  /** Views altered with SET (security_invoker = true) (CREATE VIEW options are read from the statement). */
  securityInvokerViews: QualifiedName[];
  /** Policies created AS RESTRICTIVE, by table and policy name. */
  restrictivePolicies: Array<{ table: QualifiedName; policy: string }>;
  /** What each statement does to the declared state, in statement order (core/model folds them). */
  effects: Effect[];
  /** The file's place in its project's migrations (kind and order), when known. */
  layout?: FileLayout;
}

export type ExecuteRevoke =
  | { kind: 'function'; name: QualifiedName; uri: string; start: number }
  | { kind: 'schema'; schema: string; uri: string; start: number }
  /** A global ALTER DEFAULT PRIVILEGES (no IN SCHEMA), for every role or only for `roles`. */
  | { kind: 'default'; roles?: string[]; uri: string; start: number };

export function emptyFacts(): FileFacts {
  return {
    tables: [],
    rlsEnabled: [],
    rlsForced: [],
    policies: [],
    superusers: [],
    roles: [],
    definerFunctions: [],
    publicExecuteRevoked: [],
    publicExecuteRevokedSchemas: [],
    executeRevokes: [],
    searchPathSet: [],
    securityInvokerViews: [],
    restrictivePolicies: [],
    effects: [],
  };
}

/**
 * One statement's facts, remembered by its AST node (shared through the ParseCache by
 * statement text), so an edit re-extracts only the statements it touched. `facts` holds
 * only the kinds of facts the statement has, at the place `base` where they were first
 * collected; it is undefined when the statement contributes none.
 */
interface StmtFacts {
  uri: string;
  base: number;
  facts: Partial<FileFacts> | undefined;
  /** The facts last placed at `base`, reused while the statement stays there. */
  placed?: { base: number; facts: Partial<FileFacts> };
}

/** Where a node keeps its remembered facts: a symbol, which JSON, Object.keys and for-in never see. */
const FACTS = Symbol('pgwarden.facts');

type FactList = keyof Omit<FileFacts, 'layout'>;
const FACT_LISTS = Object.keys(emptyFacts()) as FactList[];

export function extractFacts(doc: SqlDocument): FileFacts {
  const collector = new FactsCollector(doc.uri, doc.text, doc.layout);
  for (const s of doc.statements) collector.add(s);
  return collector.facts;
}

/**
 * A file's facts collected statement by statement, in document order: a one-shot parse
 * hands each statement over as soon as it is parsed, so its tree can go right after.
 */
export class FactsCollector {
  readonly facts = emptyFacts();
  // Statements are collected into one set of lists, and only the lists a statement filled
  // are taken from it: most statements have one or two kinds of facts, and fourteen new
  // lists per statement were most of the garbage a large file made here.
  private readonly scratch = emptyFacts();

  constructor(
    private readonly uri: string,
    private readonly text: string,
    layout: FileLayout | undefined,
  ) {
    if (layout) this.facts.layout = layout;
  }

  add(s: SqlStmt): void {
    // A Down section or down migration undoes the schema; it does not build it.
    if (s.down || expectedToFail(this.text, Math.max(s.unit.end, s.unit.semicolon + 1))) return;
    const { uri, scratch } = this;
    const base = s.unit.start;
    const node = s.node && typeof s.node === 'object' ? (s.node as { [FACTS]?: StmtFacts }) : undefined;
    let memo = node?.[FACTS];
    if (!memo || memo.uri !== uri) {
      // Collected where the statement stands now, which is where a one-shot run needs them;
      // a later version of the document moves copies of them.
      collect(s, uri, scratch, 0);
      collectNested(s, uri, scratch, 0);
      // The fold reads effects in statement order; a DO block's come in body order.
      if (scratch.effects.length > 1) scratch.effects.sort((a, b) => a.start - b.start);
      // A transient statement's tree goes after this: a memo on it would go with it.
      if (s.transient) return drain(scratch, this.facts);
      const own = take(scratch);
      memo = { uri, base, facts: own, placed: own && { base, facts: own } };
      if (node) node[FACTS] = memo;
    }
    if (!memo.facts) return;
    // Statements before an edit keep their place (and after it too when the length did
    // not change): their located facts are the objects of the previous version.
    if (memo.placed?.base !== base) memo.placed = { base, facts: shifted(memo.facts, base - memo.base) };
    append(this.facts, memo.placed.facts);
  }
}

/** The lists `scratch` holds something in, moved out of it (undefined when every list is empty). */
function take(scratch: FileFacts): Partial<FileFacts> | undefined {
  let out: Record<string, unknown[]> | undefined;
  for (const key of FACT_LISTS) {
    const list = scratch[key] as unknown[];
    if (list.length === 0) continue;
    (out ??= {})[key] = list;
    (scratch[key] as unknown[]) = [];
  }
  return out as Partial<FileFacts> | undefined;
}

/** Moves what `scratch` holds to the end of `into`'s lists. */
function drain(scratch: FileFacts, into: FileFacts): void {
  for (const key of FACT_LISTS) {
    const list = scratch[key] as unknown[];
    if (list.length === 0) continue;
    const to = into[key] as unknown[];
    for (let i = 0; i < list.length; i++) to.push(list[i]);
    list.length = 0;
  }
}

/** A located name `delta` further on. (Unqualified names have no schema key at all, as rangeVarName makes them.) */
function locatedAt(l: LocatedName, delta: number): LocatedName {
  return l.schema === undefined
    ? { name: l.name, uri: l.uri, start: l.start + delta, end: l.end + delta }
    : { schema: l.schema, name: l.name, uri: l.uri, start: l.start + delta, end: l.end + delta };
}

/** A statement's remembered facts with their offsets moved by `delta`, to where the statement stands now. */
function shifted(from: Partial<FileFacts>, delta: number): Partial<FileFacts> {
  // An object literal of one shape is much cheaper than a spread per fact on a large file.
  const at = (l: LocatedName): LocatedName => locatedAt(l, delta);
  const out: Partial<FileFacts> = { ...from };
  if (from.tables) out.tables = from.tables.map(at);
  if (from.rlsEnabled) out.rlsEnabled = from.rlsEnabled.map(at);
  // ALTER TABLE ... FORCE pushes the located name too; its offsets move like the others.
  if (from.rlsForced) out.rlsForced = from.rlsForced.map((l) => ('start' in l ? at(l as LocatedName) : l));
  if (from.definerFunctions) out.definerFunctions = from.definerFunctions.map(at);
  if (from.executeRevokes) out.executeRevokes = from.executeRevokes.map((r) => ({ ...r, start: r.start + delta }));
  if (from.effects) out.effects = from.effects.map((e) => placedEffect(e, delta));
  return out;
}

/**
 * The effect each moved effect was made from (the one first collected for its statement):
 * comparing two versions of a file's effects is then an identity check per unchanged
 * statement instead of a deep comparison. A WeakMap, not a property: an extra (symbol)
 * property on the effects turned them into slow objects and made every fold several
 * times slower.
 */
export const EFFECT_ORIGIN = new WeakMap<Effect, Effect>();

function placedEffect(e: Effect, delta: number): Effect {
  const placed = { ...e, start: e.start + delta, end: e.end + delta } as Effect;
  EFFECT_ORIGIN.set(placed, e);
  return placed;
}

function append(into: FileFacts, from: Partial<FileFacts>): void {
  for (const key in from) {
    const list = from[key as FactList] as unknown[];
    const to = into[key as FactList] as unknown[];
    for (let i = 0; i < list.length; i++) to.push(list[i]);
  }
}

/**
 * Facts of the statements a DO block runs (its own and those of constant EXECUTEs), at
 * their places in the body; an EXECUTE of a string built at run time is recorded as
 * unknown. Routine bodies are rules' input but no facts: they run only when called.
 */
function collectNested(s: SqlStmt, uri: string, f: FileFacts, base: number): void {
  // A routine's body (and whatever it nests) runs only when called: nothing in it has the
  // 'do' origin, so its PL/pgSQL is left for the rules to parse if they need it.
  if (s.type !== 'DoStmt') return;
  const { stmts, unknowns } = s.nested();
  for (const u of unknowns)
    if (u.origin === 'do') f.effects.push({ op: 'unknown', reason: 'EXECUTE of a string built at run time', start: u.start - base, end: u.end - base });
  for (const n of stmts) {
    if (n.nesting?.origin !== 'do') continue;
    collect(n, uri, f, base);
    collectNested(n, uri, f, base);
  }
}

/** Collects one statement's facts with offsets relative to `base`. */
function collect(s: SqlStmt, uri: string, f: FileFacts, base: number): void {
  const n = s.node;
  // A nested statement decoded from a quoted body or built by EXECUTE has offsets of its
  // own; facts are placed in the document.
  const start = s.exact ? s.start : s.toDocument(s.start);
  const end = s.exact ? s.end : s.toDocumentEnd(s.end);
  const located = (q: QualifiedName | undefined): LocatedName | undefined =>
    q === undefined ? undefined : q.schema === undefined ? { name: q.name, uri, start: start - base, end: end - base } : { schema: q.schema, name: q.name, uri, start: start - base, end: end - base };
  for (const e of statementEffects(s.type, n, start - base, end - base)) f.effects.push(e);
  switch (s.type) {
    case 'CreateStmt': {
      const t = located(rangeVarName(n.relation));
      if (t && !isTemporary(n.relation)) f.tables.push(t);
      break;
    }
    case 'CreateSchemaStmt': {
      const schema: string | undefined = n.schemaname ?? n.authrole?.RoleSpec?.rolename ?? n.authrole?.rolename;
      for (const e of n.schemaElts ?? []) {
        const t = located(rangeVarName(e?.CreateStmt?.relation));
        if (t && schema && !isTemporary(e.CreateStmt.relation)) f.tables.push({ ...t, schema: t.schema ?? schema });
      }
      break;
    }
    case 'CreateTableAsStmt': {
      const rel = n.into?.rel;
      const t = located(rangeVarName(rel));
      if (t && n.objtype === 'OBJECT_TABLE' && !isTemporary(rel)) f.tables.push(t);
      break;
    }
    case 'SelectStmt': {
      const rel = n.intoClause?.rel;
      const t = located(rangeVarName(rel));
      if (t && !isTemporary(rel)) f.tables.push(t);
      break;
    }
    case 'AlterTableStmt': {
      const t = located(rangeVarName(n.relation));
      if (!t) break;
      for (const c of n.cmds ?? []) {
        const sub = c?.AlterTableCmd?.subtype;
        if (sub === 'AT_EnableRowSecurity') f.rlsEnabled.push(t);
        else if (sub === 'AT_ForceRowSecurity') f.rlsForced.push(t);
        else if (sub === 'AT_SetRelOptions' && n.objtype === 'OBJECT_VIEW' && securityInvoker(c.AlterTableCmd.def?.List?.items))
          f.securityInvokerViews.push(rangeVarName(n.relation)!);
      }
      break;
    }
    case 'CreatePolicyStmt': {
      const t = rangeVarName(n.table);
      if (t) f.policies.push(t);
      // The parser leaves out `permissive` when it is false, i.e. AS RESTRICTIVE.
      if (t && !n.permissive && typeof n.policy_name === 'string') f.restrictivePolicies.push({ table: t, policy: n.policy_name });
      break;
    }
    case 'CreateRoleStmt': {
      if (typeof n.role === 'string') {
        f.roles.push(n.role);
        if (hasTrueOption(n.options, 'superuser')) f.superusers.push(n.role);
      }
      break;
    }
    case 'AlterRoleStmt': {
      const r = roleSpec(n.role);
      if (r?.name && hasTrueOption(n.options, 'superuser')) f.superusers.push(r.name);
      break;
    }
    case 'CreateFunctionStmt': {
      const q = located(qualifiedFromList(n.funcname));
      if (q && hasTrueOption(n.options, 'security')) f.definerFunctions.push(q);
      if (q && setsSearchPath(n.options)) f.searchPathSet.push(qualifiedFromList(n.funcname)!);
      break;
    }
    case 'AlterFunctionStmt': {
      const q = qualifiedFromList(n.func?.objname);
      if (q && setsSearchPath(n.actions)) f.searchPathSet.push(q);
      break;
    }
    case 'GrantStmt': {
      if (n.is_grant || n.objtype !== 'OBJECT_FUNCTION' && n.objtype !== 'OBJECT_PROCEDURE' && n.objtype !== 'OBJECT_ROUTINE') break;
      if (!revokesExecute(n) || !toPublic(n)) break;
      if (n.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') {
        const schemas = stringList(n.objects);
        f.publicExecuteRevokedSchemas.push(...schemas);
        for (const schema of schemas) f.executeRevokes.push({ kind: 'schema', schema, uri, start: start - base });
      } else
        for (const o of n.objects ?? []) {
          const q = qualifiedFromList(o?.ObjectWithArgs?.objname);
          if (q) {
            f.publicExecuteRevoked.push(q);
            f.executeRevokes.push({ kind: 'function', name: q, uri, start: start - base });
          }
        }
      break;
    }
    case 'AlterDefaultPrivilegesStmt': {
      const a = n.action;
      if (!a || a.is_grant || (a.objtype !== 'OBJECT_FUNCTION' && a.objtype !== 'OBJECT_ROUTINE')) break;
      if (!revokesExecute(a) || !toPublic(a)) break;
      // Per-schema default privileges only add to the global ones, so a per-schema REVOKE
      // cannot take away PUBLIC's built-in EXECUTE (see ALTER DEFAULT PRIVILEGES, Notes):
      // only a global one (no IN SCHEMA) counts.
      if ((n.options ?? []).some((d: any) => d?.DefElem?.defname === 'schemas')) break;
      const forRoles = (n.options ?? []).find((d: any) => d?.DefElem?.defname === 'roles');
      const roles = forRoles
        ? (forRoles.DefElem.arg?.List?.items ?? []).map((r: any) => roleSpec(r)?.name).filter((r: unknown) => typeof r === 'string')
        : undefined;
      f.publicExecuteRevokedSchemas.push('*');
      f.executeRevokes.push(roles ? { kind: 'default', roles, uri, start: start - base } : { kind: 'default', uri, start: start - base });
      break;
    }
  }
}

/** A temporary table: TEMP/TEMPORARY, or created in the session's `pg_temp` schema. */
export function isTemporary(rangeVar: any): boolean {
  const r = rangeVar?.RangeVar ?? rangeVar;
  return r?.relpersistence === 't' || r?.schemaname === 'pg_temp';
}

/** Whether function options (CREATE) or actions (ALTER) hold `SET search_path ...` (not RESET). */
export function setsSearchPath(options: any[] | undefined): boolean {
  return (options ?? []).some((o) => {
    const v = o?.DefElem?.defname === 'set' ? o.DefElem.arg?.VariableSetStmt : undefined;
    return v?.name === 'search_path' && (v.kind === 'VAR_SET_VALUE' || v.kind === 'VAR_SET_CURRENT');
  });
}

function hasTrueOption(options: any[] | undefined, name: string): boolean {
  return (options ?? []).some((o) => o?.DefElem?.defname === name && defElemValue(o.DefElem) === true);
}

function revokesExecute(g: any): boolean {
  const privs = g.privileges ?? [];
  // No privilege list means ALL.
  return privs.length === 0 || privs.some((p: any) => p?.AccessPriv?.priv_name === 'execute');
}

function toPublic(g: any): boolean {
  return (g.grantees ?? []).some((r: any) => roleSpec(r)?.kind === 'public');
}
