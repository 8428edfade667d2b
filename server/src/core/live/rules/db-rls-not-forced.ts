// db-rls-not-forced: row-level security is on but not forced, and the table's owner is a
// role sessions use: it can log in, or it is the role this connection runs as. Its
// sessions bypass every policy. An owner that cannot log in (the usual migration-owner
// pattern) and an owner that bypasses RLS anyway (superuser, BYPASSRLS: FORCE changes
// nothing for them) are left out; so is a table without policies (rls-no-policy's).

import { LiveRule, liveMeta } from '../rule';
import { quoteQualified } from '../../identifier';

export const dbRlsNotForced: LiveRule = {
  meta: liveMeta(
    'db-rls-not-forced',
    'warning',
    'Row-level security is on but not forced, and the owner is a login role or the connection\'s own role: its sessions bypass every policy.',
  ),
  check(s, ctx) {
    const roles = new Map(s.roles.map((r) => [r.name, r]));
    for (const t of s.tables) {
      if (!(t.kind === 'table' || t.kind === 'partitioned table') || !t.rls || t.forceRls || !t.policies.length) continue;
      const owner = roles.get(t.owner);
      if (!owner || owner.superuser || owner.bypassrls) continue;
      const current = s.currentUser === t.owner;
      if (!owner.login && !current) continue;
      const name = quoteQualified(t);
      const who = current ? `"${t.owner}", the role this connection uses` : `"${t.owner}", a role that can log in`;
      ctx.report({
        objectKind: 'table',
        object: name,
        message: `Table ${name} has row-level security on but not forced, and its owner is ${who}: sessions as the owner bypass every policy. ALTER TABLE ${name} FORCE ROW LEVEL SECURITY, or let a role that cannot log in own it.`,
        fix: `ALTER TABLE ${name} FORCE ROW LEVEL SECURITY;`,
      });
    }
  },
};
