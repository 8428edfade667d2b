// db-role-escalation: a login role that is not a superuser can become one (or a BYPASSRLS
// role) through its memberships: SET ROLE along grants with the SET option, an ADMIN
// OPTION that lets it grant itself the role, or CREATEROLE before 16. Such a login is as
// strong as the role it reaches, yet db-superuser-login and db-bypassrls do not count it.
// The shared judgement of who reaches whom is core/live/role-graph.ts.

import { quoteIdent } from '../../identifier';
import { escalationPaths, pathText, RoleReach } from '../role-graph';
import { LiveRule, liveMeta } from '../rule';

export const dbRoleEscalation: LiveRule = {
  meta: liveMeta(
    'db-role-escalation',
    'warning',
    'A login role can become a superuser or a BYPASSRLS role through its memberships (SET ROLE, ADMIN OPTION, or CREATEROLE before 16); the message shows the path.',
  ),
  check(s, ctx) {
    for (const p of escalationPaths(new RoleReach(s.roles, s.memberships, s.serverMajor))) {
      const end = p.steps[p.steps.length - 1].role;
      const first = p.steps[0];
      const what = p.target === 'superuser' ? `superuser "${end}"` : `"${end}", which has BYPASSRLS`;
      const cut =
        first.via === 'createrole'
          ? `ALTER ROLE ${quoteIdent(p.from)} NOCREATEROLE (PostgreSQL 16 limits CREATEROLE to the roles it administers)`
          : `REVOKE ${quoteIdent(first.role)} FROM ${quoteIdent(p.from)}${first.via === 'set' && s.serverMajor >= 16 ? `, or grant it again WITH SET FALSE` : ''}${first.via === 'admin' ? ', or grant it again without ADMIN OPTION' : ''}`;
      ctx.report({
        objectKind: 'role',
        object: p.from,
        message: `Login role "${p.from}" can act as ${what}: ${pathText(p)}. Unless "${p.from}" is meant to ${p.target === 'superuser' ? 'administer the server' : 'bypass row-level security'}, cut the path: ${cut}.`,
      });
    }
  },
};
