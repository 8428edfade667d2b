// Who is connected now: pg_stat_activity joined with pg_stat_ssl, as the session may see it,
// judged here by pure functions shared by `pgwarden sessions` and the Sessions node of the
// database tree. PostgreSQL shows another role's backend in full only to superusers and
// members of pg_read_all_stats (pg_monitor includes it); for the others it leaves the
// address, application, state and TLS columns empty. Those rows are counted as hidden and
// never guessed at.

import { DEFAULT_IDLE_IN_TRANSACTION_SECONDS, PgwardenConfig } from '../config';

/** One backend as pg_stat_activity shows it to this session. */
export interface ActivityRow {
  pid: number;
  /** Null for background workers without a role. */
  role: string | null;
  database: string | null;
  /** The client's IP address; null for a Unix socket, and for a hidden row. */
  clientAddr: string | null;
  application: string | null;
  /** 'client backend', 'autovacuum launcher', 'walsender', ...; 'unknown' when hidden. */
  backendType: string;
  /** 'active', 'idle', 'idle in transaction', ...; null when hidden. */
  state: string | null;
  /** ISO timestamp of the last state change; null when hidden. */
  stateChange: string | null;
  /** Whether the connection uses TLS; null when pg_stat_ssl's row is hidden. */
  ssl: boolean | null;
  sslVersion: string | null;
  /** Whether PostgreSQL showed this backend in full (own role, superuser or pg_read_all_stats). */
  visible: boolean;
  /** The role is a superuser (from pg_roles, visible to every role). */
  superuser: boolean;
}

export interface ActivityRead {
  rows: ActivityRow[];
  /** The server's clock when the rows were read (ISO), for ages. */
  now: string;
  maxConnections: number;
  /** superuser_reserved_connections plus reserved_connections (16+). */
  reservedConnections: number;
  /** Roles with a CONNECTION LIMIT (rolconnlimit >= 0). */
  roleLimits: Record<string, number>;
  /** The session may see every backend in full: superuser or pg_read_all_stats. */
  seesAll: boolean;
  /** The role the session runs as. */
  currentUser: string;
}

