// A read-only session on a live server through node-postgres. Every session sets
// default_transaction_read_only, statement_timeout, lock_timeout and application_name
// with SET after connecting (PGlite ignores startup options, so SET is the one way that
// works everywhere). Errors become DbError with a kind and a message that never holds
// the password. A client-side deadline backs the server's statement_timeout; when it
// fires the connection is destroyed, because the query may still be running.

import { createReadStream, stat } from 'node:fs';
import { TLSSocket } from 'node:tls';
import { Client, ClientConfig } from 'pg';
import { describeTarget } from './target';
import { ConnectOptions, DbErrorKind, ResolvedTarget } from './types';
// pgpass has no type declarations; its helper is used directly so that the environment
// passed in (not only process.env) decides which file is read.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const pgpassHelper: {
  getFileName(env?: NodeJS.ProcessEnv): string;
  usePgPass(stats: import('node:fs').Stats, file: string): boolean;
  getPassword(connInfo: object, stream: NodeJS.ReadableStream, cb: (pass: string | undefined) => void): void;
} = require('pgpass/lib/helper.js');

/** A failure on the database side, with a kind the UI can act on (e.g. 'auth': prompt again). */
export class DbError extends Error {
  override name = 'DbError';
  constructor(
    readonly kind: DbErrorKind,
    message: string,
    /** The SQLSTATE or Node error code, when there is one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** How much longer than statement_timeout the client waits before it gives up on the server. */
const CLIENT_MARGIN_MS = 2_000;

/** Looks the target up in the pgpass file (PGPASSFILE or ~/.pgpass), as libpq does. */
export function pgpassLookup(target: ResolvedTarget, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const file = pgpassHelper.getFileName(env);
  return new Promise((resolve) => {
    stat(file, (err, stats) => {
      if (err || !pgpassHelper.usePgPass(stats, file)) return resolve(undefined);
      try {
        const stream = createReadStream(file);
        stream.on('error', () => resolve(undefined));
        pgpassHelper.getPassword(
          { host: target.host, port: target.port, database: target.database, user: target.user },
          stream,
          (pass) => resolve(pass),
        );
      } catch {
        resolve(undefined);
      }
    });
  });
}

/**
 * Connects and prepares a read-only session. `password` is called only when the server
 * asks for one and the pgpass file has none; returning undefined fails with kind 'auth'.
 * For sslmode=prefer a server without SSL is retried in plain text; for sslmode=allow a
 * plain connection the server refuses is retried with TLS.
 */
export async function connect(
  target: ResolvedTarget,
  password: () => Promise<string | undefined>,
  opts: ConnectOptions = {},
): Promise<Session> {
  const secrets: string[] = [];
  const passwordFn = async (): Promise<string> => {
    let pass: string | undefined;
    if (opts.pgpass !== false) pass = await pgpassLookup(target, opts.env ?? process.env);
    if (pass === undefined) pass = await password();
    if (pass === undefined || pass === '') {
      throw new DbError('auth', `no password supplied for ${describeTarget(target)}`, 'nopassword');
    }
    secrets.push(pass);
    return pass;
  };
  const attempt = (ssl: ResolvedTarget['ssl']) => open(target, ssl, passwordFn, opts);
  try {
    try {
      return await attempt(target.ssl);
    } catch (err) {
      const e = mapError(err, target);
      if (target.sslmode === 'prefer' && target.ssl && (e.kind === 'tls' || e.code === '28000')) return await attempt(false);
      if (target.sslmode === 'allow' && !target.ssl && target.allowTls && e.code === '28000') return await attempt(target.allowTls);
      throw e;
    }
  } catch (err) {
    throw scrub(beforeSetup(mapError(err, target), target), secrets);
  }
}

/**
 * A connection that ends before the session is set up never worked, so to the user the
 * server is not reachable rather than "lost": an SSH tunnel, a port-forward or a pooler
 * in front of a stopped server accepts the connection and then closes it.
 */
function beforeSetup(e: DbError, target: ResolvedTarget): DbError {
  if (e.kind !== 'lost') return e;
  const where = describeTarget(target);
  const prefix = `connection to ${where} lost: `;
  const detail = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
  return new DbError('refused', `cannot reach ${where}: the server closed the connection before the session was set up (${detail})`, e.code);
}

async function open(
  target: ResolvedTarget,
  ssl: ResolvedTarget['ssl'],
  password: () => Promise<string>,
  opts: ConnectOptions,
): Promise<Session> {
  const timeout = opts.statementTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const config: ClientConfig = {
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password,
    ssl,
    application_name: opts.applicationName ?? 'pgwarden',
    connectionTimeoutMillis: opts.connectTimeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
  const client = new Client(config);
  // An 'error' event without a listener would crash the process (the extension host).
  let lostReason: Error | undefined;
  client.on('error', (err) => {
    lostReason = err;
  });
  try {
    await client.connect();
  } catch (err) {
    destroy(client);
    throw err;
  }
  const session = new Session(client, target, timeout, () => lostReason);
  try {
    await session.setup(opts.applicationName ?? 'pgwarden', timeout, opts.lockTimeoutMs ?? timeout);
  } catch (err) {
    await session.close();
    throw err;
  }
  return session;
}

function destroy(client: Client): void {
  try {
    const stream = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
    stream?.destroy();
  } catch {
    // Already gone.
  }
  client.end().catch(() => undefined);
}

/** A connected read-only session. */
export class Session {
  /** server_version_num, e.g. 150004 or 180000. */
  serverVersionNum = 0;
  /** The major version, e.g. 15. */
  major = 0;
  currentUser = '';
  isSuperuser = false;
  /** Whether this connection is encrypted with TLS. */
  readonly tls: boolean;
  private ended = false;
  private readonly lostListeners: Array<(err: DbError) => void> = [];

  constructor(
    private readonly client: Client,
    readonly target: ResolvedTarget,
    readonly statementTimeoutMs: number,
    lost: () => Error | undefined,
  ) {
    const stream = (client as unknown as { connection?: { stream?: unknown } }).connection?.stream;
    this.tls = stream instanceof TLSSocket;
    const onLost = () => {
      if (this.ended) return;
      this.ended = true;
      const reason = lost();
      const e = new DbError('lost', `connection to ${describeTarget(target)} lost${reason ? `: ${reason.message}` : ''}`, 'lost');
      for (const l of this.lostListeners) {
        try {
          l(e);
        } catch {
          // A listener's failure must not stop the others.
        }
      }
    };
    client.on('end', onLost);
    client.on('error', onLost);
  }

  /** Called once by connect(). */
  async setup(applicationName: string, statementTimeoutMs: number, lockTimeoutMs: number): Promise<void> {
    // SET takes no bind parameters; set_config() does, and is equally session-wide.
    await this.query(
      `SELECT pg_catalog.set_config('default_transaction_read_only', 'on', false),
              pg_catalog.set_config('statement_timeout', $1, false),
              pg_catalog.set_config('lock_timeout', $2, false),
              pg_catalog.set_config('application_name', $3, false)`,
      [`${Math.max(1, Math.floor(statementTimeoutMs))}ms`, `${Math.max(1, Math.floor(lockTimeoutMs))}ms`, applicationName],
    );
    const rows = await this.query<{ v: string; u: string; su: boolean }>(
      `SELECT pg_catalog.current_setting('server_version_num') AS v, current_user AS u,
              (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) AS su`,
    );
    this.serverVersionNum = Number(rows[0].v);
    this.major = Math.floor(this.serverVersionNum / 10000);
    this.currentUser = rows[0].u;
    this.isSuperuser = rows[0].su === true;
    if (this.major >= 14) {
      // When the client-side deadline destroys the connection, the server would otherwise
      // go on running the statement until it next writes to the socket; with this it checks
      // the connection every second and cancels. Not every platform supports it (PGlite),
      // so a refusal is ignored.
      try {
        await this.query(`SELECT pg_catalog.set_config('client_connection_check_interval', '1000', false)`);
      } catch {
        // Unsupported here: the statement_timeout still bounds every query.
      }
    }
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Calls `listener` once if the connection ends other than by close(). */
  onLost(listener: (err: DbError) => void): void {
    this.lostListeners.push(listener);
  }

  /**
   * Runs one parameterized statement. Fails with DbError; after a client-side timeout
   * the connection is destroyed and the session is closed.
   */
  async query<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
    if (this.ended) throw new DbError('lost', `connection to ${describeTarget(this.target)} is closed`, 'lost');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.ended = true;
        destroy(this.client);
        reject(new DbError('timeout', `no answer from ${describeTarget(this.target)} within ${this.statementTimeoutMs + CLIENT_MARGIN_MS} ms; the connection was closed`, 'client-timeout'));
      }, this.statementTimeoutMs + CLIENT_MARGIN_MS);
    });
    try {
      const result = await Promise.race([this.client.query({ text, values }), deadline]);
      return result.rows as T[];
    } catch (err) {
      const e = mapError(err, this.target);
      // An error without a SQLSTATE that is not a network failure is a protocol failure
      // (e.g. "received invalid response"): the connection's state is unknown, so it is
      // closed rather than left to hang the next query.
      const sqlstate = typeof (err as { code?: unknown })?.code === 'string' && /^[0-9A-Z]{5}$/.test((err as { code: string }).code);
      // pg may already have ended the session for the same bad message (its 'error' event
      // comes first when the garbage is followed by more data), so 'other' is mapped
      // whether or not the session is still marked open.
      // A TLS error after the handshake is a damaged stream, not a certificate problem:
      // reporting it as a failed verification would send the user after the certificate.
      if (!sqlstate && (e.kind === 'other' || e.kind === 'tls' || (e.kind === 'lost' && !this.ended))) {
        this.ended = true;
        destroy(this.client);
        const detail = e.kind === 'tls' ? `the TLS stream failed: ${String((err as Error)?.message ?? err)}` : e.message;
        throw new DbError('lost', `connection to ${describeTarget(this.target)} broken: ${detail}`, e.code ?? 'protocol');
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private readonly readable = new Map<string, boolean>();

  /**
   * Whether the session may read a catalog table (an administrator can REVOKE SELECT on
   * one from PUBLIC). Asked once per table and session; the catalog queries leave out
   * what cannot be read instead of failing as a whole.
   */
  async canRead(catalogTable: string): Promise<boolean> {
    const known = this.readable.get(catalogTable);
    if (known !== undefined) return known;
    const [{ ok }] = await this.query<{ ok: boolean }>(`SELECT pg_catalog.has_table_privilege($1, 'SELECT') AS ok`, [catalogTable]);
    this.readable.set(catalogTable, ok);
    return ok;
  }

  async close(): Promise<void> {
    if (this.ended) {
      destroy(this.client);
      return;
    }
    this.ended = true;
    // client.end() waits for the server to close the socket. On a partitioned network that
    // never happens, and a disconnect or reconnect would hang; after the client's margin
    // the socket is destroyed instead.
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'gave up'>((resolve) => {
      timer = setTimeout(() => resolve('gave up'), CLIENT_MARGIN_MS);
    });
    const ended = this.client.end().then(
      () => 'ended' as const,
      () => 'failed' as const,
    );
    try {
      if ((await Promise.race([ended, gaveUp])) !== 'ended') destroy(this.client);
    } finally {
      clearTimeout(timer);
    }
  }
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

const REFUSED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOENT', 'EADDRNOTAVAIL']);
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03', '08006', '08003', '08000']);

/** Turns anything thrown by pg, net or tls into a DbError with a clear message. */
export function mapError(err: unknown, target: ResolvedTarget): DbError {
  if (err instanceof DbError) return err;
  const e = err as { code?: string; message?: string; detail?: string; hint?: string };
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const msg = String(e?.message ?? err);
  const where = describeTarget(target);
  if (code === '28P01') return new DbError('auth', `password authentication failed for user "${target.user}" on ${where}`, code);
  if (code === '28000') return new DbError('auth', `${msg} (${where})`, code);
  if (code === '57014') return new DbError('timeout', `statement timed out (statement_timeout) on ${where}: ${msg}`, code);
  if (code === '55P03') return new DbError('timeout', `lock timeout on ${where}: ${msg}`, code);
  if (code === '42501') return new DbError('permission', `permission denied on ${where}: ${msg}`, code);
  if (code === '25006') return new DbError('readonly', `the pgwarden session is read-only: ${msg}`, code);
  if (code && REFUSED_CODES.has(code)) return new DbError('refused', `cannot reach ${where}: ${msg}`, code);
  if (/does not support SSL/i.test(msg)) return new DbError('tls', `${where}: the server does not support SSL connections; use sslmode=prefer or disable only on a trusted network`, 'nossl');
  if ((code && (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'))) || /certificate|self[- ]signed|SSL routines/i.test(msg)) {
    return new DbError('tls', `TLS verification of ${where} failed: ${msg}`, code ?? 'tls');
  }
  if (/timeout expired|connection timeout/i.test(msg)) return new DbError('timeout', `connecting to ${where} timed out`, 'connect-timeout');
  if ((code && LOST_CODES.has(code)) || /Connection terminated|connection ended|not queryable|Client was closed/i.test(msg)) {
    return new DbError('lost', `connection to ${where} lost: ${msg}`, code ?? 'lost');
  }
  return new DbError('other', `${where}: ${msg}`, code);
}

/** Removes any password that reached a message (defence in depth: pg never puts it there). */
function scrub(e: DbError, secrets: readonly string[]): DbError {
  let m = e.message;
  for (const s of secrets) if (s) m = m.split(s).join('***');
  return m === e.message ? e : new DbError(e.kind, m, e.code);
}
