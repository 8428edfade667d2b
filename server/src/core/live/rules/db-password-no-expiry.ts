// db-password-no-expiry (off by default): a login role has a password but no VALID
// UNTIL, so the password is valid forever (CIS 4.4's password lifetime). Whether a role
// has a password is only in pg_authid, which only superusers can read; for other roles
// the audit lists the rule as not run. Off by default because rotating by VALID UNTIL is
// one policy among several (an identity provider, certificates).

import { quoteIdent } from '../../identifier';
import { LiveRule, liveMeta } from '../rule';

export const dbPasswordNoExpiry: LiveRule = {
  meta: liveMeta('db-password-no-expiry', 'info', 'A login role has a password but no VALID UNTIL, so the password never expires (off by default; needs superuser to read pg_authid).', {
    defaultOff: true,
  }),
  check(s, ctx) {
    if (!s.passwords) return;
    for (const r of s.roles) {
      const type = s.passwords[r.name];
      if (!r.login || r.predefined || !type || type === 'none') continue;
      if (r.validUntil !== null && r.validUntil !== 'infinity') continue;
      ctx.report({
        objectKind: 'role',
        object: r.name,
        message: `Login role "${r.name}" has a password that never expires (no VALID UNTIL). Rotate it on a schedule: ALTER ROLE ${quoteIdent(r.name)} VALID UNTIL '<date>', and set a new password before then.`,
      });
    }
  },
};
