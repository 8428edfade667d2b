// db-database-public-connect: in a cluster that holds several application databases,
// PUBLIC keeps CONNECT (and usually TEMPORARY) on one of them while pg_hba.conf admits
// every role to it. Every role of every other application can then connect, read its
// catalog (table and function names, definitions, PUBLIC grants) and create temporary
// tables. PUBLIC CONNECT is PostgreSQL's default and harmless with one application
// database or a pg_hba.conf that names the database's roles, so the rule needs both.

import { quoteIdent } from '../../identifier';
import type { HbaRow } from '../hba';
import { LiveRule, liveMeta } from '../rule';

/** The first non-reject pg_hba record that admits every role to `db`, if any. */
export function admitsEveryRole(hba: readonly HbaRow[], db: string): HbaRow | undefined {
  return hba.find(
    (h) => !h.error && h.method !== 'reject' && (h.database ?? []).some((d) => d === 'all' || d === db) && (h.user ?? []).includes('all'),
  );
}

export const dbDatabasePublicConnect: LiveRule = {
  meta: liveMeta(
    'db-database-public-connect',
    'info',
    'PUBLIC holds CONNECT on a database of a cluster with several application databases, and pg_hba.conf admits every role to it.',
  ),
  check(s, ctx) {
    if (!s.hba) return;
    const apps = s.databases.filter((d) => !d.template && d.allowConnections && d.name !== 'postgres');
    if (apps.length < 2) return;
    for (const d of apps) {
      if (!d.publicConnect) continue;
      const rec = admitsEveryRole(s.hba, d.name);
      if (!rec) continue;
      const privs = d.publicTemporary ? 'CONNECT, TEMPORARY' : 'CONNECT';
      ctx.report({
        objectKind: 'database',
        object: d.name,
        message: `PUBLIC holds ${privs} on database "${d.name}" and pg_hba.conf line ${rec.line} admits every role to it, so the roles of the other ${apps.length - 1} database(s) can connect, read its catalog${d.publicTemporary ? ' and create temporary tables' : ''}. REVOKE ${privs} ON DATABASE ${quoteIdent(d.name)} FROM PUBLIC; GRANT CONNECT ON DATABASE ${quoteIdent(d.name)} TO <its roles>.`,
        fix: `REVOKE ${privs} ON DATABASE ${quoteIdent(d.name)} FROM PUBLIC;\n-- Then let its own roles in:\n-- GRANT CONNECT ON DATABASE ${quoteIdent(d.name)} TO <role>;`,
      });
    }
  },
};
