// What "who can access" reads of a connected database, cached on the connection until the
// next refresh (LiveSessions.forget clears the fields): the roles and memberships once,
// a table's details through the session's table cache, and for a role's rows on every table
// the whole catalog once. The judgement is core/live/row-access.ts.

import { verdictText } from '../../core/live/access-report';
import type { TableInfo } from '../../core/live/catalog';
import { AccessEntry, RowAccess } from '../../core/live/row-access';
import { loadAccessSnapshot } from '../../db';
import type { Live, LiveSessions } from './sessions';

/** A read kept on the connection; a failed one is dropped so the next look tries again. */
function kept<K extends 'access' | 'accessAll'>(live: Live, key: K, read: () => NonNullable<Live[K]>): NonNullable<Live[K]> {
  const known = live[key];
  if (known) return known as NonNullable<Live[K]>;
  const p = read();
  live[key] = p;
  p.catch(() => {
    if (live[key] === p) live[key] = undefined;
  });
  return p;
}

/** Who can access one table and which rows, or undefined when it does not exist. */
export async function rowAccess(sessions: LiveSessions, live: Live, schema: string, name: string): Promise<{ table: TableInfo; entries: AccessEntry[] } | undefined> {
  const table = await sessions.table(live, schema, name);
  if (!table) return undefined;
  const snap = await kept(live, 'access', () => loadAccessSnapshot(live.session, []));
  return { table, entries: new RowAccess({ ...snap, tables: [table] }).forTable(schema, name) };
}

/** What row-level security leaves of each privilege `role` holds itself, by `schema\0table\0privilege`. */
export async function roleRowSecurity(live: Live, role: string): Promise<Map<string, string>> {
  const access = await kept(live, 'accessAll', () => loadAccessSnapshot(live.session).then((snap) => new RowAccess(snap)));
  const out = new Map<string, string>();
  for (const e of access.forRole(role)) {
    if (e.rls && e.holding.kind !== 'setRole') out.set(`${e.schema}\u0000${e.table}\u0000${e.privilege}`, verdictText(e.rls, e.privilege));
  }
  return out;
}
