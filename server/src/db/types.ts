// The data shapes of the live-database layer, shared by the connection code, the catalog
// snapshot, the privilege graph, the live audit, the CLI and (through the server's custom
// requests) the VS Code client. Plain JSON-serialisable objects only.

import type { ConnectionOptions } from 'node:tls';

export type { ConnectionProfile, SslMode } from '../shared/profile';
export { SSL_MODES } from '../shared/profile';
import type { SslMode } from '../shared/profile';

/** Where and how to connect, with every default applied. */
export interface ResolvedTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode: SslMode;
  /**
   * The TLS options for the first attempt, or false for a plain connection. For `prefer`
   * the session falls back to plain when the server does not support SSL; for `allow` it
   * starts plain (ssl false) and retries with `allowTls` when the server refuses that.
   */
  ssl: ConnectionOptions | false;
  /** TLS options used by `allow` on its second attempt. */
  allowTls?: ConnectionOptions;
  /** Certificate paths as configured (kept for the fingerprint and for display). */
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  /** Whether the server's certificate chain is verified against a CA. */
  verifiesCertificate: boolean;
  /** Whether the server's host name is checked against its certificate. */
  verifiesHostname: boolean;
}

export type { DbErrorKind } from '../shared/protocol';

/** Input to connect(). */
export interface ConnectOptions {
  /** statement_timeout for every statement, and the client-side deadline (plus a margin). Default 10000. */
  statementTimeoutMs?: number;
  /** lock_timeout; default: the statement timeout. */
  lockTimeoutMs?: number;
  /** application_name; default 'pgwarden'. */
  applicationName?: string;
  /** How long to wait for the TCP/TLS handshake and authentication. Default 10000. */
  connectTimeoutMs?: number;
  /** Environment used for PGPASSFILE and HOME; default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Consult the pgpass file before the password callback (default true). The CLI turns
   * it off when PGPASSWORD is set, because libpq prefers PGPASSWORD.
   */
  pgpass?: boolean;
}

export * from '../core/live/catalog';
