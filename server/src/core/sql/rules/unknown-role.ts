// unknown-role: a GRANT to a role that exists neither in the workspace nor in the
// connected database. Only checked while a live catalog is present: without one the
// workspace rarely creates every role it grants to (roles usually come from elsewhere),
// so the rule would flag nearly every GRANT.

import { Finding } from '../../rules';
import { roleSpec } from '../ast';
import { SqlStmt } from '../document';
import { findName, grantedRoles } from '../locate';
import { SqlRule, SqlRuleContext } from '../rule';

const MESSAGE_TAIL = 'exists neither in the workspace nor in the connected database: the statement fails with "role does not exist", or the name is a typo for another role. Create the role first or fix the name.';

/** Findings for the named grantees (RoleSpec nodes, which carry locations). */
function granteeFindings(stmt: SqlStmt, grantees: unknown[] | undefined, ctx: SqlRuleContext): Finding[] {
  const out: Finding[] = [];
  for (const g of grantees ?? []) {
    const r = roleSpec(g);
    if (r?.kind !== 'name' || typeof r.name !== 'string' || r.location === undefined) continue;
    const start = stmt.offset(r.location);
    // A psql variable (`GRANT ... TO :role`) is decided when the script runs.
    if (stmt.variableAt(start) || ctx.workspace.knowsRole(r.name)) continue;
    const at = findName(stmt, r.name, start);
    if (!at || at.start !== start) continue;
    out.push({ ruleId: 'unknown-role', start: at.start, end: at.end, message: `Role "${r.name}" ${MESSAGE_TAIL}` });
  }
  return out;
}

/** GRANT role TO member: each granted role the workspace and the database do not know. */
function grantedRoleFindings(stmt: SqlStmt, ctx: SqlRuleContext): Finding[] {
  const out: Finding[] = [];
  for (const { name: role, start, end } of grantedRoles(stmt)) {
    if (stmt.variableAt(start) || ctx.workspace.knowsRole(role)) continue;
    out.push({ ruleId: 'unknown-role', start, end, message: `Granted role "${role}" ${MESSAGE_TAIL}` });
  }
  return out;
}

export const unknownRole: SqlRule = {
  meta: {
    id: 'unknown-role',
    language: 'sql',
    defaultSeverity: 'warning',
    description: 'While connected to a database: a GRANT to (or of) a role that neither the workspace nor the database defines.',
    fixable: false,
  },
  types: ['GrantStmt', 'GrantRoleStmt', 'AlterDefaultPrivilegesStmt'],
  check(stmt, ctx) {
    if (!ctx.workspace.hasCatalog()) return [];
    switch (stmt.type) {
      case 'GrantStmt':
        return stmt.node.is_grant ? granteeFindings(stmt, stmt.node.grantees, ctx) : [];
      case 'AlterDefaultPrivilegesStmt':
        return stmt.node.action?.is_grant ? granteeFindings(stmt, stmt.node.action.grantees, ctx) : [];
      case 'GrantRoleStmt':
        if (!stmt.node.is_grant) return [];
        return [...grantedRoleFindings(stmt, ctx), ...granteeFindings(stmt, stmt.node.grantee_roles, ctx)].sort((a, b) => a.start - b.start);
      default:
        return [];
    }
  },
};
