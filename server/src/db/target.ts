// From a saved profile to a concrete target: libpq's order of precedence (explicit
// fields, then the connection string, then the service file, then PG* environment
// variables, then defaults), and libpq's sslmode semantics mapped to Node TLS options.
// node-postgres' own sslmode handling treats prefer/require/verify-ca as verify-full, so
// it is never given an sslmode: only the TLS options built here.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import ipaddr from 'ipaddr.js';
import { ConnStringError, parseConnectionString, readServiceFile } from './connstring';
import { ConnectionProfile, ResolvedTarget, SslMode, SSL_MODES } from './types';

type Fields = Omit<Partial<ConnectionProfile>, 'name' | 'url' | 'conninfo'>;

const FIELDS = ['host', 'port', 'database', 'user', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'service'] as const;

/** Fills every field left undefined in `into` from `from`. */
function fill(into: Fields, from: Fields): void {
  for (const k of FIELDS) {
    if (into[k] === undefined && from[k] !== undefined && from[k] !== '') (into as Record<string, unknown>)[k] = from[k];
  }
}

/**
 * Applies libpq's defaults to a profile and builds the TLS options. Reads certificate
 * files and the service file; throws ConnStringError with a clear message when one is
 * missing or a value is invalid.
 */
export function resolveProfile(profile: ConnectionProfile, env: NodeJS.ProcessEnv = process.env): ResolvedTarget {
  const f: Fields = {};
  fill(f, profile);
  if (profile.url || profile.conninfo) {
    const parsed = parseConnectionString(profile.url ?? profile.conninfo ?? '');
    fill(f, parsed);
  }
  const service = f.service ?? env.PGSERVICE;
  if (service) fill(f, readServiceFile(service, env));
  const envFields: Fields = {};
  if (env.PGHOSTADDR) envFields.host = env.PGHOSTADDR;
  else if (env.PGHOST) envFields.host = env.PGHOST;
  if (env.PGPORT) envFields.port = parsePort(env.PGPORT);
  if (env.PGDATABASE) envFields.database = env.PGDATABASE;
  if (env.PGUSER) envFields.user = env.PGUSER;
  if (env.PGSSLMODE) {
    if (!(SSL_MODES as readonly string[]).includes(env.PGSSLMODE)) throw new ConnStringError(`invalid sslmode value: "${env.PGSSLMODE}"`);
    envFields.sslmode = env.PGSSLMODE as SslMode;
  }
  if (env.PGSSLROOTCERT) envFields.sslrootcert = env.PGSSLROOTCERT;
  if (env.PGSSLCERT) envFields.sslcert = env.PGSSLCERT;
  if (env.PGSSLKEY) envFields.sslkey = env.PGSSLKEY;
  fill(f, envFields);

  const host = f.host || 'localhost';
  if (host.includes(',')) throw new ConnStringError('several hosts in one connection are not supported; make one profile per host');
  const port = f.port ?? 5432;
  const user = f.user || env.USER || env.LOGNAME || safeUserName();
  const database = f.database || user;
  const sslmode: SslMode = f.sslmode ?? 'prefer';
  return buildTls({ host, port, database, user, sslmode, sslrootcert: f.sslrootcert, sslcert: f.sslcert, sslkey: f.sslkey }, env);
}

