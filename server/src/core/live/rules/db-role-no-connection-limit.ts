// db-role-no-connection-limit (off by default): a login role without CONNECTION LIMIT can
// take every connection slot the server has left for ordinary roles (CIS 5.5). Nearly
// every role of nearly every server has no limit, so the rule is opt-in: a team that
// sizes its pools turns it on.

import { quoteIdent } from '../../identifier';
import { LiveRule, liveMeta } from '../rule';

export const dbRoleNoConnectionLimit: LiveRule = {
  meta: liveMeta(
    'db-role-no-connection-limit',
    'info',
    'A login role other than a superuser has no CONNECTION LIMIT, so it can use every connection slot (off by default).',
    { defaultOff: true },
  ),
  check(s, ctx) {
    for (const r of s.roles) {
      // A superuser ignores CONNECTION LIMIT, so setting one would change nothing.
      if (!r.login || r.superuser || r.predefined || r.connectionLimit >= 0) continue;
      ctx.report({
        objectKind: 'role',
        object: r.name,
        message: `Login role "${r.name}" has no CONNECTION LIMIT: a leak or a flood of its sessions can take every free connection. Set one sized to its pool: ALTER ROLE ${quoteIdent(r.name)} CONNECTION LIMIT 20.`,
      });
    }
  },
};
