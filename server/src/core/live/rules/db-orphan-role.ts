// db-orphan-role: a role that cannot log in, has no members, holds no privilege and owns
// nothing anywhere in the cluster. No session can ever act as it, so it only widens the
// list a reviewer must read and is one GRANT away from being used by mistake: the
// hardening guides' "remove orphaned roles".

import { quoteIdent } from '../../identifier';
import { LiveRule, liveMeta } from '../rule';

export const dbOrphanRole: LiveRule = {
  meta: liveMeta('db-orphan-role', 'info', 'A role that cannot log in, has no members, holds no privileges and owns nothing in any database of the cluster.'),
  check(s, ctx) {
    // pg_shdepend not readable: nothing is known about what the roles hold.
    if (!s.roleReferences) return;
    const withMembers = new Set(s.memberships.map((m) => m.role));
    const memberOf = new Map<string, string[]>();
    for (const m of s.memberships) {
      const list = memberOf.get(m.member);
      if (list) list.push(m.role);
      else memberOf.set(m.member, [m.role]);
    }
    for (const r of s.roles) {
      // The bootstrap superuser (oid 10) is pinned: nothing records what it owns.
      if (r.login || r.predefined || r.oid === 10 || withMembers.has(r.name) || (s.roleReferences[r.name] ?? 0) > 0) continue;
      const groups = memberOf.get(r.name) ?? [];
      ctx.report({
        objectKind: 'role',
        object: r.name,
        message: `Role "${r.name}" cannot log in, has no members, holds no privileges and owns nothing in any database${groups.length ? ` (it is only a member of ${groups.join(', ')}, which no session can use through it)` : ''}. If nothing outside the database uses it, DROP ROLE ${quoteIdent(r.name)}.`,
      });
    }
  },
};
