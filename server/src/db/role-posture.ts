// The catalog reads behind the role-hygiene, database and extension checks of the live
// audit (db-orphan-role, db-expired-role, db-database-public-connect, db-extension-*,
// db-replication-superuser). Every catalog read here is visible to an ordinary role;
// each read runs through `part`, so a catalog that a hardened server has closed skips
// the rules that need it instead of failing the audit.

import type { LiveSnapshot } from '../core/live/snapshot';
import type { Session } from './session';

/** Runs one read; on a permission error it records `rules` as skipped and returns the fallback. */
export type PartReader = <T>(rules: string, fallback: T, read: () => Promise<T>) => Promise<T>;

export type RolePosture = Pick<LiveSnapshot, 'now' | 'roleReferences' | 'databases' | 'extensions' | 'replication'>;

export async function readRolePosture(session: Session, part: PartReader): Promise<RolePosture> {
  const [{ now }] = await session.query<{ now: string }>(`SELECT pg_catalog.to_json(pg_catalog.now()) #>> '{}' AS now`);
  // pg_shdepend records, for every database of the cluster, each object a role owns, each
  // ACL and default ACL that names it and each policy that lists it; database owners are
  // in pg_database. One grouped scan, however many grants the cluster holds.
  const roleReferences = await part('db-orphan-role, db-expired-role', undefined as LiveSnapshot['roleReferences'], async () =>
    Object.fromEntries(
      (
        await session.query<{ name: string; n: number }>(
          `SELECT r.rolname AS name, (COALESCE(d.n, 0) + COALESCE(o.n, 0))::int AS n
             FROM pg_catalog.pg_roles r
             LEFT JOIN (SELECT s.refobjid AS oid, pg_catalog.count(*) AS n FROM pg_catalog.pg_shdepend s
                         WHERE s.refclassid = 'pg_catalog.pg_authid'::pg_catalog.regclass GROUP BY s.refobjid) d ON d.oid = r.oid
             LEFT JOIN (SELECT db.datdba AS oid, pg_catalog.count(*) AS n FROM pg_catalog.pg_database db GROUP BY db.datdba) o ON o.oid = r.oid`,
        )
      ).map((r) => [r.name, r.n]),
    ),
  );
  const databases = await part('db-database-public-connect', [] as LiveSnapshot['databases'], async () =>
    session.query<LiveSnapshot['databases'][number]>(
      `SELECT d.datname AS name, d.datistemplate AS template, d.datallowconn AS "allowConnections",
              EXISTS (SELECT 1 FROM pg_catalog.aclexplode(COALESCE(d.datacl, pg_catalog.acldefault('d'::"char", d.datdba))) a
                       WHERE a.grantee = 0 AND a.privilege_type = 'CONNECT') AS "publicConnect",
              EXISTS (SELECT 1 FROM pg_catalog.aclexplode(COALESCE(d.datacl, pg_catalog.acldefault('d'::"char", d.datdba))) a
                       WHERE a.grantee = 0 AND a.privilege_type = 'TEMPORARY') AS "publicTemporary"
         FROM pg_catalog.pg_database d ORDER BY d.datname COLLATE "C"`,
    ),
  );
  const extensions = await part('db-extension-in-public, db-extension-outdated', [] as LiveSnapshot['extensions'], async () =>
    session.query<LiveSnapshot['extensions'][number]>(
      `SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version, e.extrelocatable AS relocatable,
              (SELECT a.default_version FROM pg_catalog.pg_available_extensions a WHERE a.name = e.extname) AS "defaultVersion"
         FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
        ORDER BY e.extname COLLATE "C"`,
    ),
  );
  // pg_stat_replication lists every walsender with its role to every role (pg_stat_activity
  // hides other roles' backend_type without pg_read_all_stats); the WAL positions stay hidden.
  const replication = await part('db-replication-superuser', { senders: [], physicalSlots: 0 } as LiveSnapshot['replication'], async () => {
    const senders = await session.query<{ name: string }>(
      `SELECT DISTINCT r.usename AS name FROM pg_catalog.pg_stat_replication r WHERE r.usename IS NOT NULL ORDER BY 1`,
    );
    const [{ n }] = await session.query<{ n: number }>(`SELECT pg_catalog.count(*)::int AS n FROM pg_catalog.pg_replication_slots s WHERE s.slot_type = 'physical'`);
    return { senders: senders.map((s) => s.name), physicalSlots: n };
  });
  return { now, roleReferences, databases, extensions, replication };
}
