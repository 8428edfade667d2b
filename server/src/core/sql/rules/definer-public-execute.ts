// definer-public-execute: a SECURITY DEFINER function that every role may call. EXECUTE
// on a new function is granted to PUBLIC by default, so unless it is revoked, any role
// (including roles created later) runs the function with its owner's rights.

import { fix, insert } from '../../fix';
import { Finding } from '../../rules';
import { defElemValue, formatName, qualifiedFromList, stringList, walk } from '../ast';
import { PUBLIC } from '../../model/effects';
import { Model } from '../../model/model';
import { FunctionState } from '../../model/state';
import { qualifiedNameEnd, quoteIdent, quoteQualified, statementInsertion } from '../quote';
import { definerMadeHere } from '../final-state';
import { bodyStatements } from '../body-sql';
import { SqlStmt } from '../document';
import { SqlRule } from '../rule';

export const definerPublicExecute: SqlRule = {
  meta: {
    id: 'definer-public-execute',
    language: 'sql',
    defaultSeverity: 'warning',
    description: 'A SECURITY DEFINER function or procedure whose EXECUTE is never revoked from PUBLIC: every role can run it with its owner\'s rights.',
    fixable: true,
  },
  types: ['CreateFunctionStmt'],
  skipTests: true,
  check(stmt, ctx) {
    const n = stmt.node;
    if (!(n.options ?? []).some((o: any) => o?.DefElem?.defname === 'security' && defElemValue(o.DefElem) === true)) return [];
    const fn = qualifiedFromList(n.funcname);
    if (!fn || returnsTrigger(n)) return [];
    const state = definerMadeHere(stmt, ctx, fn);
    if (state === null) return [];
    if (state) {
      // The final state: EXECUTE for PUBLIC after every grant, revoke (named, ON ALL
      // FUNCTIONS IN SCHEMA, default privileges) and later CREATE OR REPLACE; and PUBLIC
      // needs USAGE on the schema to reach the function at all.
      const m = ctx.workspace.model(ctx.doc.uri);
      if (!m.executableBy(state) || m.schemaUsage(state.schema) === false || calledByPublicPolicy(m, state) || readsOnlyCounters(stmt, m)) return [];
    } else if (ctx.workspace.executeRevokedFromPublicAt(fn, { uri: ctx.doc.uri, start: stmt.start })) return [];
    const kw = stmt.find(/\b(FUNCTION|PROCEDURE)\s+/i);
    if (!kw) return [];
    const start = kw.end;
    const end = stmt.unit.start + qualifiedNameEnd(stmt.unit.parseText, start - stmt.unit.start);
    const kind = n.is_procedure ? 'PROCEDURE' : 'FUNCTION';
    const signature = `${quoteQualified(fn)}(${argumentTypes(n.parameters).join(', ')})`;
    const revoke = `REVOKE EXECUTE ON ${kind} ${signature} FROM PUBLIC;`;
    const ins = statementInsertion(ctx.doc.text, stmt.unit.semicolon, stmt.unit.end, revoke);
    const finding: Finding = {
      ruleId: 'definer-public-execute',
      start,
      end,
      message: `${n.is_procedure ? 'Procedure' : 'Function'} ${formatName(fn)} is SECURITY DEFINER and PUBLIC keeps its default EXECUTE privilege: every role can run it with the owner's rights. Add ${revoke} and grant EXECUTE to the roles that need it.`,
      fixes: [fix(`Revoke EXECUTE on ${formatName(fn)} from PUBLIC`, [insert(ins.at, ins.text)], { consequence: 'roles that call it only through PUBLIC get permission denied until granted EXECUTE' })],
    };
    return [finding];
  },
};

/**
 * Whether a row-level security policy for PUBLIC calls the function in its USING or WITH
 * CHECK expression (final state). PostgreSQL checks EXECUTE on such a call as the querying
 * role, so every role the policy applies to must keep it: a definer helper that answers
 * "is this row shared?" for a policy on storage.objects is the usual way to read a table
 * the querying role may not. Revoking it from PUBLIC would break the policy, not secure it.
 */
function calledByPublicPolicy(m: Model, fn: FunctionState): boolean {
  for (const pols of m.state.policies.values())
    for (const p of pols.values()) {
      if (!p.roles.includes(PUBLIC)) continue;
      let calls = false;
      walk([p.using, p.check], (type, v) => {
        if (calls || type !== 'FuncCall') return;
        const name = stringList(v.funcname);
        if (name[name.length - 1] === fn.name && (name.length === 1 || name[name.length - 2] === fn.schema)) calls = true;
      });
      if (calls) return true;
    }
  return false;
}

/**
 * Whether the routine takes no input and only reads sequences the files create (pg_graphql's
 * `SELECT last_value FROM graphql.seq_schema_version`): the caller can steer nothing, calls
 * no function through it, and learns only a counter, which is why it was made a definer. A
 * no-argument function that reads a table (`SELECT * FROM auth.users`) is still flagged.
 */
function readsOnlyCounters(stmt: SqlStmt, m: Model): boolean {
  if (argumentTypes(stmt.node.parameters).length) return false;
  const body = bodyStatements(stmt);
  if (!body.length || !body.every((s: any) => s && typeof s === 'object' && 'SelectStmt' in s)) return false;
  let ok = true;
  let reads = 0;
  walk(body, (type, v) => {
    if (!ok) return;
    if (type === 'FuncCall') ok = false;
    else if (type === 'RangeVar') {
      reads++;
      const r = m.relation({ schema: v.schemaname, name: v.relname });
      if (r?.kind !== 'sequence') ok = false;
    }
  });
  return ok && reads > 0;
}

/**
 * Whether the function returns trigger or event_trigger: PostgreSQL refuses to call such a
 * function other than as a trigger ("trigger functions can only be called as triggers"),
 * so EXECUTE for PUBLIC lets no one run it.
 */
export function returnsTrigger(n: any): boolean {
  const names = stringList(n.returnType?.names);
  const last = names[names.length - 1];
  return (last === 'trigger' || last === 'event_trigger') && (names.length === 1 || names[0] === 'pg_catalog') && !n.returnType?.setof;
}

/** The types of the arguments that make up the function's signature (OUT and TABLE columns are not part of it). */
function argumentTypes(parameters: any[] | undefined): string[] {
  const out: string[] = [];
  for (const p of parameters ?? []) {
    const fp = p?.FunctionParameter;
    if (!fp || fp.mode === 'FUNC_PARAM_OUT' || fp.mode === 'FUNC_PARAM_TABLE') continue;
    out.push(typeNameText(fp.argType));
  }
  return out;
}

/**
 * A TypeName as SQL that names the same type. The grammar's special type names (int,
 * double precision, timestamp with time zone, character varying...) come back as
 * pg_catalog.<internal name>, which is itself a valid type name; `"char"` is the one
 * internal name that differs from the keyword spelled the same, so it stays quoted.
 * Type modifiers do not take part in a signature and are left out.
 */
function typeNameText(tn: any): string {
  const names = stringList(tn?.names);
  let text: string;
  if (names.length === 2 && names[0] === 'pg_catalog' && names[1] !== 'char') text = names[1];
  else text = names.map(quoteIdent).join('.');
  if (tn?.pct_type) text += '%TYPE';
  for (let i = 0; i < (tn?.arrayBounds ?? []).length; i++) text += '[]';
  return text;
}
