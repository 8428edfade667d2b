// The connected database: its name (current_database()) and owner. The owner is the role a
// drift comparison assumes runs the migrations when neither --as nor pgwarden.json's
// "drift.migrationRole" names one; the name says which database's grants in the files
// (GRANT ... ON DATABASE name) are about this one.

import type { AccessQueryable } from './access';

export interface ConnectedDatabase {
  name: string;
  owner: string;
}

export async function connectedDatabase(db: Pick<AccessQueryable, 'query'>): Promise<ConnectedDatabase> {
  const rows = await db.query<ConnectedDatabase>(
    `SELECT datname AS name, pg_catalog.pg_get_userbyid(datdba) AS owner FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()`,
  );
  return rows[0];
}

export async function databaseOwner(db: Pick<AccessQueryable, 'query'>): Promise<string> {
  return (await connectedDatabase(db)).owner;
}
