// db-bypassrls: a role other than a superuser with BYPASSRLS ignores every policy. Superusers
// bypass RLS anyway (db-superuser-login covers them), and predefined roles are PostgreSQL's.

import { LiveRule, liveMeta } from '../rule';
import { quoteIdent } from '../../identifier';

export const dbBypassrls: LiveRule = {
  meta: liveMeta(
    'db-bypassrls',
    'warning',
    'A role other than a superuser has BYPASSRLS and ignores every row-level security policy.',
  ),
  check(s, ctx) {
    for (const r of s.roles) {
      if (!r.bypassrls || r.superuser || r.predefined) continue;
      ctx.report({
        objectKind: 'role',
        object: r.name,
        message: `Role "${r.name}" has BYPASSRLS: every row-level security policy is ignored for it${r.login ? ' and it can log in' : ''}. Use ALTER ROLE ${quoteIdent(r.name)} NOBYPASSRLS and write policies for what it needs.`,
        fix: `ALTER ROLE ${quoteIdent(r.name)} NOBYPASSRLS;`,
      });
    }
  },
};
