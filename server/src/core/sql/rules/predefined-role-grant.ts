// predefined-role-grant: GRANT of a predefined role that reaches the server's files and
// programs, or every row of every table. Each one is close to superuser in what it exposes.

import { Finding } from '../../rules';
import { SqlStmt } from '../document';
import { grantedRoles, shownName, shownRoles, tokenEndAt } from '../locate';
import { SqlRule } from '../rule';

/** The predefined roles this rule flags, with what membership allows. */
export const DANGEROUS_PREDEFINED_ROLES: Readonly<Record<string, string>> = {
  pg_execute_server_program:
    'run any program on the database server as the operating-system user that runs PostgreSQL (COPY ... PROGRAM), which is as good as superuser',
  pg_read_server_files:
    'read any file the database server can read (COPY FROM a file, pg_read_file), including configuration and other databases\' files',
  pg_write_server_files:
    'write any file the database server can write (COPY TO a file), enough to take over the server',
  pg_read_all_data: 'read every table, view and sequence in every schema, whatever the grants say (row-level security still applies)',
  pg_write_all_data: 'insert, update and delete in every table in every schema, whatever the grants say (row-level security still applies)',
};

/** `CREATE ROLE x IN ROLE pg_read_all_data`: membership given at creation. */
function inRoleFindings(stmt: SqlStmt): Finding[] {
  const findings: Finding[] = [];
  for (const o of stmt.node.options ?? []) {
    const d = o?.DefElem;
    if (d?.defname !== 'addroleto') continue;
    for (const item of d.arg?.List?.items ?? []) {
      const r = item?.RoleSpec;
      const risk = r?.roletype === 'ROLESPEC_CSTRING' ? DANGEROUS_PREDEFINED_ROLES[r.rolename] : undefined;
      if (!risk) continue;
      const start = stmt.offset(r.location);
      findings.push({
        ruleId: 'predefined-role-grant',
        start,
        end: tokenEndAt(stmt, start),
        message: `Membership in ${r.rolename} lets ${shownName(stmt, String(stmt.node.role))} ${risk}. Grant narrower privileges on the objects the role needs instead.`,
      });
    }
  }
  return findings;
}

export const predefinedRoleGrant: SqlRule = {
  meta: {
    id: 'predefined-role-grant',
    language: 'sql',
    defaultSeverity: 'warning',
    description:
      'GRANT of pg_execute_server_program, pg_read_server_files, pg_write_server_files, pg_read_all_data or pg_write_all_data.',
    fixable: false,
  },
  types: ['GrantRoleStmt', 'CreateRoleStmt'],
  check(stmt) {
    const n = stmt.node;
    if (stmt.type === 'CreateRoleStmt') return inRoleFindings(stmt);
    if (!n.is_grant) return [];
    const grantees = shownRoles(stmt, n.grantee_roles);
    const findings: Finding[] = [];
    for (const { name: role, start, end } of grantedRoles(stmt)) {
      const risk = DANGEROUS_PREDEFINED_ROLES[role];
      if (!risk) continue;
      findings.push({
        ruleId: 'predefined-role-grant',
        start,
        end,
        message: `Membership in ${role} lets ${grantees} ${risk}. Grant narrower privileges on the objects the role needs instead.`,
      });
    }
    return findings;
  },
};
