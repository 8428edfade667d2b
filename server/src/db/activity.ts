// Reads who is connected now (pg_stat_activity with pg_stat_ssl) for `pgwarden sessions`
// and the Sessions node; the judgement is core/live/activity.ts. Every read is a SELECT on
// views every role may query: what PostgreSQL hides from this role stays hidden (a row
// is `visible` only when the server showed it in full), and no query text is read at all.

import type { ActivityRead, ActivityRow } from '../core/live/activity';
import { Session } from './session';

interface Row {
  pid: number;
  role: string | null;
  database: string | null;
  client_addr: string | null;
  application: string | null;
  backend_type: string | null;
  state: string | null;
  state_change: Date | null;
  ssl: boolean | null;
  ssl_version: string | null;
  visible: boolean;
  superuser: boolean | null;
}

export async function readActivity(session: Session): Promise<ActivityRead> {
  const rows = await session.query<Row>(
    `SELECT a.pid, a.usename::text AS role, a.datname::text AS database, pg_catalog.host(a.client_addr) AS client_addr,
            a.application_name AS application, a.backend_type, a.state, a.state_change,
            s.ssl, s.version AS ssl_version,
            a.query IS DISTINCT FROM '<insufficient privilege>' AS visible,
            r.rolsuper AS superuser
       FROM pg_catalog.pg_stat_activity a
       LEFT JOIN pg_catalog.pg_stat_ssl s ON s.pid = a.pid
       LEFT JOIN pg_catalog.pg_roles r ON r.oid = a.usesysid
      ORDER BY a.pid`,
  );
  const [meta] = await session.query<{ now: Date; me: string; sees: boolean; max: number; reserved: number }>(
    `SELECT pg_catalog.now() AS now, current_user::text AS me,
            (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user)
              OR pg_catalog.pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS sees,
            pg_catalog.current_setting('max_connections')::int AS max,
            (SELECT COALESCE(pg_catalog.sum(s.setting::int), 0)::int FROM pg_catalog.pg_settings s
              WHERE s.name IN ('superuser_reserved_connections', 'reserved_connections')) AS reserved`,
  );
  const limits = await session.query<{ name: string; lim: number }>(
    `SELECT r.rolname::text AS name, r.rolconnlimit AS lim FROM pg_catalog.pg_roles r WHERE r.rolconnlimit >= 0 AND r.rolcanlogin`,
  );
  return {
    rows: rows.map(
      (r): ActivityRow => ({
        pid: r.pid,
        role: r.role,
        database: r.database,
        clientAddr: r.client_addr,
        application: r.application,
        backendType: r.backend_type ?? 'unknown',
        state: r.state,
        stateChange: r.state_change ? r.state_change.toISOString() : null,
        ssl: r.ssl,
        sslVersion: r.ssl_version,
        visible: r.visible,
        superuser: r.superuser === true,
      }),
    ),
    now: meta.now.toISOString(),
    maxConnections: meta.max,
    reservedConnections: meta.reserved,
    roleLimits: Object.fromEntries(limits.map((l) => [l.name, l.lim])),
    seesAll: meta.sees === true,
    currentUser: meta.me,
  };
}
