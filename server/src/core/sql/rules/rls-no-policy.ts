// rls-no-policy: ENABLE ROW LEVEL SECURITY on a table that has no policy anywhere in the
// workspace (or the connected database) while a role other than its owner is granted it.
// That role then sees no rows, which is rarely what was meant and is usually "fixed" later
// by turning RLS off again or by a policy that lets everything through. A table granted
// to no one is a deliberate deny-all table and is not flagged.

import { fix, snippetEdit } from '../../fix';
import { Finding, Placeholder } from '../../rules';
import { formatName, rangeVarName } from '../ast';
import { rlsEnabled } from '../locate';
import { currentUserCondition, quoteIdent, quoteQualified, statementInsertion } from '../quote';
import { declaredRoles, SqlRule } from '../rule';
import { PUBLIC } from '../../model/effects';
import { placeOf } from '../final-state';
import { fileKind } from '../file-kind';

export const rlsNoPolicy: SqlRule = {
  meta: {
    id: 'rls-no-policy',
    language: 'sql',
    defaultSeverity: 'warning',
    description:
      'ALTER TABLE ... ENABLE ROW LEVEL SECURITY on a table with no CREATE POLICY anywhere in the workspace: every role but the owner is denied every row.',
    fixable: true,
  },
  types: ['AlterTableStmt'],
  check(stmt, ctx) {
    // A table with a policy is the common case: answered before looking for where RLS is
    // enabled in the text.
    const relation = rangeVarName(stmt.node.relation);
    if (relation && ctx.workspace.hasPolicy(relation)) return [];
    const enabled = rlsEnabled(stmt);
    // A test builds the state it checks (here often exactly RLS without a policy).
    if (!enabled || ctx.workspace.hasPolicy(enabled.table) || fileKind(ctx.doc).test) return [];
    // An extension ships its tables closed (deny-all) and leaves the policies to the
    // database that installs it, under whatever schema it is installed in.
    if (ctx.workspace.extensionProject(ctx.doc.uri)) return [];
    const { table, at } = enabled;
    const m = ctx.workspace.model(ctx.doc.uri);
    const here = placeOf(stmt, ctx);
    if (m.policies(table, here).length > 0) return [];
    const state = m.relation(table, here);
    // The final state decides: RLS disabled again later, or enabled again later (reported there).
    if (state && (!state.rls || (state.rlsAt && !m.madeAt(state.rlsAt, here)))) return [];
    // A table no one but its owner is granted is a deliberate deny-all table (reached only
    // through SECURITY DEFINER functions): RLS without policies is the point there.
    const grantees = m.tableGrantees(table, here);
    if (grantees.length === 0 && !ctx.workspace.hasCatalog()) return [];
    const who = grantees.length === 0 ? 'every role except the owner' : grantees.map((g) => (g === PUBLIC ? 'PUBLIC' : `"${g}"`)).join(', ');
    const columns = state?.columns ?? [];
    // The template names only columns the table has: `<column> = current_user` for each
    // (one holding a role name is the default), or `false` (no row) when none does.
    const conditions = columns.map(currentUserCondition);
    const owner = columns.findIndex((c) => OWNER_LIKE.test(c));
    const condition: Placeholder = { placeholder: owner >= 0 ? conditions[owner] : 'false', kind: 'condition', choices: ['false', ...conditions], table };
    // The roles granted the table come first: they are the ones the policy is for.
    const named = grantees.filter((g) => g !== PUBLIC).map(quoteIdent);
    const role: Placeholder = { placeholder: named[0] ?? 'app_role', kind: 'role', choices: [...new Set([...named, ...declaredRoles(ctx)])] };
    const parts = [`CREATE POLICY ${quoteIdent(`${table.name}_owner`)} ON ${quoteQualified(table)} FOR ALL TO `, role, ' USING (', condition, ');'];
    const policy = parts.map((p) => (typeof p === 'string' ? p : p.placeholder)).join('');
    const ins = statementInsertion(ctx.doc.text, stmt.unit.semicolon, stmt.unit.end, policy);
    const finding: Finding = {
      ruleId: 'rls-no-policy',
      start: at.start,
      end: at.end,
      message: `Row-level security is enabled on ${formatName(table)} but no policy is created for it, while ${who} ${grantees.length === 1 ? 'holds' : 'hold'} privileges on it: ${grantees.length === 1 && grantees[0] !== PUBLIC ? 'it sees' : 'they see'} no rows and cannot write any. Add CREATE POLICY ... ON ${quoteQualified(table)} for the roles that use it, or revoke their privileges.`,
      fixes: [fix(`Add a policy template for ${formatName(table)}`, [snippetEdit(ins.at, ins.at, [ins.text.slice(0, ins.text.length - policy.length), ...parts])], { snippet: true, consequence: 'the named role can then read and write every row the USING clause allows' })],
    };
    return [finding];
  },
};

/**
 * Column names that usually hold the role name of whose row it is, so `= current_user`
 * compares like with like (an `owner_id` or `user_id` is usually a number or uuid).
 */
const OWNER_LIKE = /^(owner|owner_name|owner_role|user_name|username|role_name|db_user)$/i;
