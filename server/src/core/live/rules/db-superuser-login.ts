// db-superuser-login: more than one superuser can log in; the bootstrap superuser is the expected one,
// every other is an account that bypasses every permission check.

import { LiveRule, liveMeta } from '../rule';
import { quoteIdent } from '../../identifier';

export const dbSuperuserLogin: LiveRule = {
  meta: liveMeta(
    'db-superuser-login',
    'warning',
    'More than one superuser can log in: each is an account that bypasses every permission check.',
  ),
  check(s, ctx) {
    const loginSupers = s.roles.filter((r) => r.superuser && r.login);
    if (loginSupers.length < 2) return;
    // The bootstrap superuser (oid 10) is the one that is expected; report the others.
    const keep = loginSupers.find((r) => r.oid === 10) ?? [...loginSupers].sort((a, b) => a.oid - b.oid)[0];
    const names = loginSupers.map((r) => r.name).join(', ');
    for (const r of loginSupers) {
      if (r === keep) continue;
      ctx.report({
        objectKind: 'role',
        object: r.name,
        message: `Role "${r.name}" is a superuser that can log in; ${loginSupers.length} superusers can log in (${names}). Keep one, and give "${r.name}" NOSUPERUSER or NOLOGIN with only the privileges it needs.`,
        fix: `ALTER ROLE ${quoteIdent(r.name)} NOSUPERUSER;`,
      });
    }
  },
};
