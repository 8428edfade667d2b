// The catalog reads behind the server-posture checks that pgdsat makes with shell access
// and pgrls reads from pg_proc: tablespace directories (db-tablespace-in-datadir), the
// functions marked LEAKPROOF (db-leakproof-function) and the WAL archiver's state
// (db-wal-archiving). Each is readable by every role: pg_tablespace_location() and
// pg_stat_archiver are granted to PUBLIC. Each read runs through `part`, so a server that
// has revoked one skips the rule that needs it instead of failing the audit.

import type { LiveSnapshot } from '../core/live/snapshot';
import type { PartReader } from './role-posture';
import type { Session } from './session';

export type ServerPosture = Pick<LiveSnapshot, 'tablespaces' | 'leakproofFunctions' | 'archiver'>;

export async function readServerPosture(session: Session, part: PartReader): Promise<ServerPosture> {
  const tablespaces = await part('db-tablespace-in-datadir', undefined as LiveSnapshot['tablespaces'], async () =>
    (
      await session.query<{ name: string; location: string }>(
        `SELECT t.spcname AS name, pg_catalog.pg_tablespace_location(t.oid) AS location
           FROM pg_catalog.pg_tablespace t
          WHERE t.spcname NOT IN ('pg_default', 'pg_global')
          ORDER BY t.spcname COLLATE "C"`,
      )
    ).filter((t) => t.location !== ''),
  );
  // Extensions mark their own functions LEAKPROOF after review (their authors answer for
  // them); the database's own are the ones a reviewer here can judge.
  const leakproofFunctions = await part('db-leakproof-function', undefined as LiveSnapshot['leakproofFunctions'], async () =>
    session.query<{ signature: string; owner: string; language: string }>(
      `SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname) || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' AS signature,
              pg_catalog.pg_get_userbyid(p.proowner) AS owner, l.lanname AS language
         FROM pg_catalog.pg_proc p
         JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
         JOIN pg_catalog.pg_language l ON l.oid = p.prolang
        WHERE p.proleakproof
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                           WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype = 'e')
        ORDER BY 1`,
    ),
  );
  const archiver = await part('db-wal-archiving', undefined as LiveSnapshot['archiver'], async () => {
    const [a] = await session.query<{ archived: number; failed: number; lastArchived: string | null; lastFailed: string | null; lastFailedWal: string | null }>(
      `SELECT a.archived_count::int AS archived, a.failed_count::int AS failed,
              pg_catalog.to_json(a.last_archived_time) #>> '{}' AS "lastArchived",
              pg_catalog.to_json(a.last_failed_time) #>> '{}' AS "lastFailed", a.last_failed_wal AS "lastFailedWal"
         FROM pg_catalog.pg_stat_archiver a`,
    );
    return a && { archivedCount: a.archived, failedCount: a.failed, lastArchivedAt: a.lastArchived, lastFailedAt: a.lastFailed, lastFailedWal: a.lastFailedWal };
  });
  return { tablespaces, leakproofFunctions, archiver };
}
