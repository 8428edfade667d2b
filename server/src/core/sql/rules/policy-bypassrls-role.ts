// policy-bypassrls-role: a policy whose TO clause names a role that bypasses row-level
// security (BYPASSRLS or SUPERUSER in the files, a configured superuser, or Supabase's
// service_role when the files do not create it). PostgreSQL never applies the policy to
// that role, so its condition restricts nothing for it, while it reads as if it did.

import { Finding } from '../../rules';
import { judgeBypassRoles } from '../../live/policy';
import { formatName, rangeVarName } from '../ast';
import { policyHere } from '../policy-state';
import { SqlRule, SqlRuleContext } from '../rule';

/** Whether a role bypasses row-level security, by what the workspace and the configuration say. */
export function bypassesRls(role: string, ctx: SqlRuleContext): boolean {
  if (role === 'service_role' && !ctx.workspace.knowsRole(role)) return true;
  if (ctx.workspace.isSuperuser(role, ctx.config.superusers)) return true;
  const declared = ctx.workspace.model(ctx.doc.uri).state.roles.get(role);
  return declared?.attributes.bypassrls === true || declared?.attributes.superuser === true;
}

export const policyBypassrlsRole: SqlRule = {
  meta: {
    id: 'policy-bypassrls-role',
    language: 'sql',
    defaultSeverity: 'warning',
    description: 'A policy with a real condition for a role that bypasses row-level security (BYPASSRLS or superuser): the condition never applies to that role.',
    fixable: false,
  },
  types: ['CreatePolicyStmt', 'AlterPolicyStmt'],
  check(stmt, ctx) {
    const p = policyHere(stmt, ctx);
    if (!p || !p.madeHere) return [];
    const roles = judgeBypassRoles(p.facts, (r) => bypassesRls(r, ctx));
    if (!roles.length) return [];
    const table = formatName(rangeVarName(stmt.node.table)!);
    const names = roles.map((r) => `"${r}"`).join(', ');
    const all = roles.length === p.facts.roles.length;
    const finding: Finding = {
      ruleId: 'policy-bypassrls-role',
      ...p.range,
      message: `Policy "${p.facts.name}" on ${table} is for ${names}, which ${roles.length > 1 ? 'bypass' : 'bypasses'} row-level security: PostgreSQL never applies the policy to ${roles.length > 1 ? 'them' : 'it'}, so ${all ? 'its condition restricts nothing' : `its condition restricts only the other roles`}. Drop ${all ? 'the policy' : `${names} from its TO clause`}, or give the role NOBYPASSRLS if its rows should be limited.`,
    };
    return [finding];
  },
};