function parsePort(s: string): number {
  const n = Number(s.trim());
  if (!/^\d{1,5}$/.test(s.trim()) || n < 1 || n > 65535) throw new ConnStringError(`invalid port number: "${s}"`);
  return n;
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

interface Plain {
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode: SslMode;
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConnStringError(`could not read ${what} file "${path}": ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/** libpq's sslmode semantics as Node TLS options. */
function buildTls(t: Plain, env: NodeJS.ProcessEnv): ResolvedTarget {
  const home = join(env.HOME || homedir(), '.postgresql');
  const socket = t.host.startsWith('/');
  // libpq looks for ~/.postgresql/root.crt (and a client certificate) when none is named.
  const rootcert = t.sslrootcert ?? (existsSync(join(home, 'root.crt')) ? join(home, 'root.crt') : undefined);
  const certPath = t.sslcert ?? (existsSync(join(home, 'postgresql.crt')) ? join(home, 'postgresql.crt') : undefined);
  const keyPath = t.sslkey ?? (certPath && existsSync(join(home, 'postgresql.key')) ? join(home, 'postgresql.key') : undefined);
  const base = { host: t.host, port: t.port, database: t.database, user: t.user, sslmode: t.sslmode, sslrootcert: t.sslrootcert, sslcert: t.sslcert, sslkey: t.sslkey };
  if (t.sslmode === 'disable' || socket) {
    // TLS is never used over a Unix socket, whatever the mode says.
    return { ...base, ssl: false, verifiesCertificate: false, verifiesHostname: false };
  }
  const tls: ConnectionOptions = {};
  if (certPath && keyPath) {
    tls.cert = readPem(certPath, 'client certificate');
    tls.key = readPem(keyPath, 'client key');
  }
  const systemRoots = rootcert === 'system';
  // sslrootcert=system means the system's trusted roots, and libpq then insists on verify-full.
  let mode = t.sslmode;
  if (systemRoots && mode !== 'verify-full') {
    if (mode === 'verify-ca' || mode === 'require') mode = 'verify-full';
  }
  const noVerify = (): ConnectionOptions => ({ ...tls, rejectUnauthorized: false });
  const chainOnly = (): ConnectionOptions => ({
    ...tls,
    ...(systemRoots ? {} : { ca: readPem(rootcert as string, 'root certificate') }),
    rejectUnauthorized: true,
    // The chain is verified by Node before this runs; returning undefined skips only the name check.
    checkServerIdentity: () => undefined,
  });
  const full = (): ConnectionOptions => ({
    ...tls,
    ...(systemRoots ? {} : { ca: readPem(rootcert as string, 'root certificate') }),
    rejectUnauthorized: true,
  });
  const needRoot = () => {
    if (!rootcert) {
      throw new ConnStringError(
        `sslmode=${t.sslmode} needs a root certificate: set sslrootcert (or PGSSLROOTCERT), use sslrootcert=system for the system's trusted roots, or choose sslmode=require`,
      );
    }
  };
  switch (mode) {
    case 'allow':
      return { ...base, ssl: false, allowTls: noVerify(), verifiesCertificate: false, verifiesHostname: false };
    case 'prefer':
      return { ...base, ssl: noVerify(), verifiesCertificate: false, verifiesHostname: false };
    case 'require':
      // As in libpq: with a root certificate available, require verifies the chain like verify-ca.
      if (rootcert) return { ...base, ssl: chainOnly(), verifiesCertificate: true, verifiesHostname: false };
      return { ...base, ssl: noVerify(), verifiesCertificate: false, verifiesHostname: false };
    case 'verify-ca':
      needRoot();
      return { ...base, ssl: chainOnly(), verifiesCertificate: true, verifiesHostname: false };
    case 'verify-full':
    default:
      needRoot();
      return { ...base, ssl: full(), verifiesCertificate: true, verifiesHostname: true };
  }
}

/**
 * The key a password is stored under: a SHA-256 of where we connect, as whom, and how
 * the server is verified. Never the profile name, so renaming a profile or pointing it
 * elsewhere cannot hand a stored password to another server.
 */
export function fingerprint(target: ResolvedTarget): string {
  const key = JSON.stringify([
    'pgwarden-v1',
    target.host.toLowerCase(),
    target.port,
    target.database,
    target.user,
    target.sslmode,
    target.sslrootcert ?? null,
    target.sslcert ?? null,
    target.sslkey ?? null,
  ]);
  return createHash('sha256').update(key).digest('hex');
}

/** Whether a host is this machine: a Unix socket directory, `localhost`, or a loopback address. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase();
  if (h.startsWith('/') || h.startsWith('@')) return true;
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const bare = h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
  if (isIP(bare) === 0) return false;
  try {
    let addr = ipaddr.parse(bare);
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
    return addr.range() === 'loopback';
  } catch {
    return false;
  }
}

/** `user@host:port/database (sslmode)`: for status bars and messages; never a password. */
export function describeTarget(t: ResolvedTarget): string {
  const host = t.host.includes(':') && !t.host.startsWith('/') ? `[${t.host}]` : t.host;
  return `${t.user}@${host}:${t.port}/${t.database} (sslmode=${t.sslmode})`;
}

/** A warning for a connection that leaves this machine without a verified certificate, or undefined. */
export function tlsWarning(t: ResolvedTarget): string | undefined {
  if (isLoopback(t.host)) return undefined;
  if (t.verifiesCertificate && t.verifiesHostname) return undefined;
  if (t.verifiesCertificate) {
    return `The connection to ${t.host} verifies the certificate chain but not the host name (sslmode=${t.sslmode}); use sslmode=verify-full.`;
  }
  return `The connection to ${t.host} does not verify the server's certificate (sslmode=${t.sslmode}): the password and data can be intercepted. Use sslmode=verify-full with sslrootcert.`;
}
