// Judgements of conf-primary-conninfo: how a standby connects to its primary. The
// connection carries the whole WAL stream, every row of every table, so a password in
// the setting or a connection that may fall back to clear text is a real weakness.

import { Judgement, Reader } from './view';

/**
 * The parameters of a libpq connection string: `key=value` pairs (values in single
 * quotes with backslash escapes) or a postgres:// URI (user:password@host, ?key=value).
 * Undefined when the text is neither.
 */
export function parseConninfo(text: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  const t = text.trim();
  if (/^postgres(ql)?:\/\//i.test(t)) {
    let url: URL;
    try {
      url = new URL(t.replace(/^postgres(ql)?:/i, 'http:'));
    } catch {
      return undefined;
    }
    if (url.hostname) out.set('host', decodeURIComponent(url.hostname));
    if (url.username) out.set('user', decodeURIComponent(url.username));
    if (url.password) out.set('password', decodeURIComponent(url.password));
    for (const [k, v] of url.searchParams) out.set(k, v);
    return out;
  }
  let i = 0;
  while (i < t.length) {
    while (/\s/.test(t[i] ?? '')) i++;
    if (i >= t.length) break;
    const eq = t.indexOf('=', i);
    if (eq < 0) return undefined;
    const key = t.slice(i, eq).trim();
    i = eq + 1;
    while (/\s/.test(t[i] ?? '')) i++;
    let value = '';
    if (t[i] === "'") {
      i++;
      while (i < t.length && t[i] !== "'") {
        if (t[i] === '\\' && i + 1 < t.length) i++;
        value += t[i++];
      }
      if (t[i] !== "'") return undefined;
      i++;
    } else {
      while (i < t.length && !/\s/.test(t[i])) {
        if (t[i] === '\\' && i + 1 < t.length) i++;
        value += t[i++];
      }
    }
    if (!key) return undefined;
    out.set(key, value);
  }
  return out;
}

/** Whether the connection goes over TCP: some host or hostaddr that is not a socket directory. */
function overTcp(p: Map<string, string>): boolean {
  if (p.get('hostaddr')) return true;
  const hosts = (p.get('host') ?? '').split(',').map((h) => h.trim());
  return hosts.some((h) => h !== '' && !h.startsWith('/') && !h.startsWith('@'));
}

export function judgeReplication(r: Reader): Judgement[] {
  const text = r.raw('primary_conninfo');
  if (!text) return [];
  const p = parseConninfo(text);
  if (!p) return [];
  const out: Judgement[] = [];
  if (p.get('password')) {
    out.push({
      ruleId: 'conf-primary-conninfo',
      at: ['primary_conninfo'],
      message: 'primary_conninfo holds the replication password: it is readable by whoever reads this configuration (and, on the standby, by roles with pg_read_all_settings); keep it in a password file (passfile=, ~/.pgpass) instead.',
    });
  }
  const gss = p.get('gssencmode') === 'require';
  const mode = p.get('sslmode') ?? 'prefer';
  if (overTcp(p) && !gss) {
    if (mode === 'disable' || mode === 'allow' || mode === 'prefer') {
      out.push({
        ruleId: 'conf-primary-conninfo',
        at: ['primary_conninfo'],
        message: `primary_conninfo ${p.has('sslmode') ? `has sslmode=${mode}` : 'has no sslmode (libpq uses prefer)'}: the standby may stream the WAL, every row of every table, unencrypted and to whoever answers at that address; use sslmode=verify-full.`,
      });
    } else if (mode === 'require') {
      out.push({
        ruleId: 'conf-primary-conninfo',
        at: ['primary_conninfo'],
        severity: 'info',
        message: "primary_conninfo has sslmode=require, which encrypts but does not check the primary's certificate: a machine in the middle can pose as the primary; use sslmode=verify-full with the primary's CA (sslrootcert).",
      });
    }
  }
  return out;
}
