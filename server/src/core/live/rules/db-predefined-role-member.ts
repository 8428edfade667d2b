// db-predefined-role-member: a role other than a superuser is a member of a predefined
// role that reaches the server's files and programs (pg_execute_server_program,
// pg_read_server_files, pg_write_server_files) or every row of every table
// (pg_read_all_data, pg_write_all_data). The live counterpart of predefined-role-grant,
// judged with the same list of roles and risks. A finding on a group role names the login
// roles that hold its rights, found as db-role-escalation finds its paths.

import { quoteIdent } from '../../identifier';
import { DANGEROUS_PREDEFINED_ROLES } from '../../sql/rules/predefined-role-grant';
import { RoleReach } from '../role-graph';
import { LiveRule, liveMeta } from '../rule';

/** How many login roles a message names before "and N more". */
const NAMED = 5;

export const dbPredefinedRoleMember: LiveRule = {
  meta: liveMeta(
    'db-predefined-role-member',
    'warning',
    "A role other than a superuser is a member of a predefined role that reaches the server's files and programs, or every row of every table.",
  ),
  check(s, ctx) {
    const byName = new Map(s.roles.map((r) => [r.name, r]));
    let reach: RoleReach | undefined;
    for (const m of s.memberships) {
      const risk = DANGEROUS_PREDEFINED_ROLES[m.role];
      const member = byName.get(m.member);
      // Superusers hold every privilege anyway, and PostgreSQL's own predefined roles
      // are members of one another by design. A 16+ grant WITH INHERIT FALSE, SET FALSE
      // and no ADMIN OPTION passes none of the role's rights.
      if (!risk || !member || member.superuser || member.predefined) continue;
      if (!m.inherit && !m.admin && s.serverMajor >= 16 && !m.set) continue;
      let who = '';
      if (!member.login) {
        reach ??= new RoleReach(s.roles, s.memberships, s.serverMajor);
        const holds = reach.pathsTo((r) => r.name === member.name, true);
        const logins = s.roles.filter((r) => r.login && !r.superuser && r.name !== member.name && holds(r.name)).map((r) => r.name);
        const named = logins.slice(0, NAMED).join(', ') + (logins.length > NAMED ? ` and ${logins.length - NAMED} more` : '');
        who = logins.length ? ` (and ${logins.length > 1 ? 'the login roles that hold' : 'the login role that holds'} its rights: ${named})` : ' (and every role that inherits from it)';
      }
      ctx.report({
        objectKind: 'role',
        object: m.member,
        message: `Role "${m.member}" is a member of ${m.role}, which lets it${who} ${risk}. Use REVOKE ${m.role} FROM ${quoteIdent(m.member)} and grant narrower privileges on the objects it needs.`,
        fix: `REVOKE ${quoteIdent(m.role)} FROM ${quoteIdent(m.member)};`,
      });
    }
  },
};
