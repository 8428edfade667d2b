// Helpers for rules that judge an object's final state in the project's declared model
// (core/model) and report at the statement that made it so.

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
