// Helpers for rules that judge an object's final state in the project's declared model
// (core/model) and report at the statement that made it so.

import { statementEffects } from '../model/effects';
import { At } from '../model/model';
import { FunctionState } from '../model/state';
import { QualifiedName } from './ast';
import { SqlStmt } from './document';
import { SqlRuleContext } from './rule';

/** Where a statement stands, as the model records places (document offsets). */
export function placeOf(stmt: SqlStmt, ctx: SqlRuleContext): At {
  return { uri: ctx.doc.uri, start: stmt.toDocument(stmt.start) };
}

/**
 * The function whose SECURITY DEFINER this statement set, in the final state: `undefined`
 * when the model does not know the statement (a routine nested in another routine's body,
 * which runs only when called), `null` when it does and a later statement changed the
 * verdict (CREATE OR REPLACE without DEFINER, ALTER FUNCTION ... SECURITY INVOKER, DROP) or
 * moved it to a later statement (which is where the finding then goes).
 */
export function definerMadeHere(stmt: SqlStmt, ctx: SqlRuleContext, fn: QualifiedName): FunctionState | null | undefined {
  // Routine bodies run only when called, so the model does not fold what they create.
  if (stmt.nesting?.origin === 'routine') return undefined;
  const m = ctx.workspace.model(ctx.doc.uri);
  const here = placeOf(stmt, ctx);
  return m.functions(fn, here).find((f) => f.securityDefiner && m.madeAt(f.definerAt, here)) ?? null;
}

/**
 * The final state of the function(s) a CREATE or ALTER FUNCTION statement names, matched
 * by signature (every overload when an ALTER gives no argument list): `undefined` for a
 * routine nested in another routine's body (it runs only when called, so the model does
 * not fold it) and for a created function that another plain file (no migration order)
 * drops. An empty list means a later statement drops the function, or, for an ALTER, that
 * the files never create it. Unlike definerMadeHere this does not move a
 * finding to a later statement that repeats the same definition: in plain files without
 * a migration order (examples side by side) each definition is its own.
 */
export function finalFunctions(stmt: SqlStmt, ctx: SqlRuleContext, fn: QualifiedName): FunctionState[] | undefined {
  if (stmt.nesting?.origin === 'routine') return undefined;
  const m = ctx.workspace.model(ctx.doc.uri);
  const all = m.functions(fn, placeOf(stmt, ctx));
  const e = statementEffects(stmt.type, stmt.node, 0, 0).find((x) => x.op === 'create_function' || x.op === 'alter_function');
  const args = e?.op === 'create_function' || e?.op === 'alter_function' ? e.fn.args : undefined;
  const found = args ? all.filter((f) => f.args.join(',') === args.join(',')) : all;
  if (found.length > 0 || e?.op !== 'create_function') return found;
  // Gone from the final state: settled in a migration history (a later migration dropped
  // it), or when this file drops it later (a test that cleans up); a DROP in another plain
  // file (a fixture that resets a shared schema) may run before it as well as after, so the
  // definition is then judged alone.
  if (ctx.workspace.layoutOf(ctx.doc.uri)?.tool !== undefined) return [];
  const here = placeOf(stmt, ctx);
  const schema = fn.schema;
  const dropped = (ctx.workspace.effectsOf(ctx.doc.uri) ?? []).some(
    (x) =>
      x.op === 'drop' &&
      x.start > here.start &&
      (x.kind === 'function' ? x.names.some((d) => d.name === fn.name && (d.schema ?? schema) === schema) : x.kind === 'schema' && x.cascade && schema !== undefined && x.names.some((d) => d.name === schema)),
  );
  return dropped ? [] : undefined;
}
