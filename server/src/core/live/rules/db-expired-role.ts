// db-expired-role: a role whose VALID UNTIL has passed still has members, owns objects or
// holds privileges. The expiry only stops password logins: certificate, peer and other
// non-password logins still work, members still use its privileges, and its grants stay
// in every ACL. An expired account that still holds rights is an account nobody cleaned up.

import { quoteIdent } from '../../identifier';
import { LiveRule, liveMeta } from '../rule';

/** The time a VALID UNTIL text stands for, in ms; +/-Infinity for PostgreSQL's infinities. */
export function validUntilMs(v: string): number {
  if (v === 'infinity') return Infinity;
  if (v === '-infinity') return -Infinity;
  return Date.parse(v);
}

export const dbExpiredRole: LiveRule = {
  meta: liveMeta('db-expired-role', 'info', 'A role whose VALID UNTIL has passed still has members, owns objects or holds privileges.'),
  check(s, ctx) {
    const now = Date.parse(s.now);
    const members = new Map<string, number>();
    for (const m of s.memberships) members.set(m.role, (members.get(m.role) ?? 0) + 1);
    for (const r of s.roles) {
      if (r.validUntil === null || r.predefined || !(validUntilMs(r.validUntil) < now)) continue;
      const refs = s.roleReferences?.[r.name] ?? 0;
      const n = members.get(r.name) ?? 0;
      if (!n && !refs) continue;
      const holds = [n ? `${n} member${n > 1 ? 's' : ''}` : '', refs ? `${refs} grant${refs > 1 ? 's' : ''} or owned object${refs > 1 ? 's' : ''}` : ''].filter(Boolean).join(' and ');
      ctx.report({
        objectKind: 'role',
        object: r.name,
        message: `Role "${r.name}" expired (VALID UNTIL ${r.validUntil}) but still has ${holds}. The expiry stops only password logins${r.login ? ': certificate, peer or other logins still work' : ''}, and members keep using its privileges. Lock it with ALTER ROLE ${quoteIdent(r.name)} NOLOGIN, or remove it: REASSIGN OWNED BY ${quoteIdent(r.name)} TO <owner>; DROP OWNED BY ${quoteIdent(r.name)}; DROP ROLE ${quoteIdent(r.name)} (in every database).`,
      });
    }
  },
};
