// A connection profile: its schema and the one sanitiser, used by the client on what it
// reads from settings and by the server on what a request carries, so neither side can
// let an unknown field or a password through.

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
export const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/**
 * A saved connection as the user wrote it. Any field may be missing: `url`, `conninfo`
 * (a libpq key=value string) and `service` are expanded first, then explicit fields
 * override them, then PG* environment variables and libpq defaults fill the rest.
 * A profile never holds a password.
 */
export interface ConnectionProfile {
  name: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: SslMode;
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  service?: string;
  url?: string;
  conninfo?: string;
}

/** The string fields of a profile besides its name. */
export const PROFILE_STRING_FIELDS = ['host', 'database', 'user', 'sslrootcert', 'sslcert', 'sslkey', 'service', 'url', 'conninfo'] as const;

/**
 * A profile with only the known fields, typed; undefined when it has no usable name. A
 * `password` field is never read, and a URL or connection string holding a password is
 * dropped; `problems` says what was left out and why.
 */
export function sanitizeProfile(raw: unknown, problems: string[] = []): ConnectionProfile | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.name !== 'string' || !r.name.trim()) return undefined;
  const p: ConnectionProfile = { name: r.name.trim() };
  for (const k of PROFILE_STRING_FIELDS) if (typeof r[k] === 'string' && r[k] !== '') p[k] = r[k] as string;
  if (typeof r.port === 'number' || (typeof r.port === 'string' && r.port !== '')) {
    const port = Number(r.port);
    if (Number.isInteger(port) && port > 0 && port < 65536) p.port = port;
    else problems.push(`connection "${p.name}": invalid port number: "${String(r.port)}"`);
  }
  if (typeof r.sslmode === 'string' && (SSL_MODES as readonly string[]).includes(r.sslmode)) p.sslmode = r.sslmode as SslMode;
  if ('password' in r) problems.push(`connection "${p.name}" has a "password" field in settings; pgwarden ignores it (passwords belong in the secret storage) — remove it`);
  if (p.url && urlHasPassword(p.url)) {
    problems.push(`connection "${p.name}": the URL holds a password; pgwarden ignores the URL — remove the password from it`);
    delete p.url;
  }
  if (p.conninfo && /(^|\s)password\s*=/i.test(p.conninfo)) {
    problems.push(`connection "${p.name}": the connection string holds a password; pgwarden ignores the string — remove the password from it`);
    delete p.conninfo;
  }
  return p;
}

/** Whether a postgres:// URL carries a password (user:password@host). */
export function urlHasPassword(url: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^@/?#]*)@/i.exec(url.trim());
  if (m && m[1].includes(':')) return true;
  return /[?&]password=/i.test(url);
}
