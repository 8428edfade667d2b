// db-md5-password: a role whose password is stored as an MD5 hash. Needs pg_authid (superuser);
// without it the audit lists the rule as not checked rather than guessing.

import { LiveRule, liveMeta } from '../rule';
import { quoteIdent } from '../../identifier';

export const dbMd5Password: LiveRule = {
  meta: liveMeta(
    'db-md5-password',
    'warning',
    'A role\'s password is stored as an MD5 hash, which is weak and usable as the password itself for md5 logins.',
  ),
  check(s, ctx) {
    if (!s.passwords) return;
    for (const r of s.roles) {
      if (s.passwords[r.name] !== 'md5') continue;
      ctx.report({
        objectKind: 'role',
        object: r.name,
        message: `Role "${r.name}" has an MD5 password hash. With password_encryption = 'scram-sha-256', set its password again (\\password ${quoteIdent(r.name)} in psql) to store a SCRAM verifier.`,
      });
    }
  },
};
