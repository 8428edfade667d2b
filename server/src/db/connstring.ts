// Connection strings the way libpq reads them: a postgres:// URL (through
// pg-connection-string, with the TLS parameters taken out first because that package
// reads certificate files while parsing), a `key=value` conninfo string (parsed here:
// pg-connection-string only understands URLs), and `pg_service.conf` service files.
// Nothing here connects, and nothing here ever keeps a password.

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseUrl } from 'pg-connection-string';
import { ConnectionProfile, SslMode, SSL_MODES } from './types';

/** A connection string or service file that cannot be used; the message never echoes a password. */
export class ConnStringError extends Error {
  override name = 'ConnStringError';
}

/** The libpq parameters pgwarden uses, with the profile field each one sets. */
const KEYWORDS: Record<string, keyof ConnectionProfile> = {
  host: 'host',
  hostaddr: 'host',
  port: 'port',
  dbname: 'database',
  user: 'user',
  sslmode: 'sslmode',
  sslrootcert: 'sslrootcert',
  sslcert: 'sslcert',
  sslkey: 'sslkey',
  service: 'service',
};

/**
 * libpq parameters that are valid but do not change who we connect to or how it is
 * secured; they are accepted and ignored, so a string copied from psql still works.
 */
const IGNORED = new Set([
  'application_name',
  'fallback_application_name',
  'connect_timeout',
  'options',
  'client_encoding',
  'keepalives',
  'keepalives_idle',
  'keepalives_interval',
  'keepalives_count',
  'tcp_user_timeout',
  'target_session_attrs',
  'load_balance_hosts',
  'sslcompression',
  'sslsni',
  'sslcrl',
  'sslcrldir',
  'ssl_min_protocol_version',
  'ssl_max_protocol_version',
  'sslnegotiation',
  'gssencmode',
  'gsslib',
  'krbsrvname',
  'requirepeer',
  'require_auth',
  'channel_binding',
  'replication',
  'passfile',
]);

const PASSWORD_REFUSED =
  'a password in the connection string is not accepted: use PGPASSWORD, ~/.pgpass or the password prompt';

/**
 * Parses a URL (`postgres://` or `postgresql://`), a libpq `key=value` string, or a bare
 * `service=NAME`. The returned profile keeps the original string in `url` or `conninfo`
 * and has the fields it names filled in; defaults are applied later by resolveProfile.
 */
