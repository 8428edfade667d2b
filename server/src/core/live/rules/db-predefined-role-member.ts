// db-predefined-role-member: a role other than a superuser is a member of a predefined
// role that reaches the server's files and programs (pg_execute_server_program,
// pg_read_server_files, pg_write_server_files) or every row of every table
// (pg_read_all_data, pg_write_all_data). The live counterpart of predefined-role-grant,
// judged with the same list of roles and risks.

import { quoteIdent } from '../../identifier';
import { DANGEROUS_PREDEFINED_ROLES } from '../../sql/rules/predefined-role-grant';
import { LiveRule, liveMeta } from '../rule';

export const dbPredefinedRoleMember: LiveRule = {
  meta: liveMeta(
    'db-predefined-role-member',
    'warning',
    "A role other than a superuser is a member of a predefined role that reaches the server's files and programs, or every row of every table.",
  ),
  check(s, ctx) {
    const byName = new Map(s.roles.map((r) => [r.name, r]));
    for (const m of s.memberships) {
      const risk = DANGEROUS_PREDEFINED_ROLES[m.role];
      const member = byName.get(m.member);
      // Superusers hold every privilege anyway, and PostgreSQL's own predefined roles
      // are members of one another by design.
      if (!risk || !member || member.superuser || member.predefined) continue;
      ctx.report({
        objectKind: 'role',
        object: m.member,
        message: `Role "${m.member}" is a member of ${m.role}, which lets it${member.login ? '' : ' (and every role that inherits from it)'} ${risk}. Use REVOKE ${m.role} FROM ${quoteIdent(m.member)} and grant narrower privileges on the objects it needs.`,
      });
    }
  },
};
