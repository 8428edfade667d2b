// The shape of a SQL rule: metadata plus a pure function over one parsed statement.

import { PgwardenConfig } from '../config';
import { Finding, RuleMeta } from '../rules';
import { quoteIdent } from '../identifier';
import { Workspace } from '../workspace';
import { Model } from '../model/model';
import { SqlDocument, SqlStmt } from './document';

export interface SqlRuleContext {
  doc: SqlDocument;
  workspace: Workspace;
  config: PgwardenConfig;
  /** Called when a rule throws: the finding set goes on without it, and the failure is reported once. */
  onInternalError?: (ruleId: string, err: unknown) => void;
}

export interface SqlRule {
  meta: RuleMeta;
  /** Statement kinds the rule looks at (AST node names); the engine skips the others. */
  types: readonly string[] | '*';
  /**
   * Not run on test files (pgTAP, test folders, files named like tests): a test builds the
   * very grants, policies and functions it checks, and its schema is not deployed.
   */
  skipTests?: true;
  check(stmt: SqlStmt, ctx: SqlRuleContext): Finding[];
}

/** Roles the workspace creates, quoted as SQL names, as choices for a fix's role placeholder (sorted, at most 30). */
export function declaredRoles(ctx: SqlRuleContext): string[] {
  const m = ctx.workspace.model(ctx.doc.uri);
  let roles = roleChoices.get(m);
  if (!roles) roleChoices.set(m, (roles = [...m.state.roles.keys()].sort().slice(0, 30).map(quoteIdent)));
  // A copy: a fix's placeholder may be changed by whoever receives it.
  return [...roles];
}

/** declaredRoles by model (a folded model's state does not change): sorting every role per finding was quadratic. */
const roleChoices = new WeakMap<Model, string[]>();