export function parseConnectionString(s: string, name = ''): ConnectionProfile {
  const text = s.trim();
  if (/^postgres(ql)?:\/\//i.test(text)) return { name, ...parseUrlString(text), url: text };
  return { name, ...parseConninfo(text), conninfo: text };
}

function parseUrlString(url: string): Partial<ConnectionProfile> {
  // Take the query apart ourselves: TLS parameters must not reach pg-connection-string
  // (it would read the files and build its own, wrong, TLS options), and the remaining
  // parameters are checked like conninfo keywords.
  const q = url.indexOf('?');
  const base = q < 0 ? url : url.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const out: Partial<ConnectionProfile> = {};
  const keep = new URLSearchParams();
  for (const [key, value] of params) {
    if (key === 'host' || key === 'port' || key === 'dbname' || key === 'user') keep.append(key, value);
    else if (key === 'password') throw new ConnStringError(PASSWORD_REFUSED);
    else if (key in KEYWORDS) assign(out, key, value);
    else if (!IGNORED.has(key)) throw new ConnStringError(`invalid URI query parameter: "${key}"`);
  }
  let parsed: Record<string, string | null | undefined>;
  try {
    const rest = keep.toString();
    parsed = parseUrl(rest ? `${base}?${rest}` : base) as unknown as Record<string, string | null | undefined>;
  } catch (err) {
    throw new ConnStringError(`invalid connection URL: ${(err as Error).message}`);
  }
  if (parsed.password) throw new ConnStringError(PASSWORD_REFUSED);
  if (parsed.host) assign(out, 'host', parsed.host);
  if (parsed.port) assign(out, 'port', parsed.port);
  if (parsed.database) assign(out, 'dbname', parsed.database);
  if (parsed.user) assign(out, 'user', parsed.user);
  return out;
}

/**
 * Parses a libpq conninfo string: `key = value` pairs separated by blanks, values either
 * bare (a backslash escapes the next character) or in single quotes (where a backslash
 * escapes a quote or a backslash). Unknown keywords are errors, as in libpq.
 */
export function parseConninfo(s: string): Partial<ConnectionProfile> {
  const out: Partial<ConnectionProfile> = {};
  let i = 0;
  const n = s.length;
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
  while (i < n) {
    while (i < n && isSpace(s[i])) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && s[i] !== '=' && !isSpace(s[i])) i++;
    const key = s.slice(keyStart, i);
    while (i < n && isSpace(s[i])) i++;
    if (s[i] !== '=') throw new ConnStringError(`missing "=" after "${key}" in connection info string`);
    i++;
    while (i < n && isSpace(s[i])) i++;
    let value = '';
    if (s[i] === "'") {
      i++;
      let closed = false;
      while (i < n) {
        const c = s[i];
        if (c === '\\' && i + 1 < n) {
          value += s[i + 1];
          i += 2;
        } else if (c === "'") {
          i++;
          closed = true;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (!closed) throw new ConnStringError('unterminated quoted string in connection info string');
    } else {
      while (i < n && !isSpace(s[i])) {
        if (s[i] === '\\' && i + 1 < n) {
          value += s[i + 1];
          i += 2;
        } else {
          value += s[i++];
        }
      }
    }
    if (key === 'password') throw new ConnStringError(PASSWORD_REFUSED);
    if (key in KEYWORDS) assign(out, key, value);
    else if (!IGNORED.has(key)) throw new ConnStringError(`invalid connection option "${key}"`);
  }
  return out;
}

/** Sets a profile field from a libpq keyword, checking the values libpq would check. */
function assign(out: Partial<ConnectionProfile>, key: string, value: string): void {
  const field = KEYWORDS[key];
  if (field === 'port') {
    if (value === '') return;
    if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
      throw new ConnStringError(`invalid port number: "${value}"`);
    }
    out.port = Number(value);
  } else if (field === 'sslmode') {
    if (!(SSL_MODES as readonly string[]).includes(value)) throw new ConnStringError(`invalid sslmode value: "${value}"`);
    out.sslmode = value as SslMode;
  } else if (field === 'host') {
    if (value.includes(',')) throw new ConnStringError('several hosts in one connection are not supported; make one profile per host');
    // hostaddr wins over host in libpq when both are given: it is what we connect to.
    if (key === 'hostaddr' || out.host === undefined) out.host = value;
  } else if (field) {
    (out as Record<string, unknown>)[field] = value;
  }
}

/** The service files libpq reads, in order: the user's file, then the system-wide one. */
export function serviceFiles(env: NodeJS.ProcessEnv): string[] {
  const files: string[] = [];
  if (env.PGSERVICEFILE) files.push(env.PGSERVICEFILE);
  else files.push(join(env.HOME || homedir(), '.pg_service.conf'));
  files.push(join(env.PGSYSCONFDIR || '/etc/postgresql-common', 'pg_service.conf'));
  return files;
}

/**
 * Reads the parameters of service `name` from pg_service.conf files (INI: `[name]`
 * sections of `key=value` lines, `#` comments). The first file that defines the
 * service wins, as in libpq. Throws ConnStringError when no file defines it.
 */
export function readServiceFile(name: string, env: NodeJS.ProcessEnv = process.env): Partial<ConnectionProfile> {
  for (const file of serviceFiles(env)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const found = parseServiceText(text, name, file);
    if (found) return found;
  }
  throw new ConnStringError(`definition of service "${name}" not found`);
}

/** The parameters of one service in the text of a service file, or undefined if it is not there. */
export function parseServiceText(text: string, name: string, file = 'pg_service.conf'): Partial<ConnectionProfile> | undefined {
  let current: string | undefined;
  let found: Partial<ConnectionProfile> | undefined;
  const lines = text.split(/\r?\n/);
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li].trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      if (found) break;
      const end = line.indexOf(']');
      if (end < 0) throw new ConnStringError(`syntax error in service file "${file}", line ${li + 1}`);
      current = line.slice(1, end);
      if (current === name) found = {};
      continue;
    }
    if (current !== name || !found) continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw new ConnStringError(`syntax error in service file "${file}", line ${li + 1}`);
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'service') throw new ConnStringError(`nested service specifications not supported in service file "${file}", line ${li + 1}`);
    if (key === 'password') throw new ConnStringError(`${PASSWORD_REFUSED} (service file "${file}", line ${li + 1})`);
    if (key in KEYWORDS) {
      // A service file only supplies defaults, so a repeated key keeps its first value.
      const field = KEYWORDS[key];
      if ((found as Record<string, unknown>)[field] === undefined) assign(found, key, value);
    } else if (!IGNORED.has(key)) {
      throw new ConnStringError(`syntax error in service file "${file}", line ${li + 1}: invalid connection option "${key}"`);
    }
  }
  return found;
}
