// superuser-use: switching to a superuser (SET ROLE, SET SESSION AUTHORIZATION, or those
// settings as a role's or database's default) and granting membership in a superuser role.
// Either way statements run, or can run, with every permission check switched off.

import { Finding } from '../../rules';
import { SqlStmt } from '../document';
import { fileKind } from '../file-kind';
import { grantedRoles, shownName, shownRole, shownRoles, tokenEndAt } from '../locate';
import { SqlRule, SqlRuleContext } from '../rule';

/** Why a role counts as a superuser, for the message. */
function why(role: string, ctx: SqlRuleContext): string {
  if (role === 'postgres') return 'the bootstrap superuser';
  if (ctx.config.superusers.includes(role)) return 'listed under "superusers" in pgwarden.json';
  if (ctx.workspace.superuserSource(role) === 'database') return 'a superuser in the connected database';
  return 'created or altered WITH SUPERUSER in the workspace';
}

/** The SET statement inside plain SET, ALTER ROLE ... SET and ALTER DATABASE ... SET. */
function setStmtOf(stmt: SqlStmt): { set: any; scope: string } | undefined {
  switch (stmt.type) {
    case 'VariableSetStmt':
      return { set: stmt.node, scope: 'this session' };
    case 'AlterRoleSetStmt': {
      const who = stmt.node.role ? `role ${shownRole(stmt, stmt.node.role)}` : 'every role';
      return { set: stmt.node.setstmt, scope: `every session of ${who}` };
    }
    case 'AlterDatabaseSetStmt':
      return { set: stmt.node.setstmt, scope: `every session in database "${stmt.node.dbname}"` };
    default:
      return undefined;
  }
}

function switchFindings(stmt: SqlStmt, ctx: SqlRuleContext): Finding[] {
  // A test switches to the superuser to set up or tear down its scenario (pgTAP's
  // `SET ROLE postgres` between `SET ROLE authenticated` checks); that is no deployment's state.
  if (stmt.type === 'VariableSetStmt' && fileKind(ctx.doc).test) return [];
  const s = setStmtOf(stmt);
  const set = s?.set;
  if (!set || set.kind !== 'VAR_SET_VALUE' || (set.name !== 'role' && set.name !== 'session_authorization')) return [];
  const value = set.args?.[0]?.A_Const;
  const role: unknown = value?.sval?.sval;
  // `SET ROLE NONE` (or 'none') goes back to the session user; it is not a role name.
  if (typeof role !== 'string' || (set.name === 'role' && role === 'none')) return [];
  const start = stmt.offset(value.location);
  // A psql variable (`SET ROLE :target`) is decided when the script runs, not here.
  if (stmt.variableAt(start)) return [];
  if (!ctx.workspace.isSuperuser(role, ctx.config.superusers)) return [];
  const end = tokenEndAt(stmt, start);
  const command = set.name === 'role' ? 'SET ROLE' : 'SET SESSION AUTHORIZATION';
  return [
    {
      ruleId: 'superuser-use',
      start,
      end,
      message:
        `${command} "${role}" makes ${s!.scope} run as a superuser (${why(role, ctx)}): every permission check and row-level security policy is skipped. ` +
        'Switch to a role that holds only the privileges the statements need.',
    },
  ];
}

function grantFindings(stmt: SqlStmt, ctx: SqlRuleContext): Finding[] {
  const n = stmt.node;
  if (!n.is_grant) return [];
  const grantees = shownRoles(stmt, n.grantee_roles);
  const findings: Finding[] = [];
  for (const { name: role, start, end } of grantedRoles(stmt)) {
    if (stmt.variableAt(start) || !ctx.workspace.isSuperuser(role, ctx.config.superusers)) continue;
    findings.push({
      ruleId: 'superuser-use',
      start,
      end,
      message:
        `"${role}" is a superuser (${why(role, ctx)}): membership lets ${grantees} SET ROLE "${role}" and bypass every permission check. ` +
        'Grant a role that holds only the privileges needed.',
    });
  }
  return findings;
}

/**
 * CREATE ROLE's own membership clauses: `IN ROLE dba` makes the new role a member of dba;
 * `ROLE alice` and `ADMIN alice` make alice a member of the new role, which matters when
 * the new role is itself a superuser.
 */
function createRoleFindings(stmt: SqlStmt, ctx: SqlRuleContext): Finding[] {
  const n = stmt.node;
  const created = String(n.role);
  const findings: Finding[] = [];
  for (const o of n.options ?? []) {
    const d = o?.DefElem;
    if (d?.defname !== 'addroleto' && d?.defname !== 'rolemembers' && d?.defname !== 'adminmembers') continue;
    const newRoleIsSuper = d.defname !== 'addroleto' && ctx.workspace.isSuperuser(created, ctx.config.superusers);
    for (const item of d.arg?.List?.items ?? []) {
      const r = item?.RoleSpec;
      if (r?.roletype !== 'ROLESPEC_CSTRING' || typeof r.rolename !== 'string') continue;
      const start = stmt.offset(r.location);
      if (stmt.variableAt(start)) continue;
      const end = tokenEndAt(stmt, start);
      if (d.defname === 'addroleto') {
        if (!ctx.workspace.isSuperuser(r.rolename, ctx.config.superusers)) continue;
        findings.push({
          ruleId: 'superuser-use',
          start,
          end,
          message:
            `"${r.rolename}" is a superuser (${why(r.rolename, ctx)}): IN ROLE makes ${shownName(stmt, created)} a member that can SET ROLE "${r.rolename}" and bypass every permission check. ` +
            'Make it a member of a role that holds only the privileges needed.',
        });
      } else if (newRoleIsSuper) {
        findings.push({
          ruleId: 'superuser-use',
          start,
          end,
          message:
            `${shownName(stmt, created)} is a superuser: this makes ${shownName(stmt, r.rolename)} a member that can SET ROLE to it and bypass every permission check. ` +
            'Leave the membership out.',
        });
      }
    }
  }
  return findings;
}

export const superuserUse: SqlRule = {
  meta: {
    id: 'superuser-use',
    language: 'sql',
    defaultSeverity: 'warning',
    description: 'SET ROLE or SET SESSION AUTHORIZATION to a superuser, or GRANT of a superuser role to another role.',
    fixable: false,
  },
  types: ['VariableSetStmt', 'AlterRoleSetStmt', 'AlterDatabaseSetStmt', 'GrantRoleStmt', 'CreateRoleStmt'],
  check(stmt, ctx) {
    if (stmt.type === 'GrantRoleStmt') return grantFindings(stmt, ctx);
    if (stmt.type === 'CreateRoleStmt') return createRoleFindings(stmt, ctx);
    return switchFindings(stmt, ctx);
  },
};
