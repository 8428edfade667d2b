// The final state of the policy a CREATE or ALTER POLICY statement is about, for the rules
// that judge policies as PostgreSQL applies them (core/live/policy.ts): later ALTER
// POLICY, DROP POLICY, DROP TABLE and RENAME count, and the rule reports at the statement
// that made the judged part so.

import { Grantee, PUBLIC } from '../model/effects';
import { Model } from '../model/model';
import { PolicyState, Place, RelationState } from '../model/state';
import { PolicyCommand, PolicyFacts } from '../live/policy';
import { QualifiedName, rangeVarName } from './ast';
import { SqlDocument, SqlStmt } from './document';
import { fileKind } from './file-kind';
import { placeOf } from './final-state';
import { qualifiedNameEnd } from './quote';
import { SqlRuleContext } from './rule';

export interface PolicyHere {
  model: Model;
  state: PolicyState;
  facts: PolicyFacts;
  /** The table's other policies, in the order the files create them. */
  siblings: PolicyFacts[];
  /** Undefined for a table the files never create (Supabase's storage.objects). */
  relation?: RelationState;
  /** The table's policy names in the order the files create them. */
  order: string[];
  /**
   * Whether this statement made the policy what it is now: the ALTER POLICY that last set
   * its roles or a clause, or its CREATE when nothing was altered since.
   */
  madeHere: boolean;
  /** The policy's name in the statement, for the finding's range. */
  range: { start: number; end: number };
}

export function policyFacts(p: PolicyState): PolicyFacts {
  return {
    name: p.name,
    command: p.command as PolicyCommand,
    permissive: p.permissive,
    roles: p.roles.map((r: Grantee) => (r === PUBLIC ? 'public' : r)),
    using: p.using,
    check: p.check,
  };
}

/**
 * The policy this statement creates or alters, in the final state; undefined when a later
 * statement dropped it, when the statement sits in a routine body (it runs only when
 * called) or in a test script (its policies are a scenario, not the schema), and when RLS
 * is off on a table the files create: dormant policies are missing-rls's finding.
 */
export function policyHere(stmt: SqlStmt, ctx: SqlRuleContext): PolicyHere | undefined {
  if (stmt.type !== 'CreatePolicyStmt' && stmt.type !== 'AlterPolicyStmt') return undefined;
  if (stmt.nesting?.origin === 'routine' || fileKind(ctx.doc).test) return undefined;
  const table = rangeVarName(stmt.node.table);
  const name = stmt.node.policy_name;
  if (!table || typeof name !== 'string') return undefined;
  const model = ctx.workspace.model(ctx.doc.uri);
  const known = answers.get(stmt);
  if (known && known.doc === ctx.doc && known.model === model) return known.value;
  const value = policyOf(stmt, ctx, model, table, name);
  answers.set(stmt, { doc: ctx.doc, model, value });
  return value;
}

/**
 * The last answer per statement, kept while the document and the model are the same: four
 * rules ask about every policy statement, and each answer copies the table's policies.
 */
const answers = new WeakMap<SqlStmt, { doc: SqlDocument; model: Model; value: PolicyHere | undefined }>();

function policyOf(stmt: SqlStmt, ctx: SqlRuleContext, model: Model, table: QualifiedName, name: string): PolicyHere | undefined {
  const here = placeOf(stmt, ctx);
  const all = model.policies(table, here);
  const state = all.find((p) => p.name === name);
  if (!state) return undefined;
  const relation = model.relation(table, here);
  if (relation && !relation.rls) return undefined;
  const kw = stmt.find(/\bPOLICY\s+/i);
  if (!kw) return undefined;
  const nameEnd = stmt.unit.start + qualifiedNameEnd(stmt.unit.parseText, kw.end - stmt.unit.start);
  return {
    model,
    state,
    facts: policyFacts(state),
    siblings: all.filter((p) => p !== state).map(policyFacts),
    relation,
    order: all.map((p) => p.name),
    madeHere: lastChanges(state).some((place) => model.madeAt(place, here)),
    range: { start: stmt.toDocument(kw.end), end: stmt.toDocumentEnd(nameEnd) },
  };
}

/** The statements that last changed a policy: ALTER POLICY ones, or its CREATE. */
function lastChanges(p: PolicyState): Place[] {
  const altered = [p.rolesAt, p.usingAt, p.checkAt].filter((x): x is Place => x !== undefined && x !== p.at);
  return altered.length ? altered : [p.at];
}