export interface SessionOptions {
  /** Idle in a transaction longer than this is flagged (pgwarden.json sessions.idleInTransaction). */
  idleInTransactionSeconds: number;
  /** A role or the server at this share of its limit is "near" it. */
  nearLimitRatio: number;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = { idleInTransactionSeconds: DEFAULT_IDLE_IN_TRANSACTION_SECONDS, nearLimitRatio: 0.8 };

/** The judgement's options as pgwarden.json sets them. */
export function sessionOptions(config: Pick<PgwardenConfig, 'sessions'>): SessionOptions {
  return { ...DEFAULT_SESSION_OPTIONS, idleInTransactionSeconds: config.sessions.idleInTransactionSeconds };
}

export type SessionFlagKind = 'no-tls' | 'superuser-remote' | 'idle-in-transaction' | 'role-limit' | 'server-limit';

export interface SessionFlag {
  kind: SessionFlagKind;
  severity: 'warning' | 'info';
  /** The backend's pid, for flags about one session. */
  pid?: number;
  role?: string;
  message: string;
}

export interface CountRow {
  key: string;
  count: number;
}

export interface SessionsReport {
  /** Client backends this session can see (hidden ones included). */
  clients: number;
  /** Other processes (autovacuum, walsender, background workers). */
  others: number;
  byRole: CountRow[];
  byDatabase: CountRow[];
  /** Client address; `local` for a Unix socket, `hidden` for rows PostgreSQL does not show. */
  byClient: CountRow[];
  byApplication: CountRow[];
  flags: SessionFlag[];
  /** Rows whose address, state and TLS PostgreSQL hides from this role, and what would show them. */
  hidden: { count: number; why?: string };
  capacity: { used: number; max: number };
  /** The sessions themselves, visible ones first, for a listing (paged by the caller). */
  rows: ActivityRow[];
}

/** Whether an address is this machine (127.0.0.0/8, ::1, IPv4-mapped loopback). */
export function isLoopbackAddress(addr: string): boolean {
  const a = addr.trim().toLowerCase().replace(/\/\d+$/, '');
  return a === '::1' || /^127\./.test(a) || /^::ffff:127\./.test(a);
}

function counts(keys: Iterable<string>): CountRow[] {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m.entries()].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The client column: a hidden row says so rather than passing for a local one. */
function clientOf(r: ActivityRow): string {
  if (!r.visible) return 'hidden';
  return r.clientAddr ?? 'local';
}

function ageSeconds(from: string | null, now: string): number | undefined {
  if (!from) return undefined;
  const s = (Date.parse(now) - Date.parse(from)) / 1000;
  return Number.isFinite(s) ? s : undefined;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/**
 * A client session: PostgreSQL hides the backend type of other roles' rows too, so a hidden
 * row with a role counts as a client (server processes without a role are never hidden).
 */
function isClient(r: ActivityRow): boolean {
  return r.backendType === 'client backend' || (!r.visible && r.role !== null);
}

export function judgeSessions(a: ActivityRead, opts: SessionOptions = DEFAULT_SESSION_OPTIONS): SessionsReport {
  const clients = a.rows.filter(isClient);
  const flags: SessionFlag[] = [];
  for (const r of clients) {
    if (!r.visible) continue;
    const remote = r.clientAddr !== null && !isLoopbackAddress(r.clientAddr);
    const who = `"${r.role ?? '?'}"`;
    if (remote && r.ssl === false) {
      flags.push({ kind: 'no-tls', severity: 'warning', pid: r.pid, role: r.role ?? undefined, message: `Session ${r.pid} of ${who} from ${r.clientAddr} is not encrypted (no TLS): its password exchange and queries cross the network in clear text.` });
    }
    if (remote && r.superuser) {
      flags.push({ kind: 'superuser-remote', severity: 'warning', pid: r.pid, role: r.role ?? undefined, message: `Superuser session ${r.pid} of ${who} comes from ${r.clientAddr}, outside this machine.` });
    }
    if (r.state?.startsWith('idle in transaction')) {
      const age = ageSeconds(r.stateChange, a.now);
      if (age !== undefined && age > opts.idleInTransactionSeconds) {
        flags.push({ kind: 'idle-in-transaction', severity: 'warning', pid: r.pid, role: r.role ?? undefined, message: `Session ${r.pid} of ${who} has been ${r.state} for ${duration(age)} (limit ${duration(opts.idleInTransactionSeconds)}): it holds its locks and snapshot all that time.` });
      }
    }
  }
  const byRole = counts(clients.map((r) => r.role ?? '?'));
  for (const { key, count } of byRole) {
    const limit = a.roleLimits[key];
    if (limit === undefined) continue;
    if (limit === 0 || count >= limit * opts.nearLimitRatio) {
      flags.push({ kind: 'role-limit', severity: count >= limit ? 'warning' : 'info', role: key, message: `Role "${key}" has ${count} of its ${limit} connections (CONNECTION LIMIT).` });
    }
  }
  const max = Math.max(0, a.maxConnections - a.reservedConnections);
  if (max > 0 && clients.length >= max * opts.nearLimitRatio) {
    flags.push({ kind: 'server-limit', severity: clients.length >= max ? 'warning' : 'info', message: `${clients.length} of the ${max} connections open to ordinary roles are in use (max_connections ${a.maxConnections}, ${a.reservedConnections} reserved).` });
  }
  const hiddenCount = clients.filter((r) => !r.visible).length;
  return {
    clients: clients.length,
    others: a.rows.length - clients.length,
    byRole,
    byDatabase: counts(clients.map((r) => r.database ?? '?')),
    byClient: counts(clients.map(clientOf)),
    // application_name is shown even on hidden rows; an empty one only where the row is visible.
    byApplication: counts(clients.filter((r) => r.visible || r.application).map((r) => r.application || '(none)')),
    flags,
    hidden: {
      count: hiddenCount,
      why: hiddenCount
        ? `PostgreSQL shows "${a.currentUser}" only its own sessions in full: the address, application, state and TLS of ${hiddenCount} other session${hiddenCount === 1 ? '' : 's'} are hidden. Members of pg_read_all_stats (pg_monitor includes it) and superusers see them.`
        : undefined,
    },
    capacity: { used: clients.length, max },
    rows: [...clients].sort((x, y) => Number(y.visible) - Number(x.visible) || x.pid - y.pid),
  };
}
