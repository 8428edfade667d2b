// The owner of the connected database: the role a drift comparison assumes runs the
// migrations when neither --as nor pgwarden.json's "drift.migrationRole" names one.

import type { AccessQueryable } from './access';

export async function databaseOwner(db: Pick<AccessQueryable, 'query'>): Promise<string> {
  const rows = await db.query<{ owner: string }>(`SELECT pg_catalog.pg_get_userbyid(datdba) AS owner FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()`);
  return rows[0].owner;
}
