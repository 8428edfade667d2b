// Editor help for postgresql.conf as pure functions: hover on a parameter (type, unit,
// default, range, when a change takes effect, and the secure value where pgwarden has an
// opinion), and completion of parameter names, directives and enum values. Commented-out
// lines (the stock postgresql.conf is mostly `#name = value`) get hovers too.

import { DEFAULT_POSTGRES_VERSION } from '../config';
import { lookupParam, ParamInfo, paramsOf, paramVersions, versionRange } from './catalog';
import { ConfEntry, parseConf } from './parse';
import { isMemoryUnit } from './value';

/** What pgwarden recommends, per parameter (CIS PostgreSQL Benchmark and the PostgreSQL docs). */
const ADVICE: Record<string, string> = {
  password_encryption: 'Use `scram-sha-256`: MD5 hashes are weak and replayable (pgwarden: conf-password-encryption).',
  ssl: 'Turn `on`, with a certificate, so passwords and data are encrypted in transit (pgwarden: conf-ssl).',
  ssl_min_protocol_version: "Keep at least `'TLSv1.2'`; TLS 1.0 and 1.1 are deprecated (pgwarden: conf-ssl).",
  listen_addresses: "List only the interfaces clients use; `'*'` listens everywhere (pgwarden: conf-listen-all).",
  log_connections: 'Turn `on` so every connection attempt is logged (pgwarden: conf-logging).',
  log_disconnections: 'Turn `on` so session ends and durations are logged (pgwarden: conf-logging).',
  log_statement: 'Use `ddl` or more, so schema and role changes are logged (pgwarden: conf-logging).',
  log_line_prefix: "Include `%m %p %u %d %a %h`, e.g. `'%m [%p] user=%u db=%d app=%a host=%h '` (pgwarden: conf-logging).",
  shared_preload_libraries: "Add `'pgaudit'` for session and object audit logging.",
  idle_in_transaction_session_timeout: 'Set above 0 (e.g. `10min`) so idle transactions cannot hold locks forever (pgwarden: conf-idle-timeout).',
  authentication_timeout: 'Keep at most `60s`, to limit half-open authentication attempts.',
  allow_alter_system: 'Set `off` when the configuration is managed as files, so ALTER SYSTEM cannot override it.',
};

const DIRECTIVE_HELP: Record<string, string> = {
  include: 'Reads another configuration file at this point, relative to this file; the server refuses to start if it is missing.',
  include_if_exists: 'Reads another configuration file at this point if it exists, relative to this file.',
  include_dir: 'Reads every `*.conf` file (not dot-files) of a directory, in C-locale name order, relative to this file.',
};

const CONTEXT_HELP: Record<string, string> = {
  internal: 'cannot be changed (fixed when the server was built or initialised)',
  postmaster: 'needs a server restart',
  sighup: 'takes effect on reload',
  'superuser-backend': 'takes effect for new sessions after a reload',
  backend: 'takes effect for new sessions after a reload',
  superuser: 'reload, or SET by a superuser',
  user: 'reload, or SET in any session',
};

const TYPE_NAMES: Record<string, string> = { bool: 'boolean', integer: 'integer', real: 'floating point', string: 'string', enum: 'enum' };

/** A boot value in its unit as a person would write it: 4096 kB -> 4MB, 60 s -> 1min. */
export function humanValue(p: ParamInfo, raw: string): string {
  if (!p.unit || !/^-?\d+(\.\d+)?$/.test(raw)) return raw === '' ? "''" : raw;
  const n = Number(raw);
  if (n <= 0) return raw;
  if (isMemoryUnit(p.unit)) {
    const base = { B: 1, kB: 1024, MB: 1024 * 1024, '8kB': 8192 }[p.unit]!;
    const bytes = n * base;
    for (const [u, m] of [['TB', 1024 ** 4], ['GB', 1024 ** 3], ['MB', 1024 ** 2], ['kB', 1024], ['B', 1]] as const) {
      if (bytes % m === 0) return `${bytes / m}${u}`;
    }
    return raw;
  }
  const ms = n * ({ ms: 1, s: 1000, min: 60000 } as Record<string, number>)[p.unit];
  for (const [u, m] of [['d', 86400000], ['h', 3600000], ['min', 60000], ['s', 1000], ['ms', 1]] as const) {
    if (ms % m === 0) return `${ms / m}${u}`;
  }
  return raw;
}

/** Markdown for a parameter (or directive) name. */
export function describeParam(name: string, version = DEFAULT_POSTGRES_VERSION): string | undefined {
  const key = name.toLowerCase();
  if (DIRECTIVE_HELP[key]) return `**${key}** (directive)\n\n${DIRECTIVE_HELP[key]}`;
  if (key.includes('.')) return `**${name}**: a custom parameter of an extension (prefix \`${key.split('.')[0]}\`). The server accepts any value until the extension defines it.`;
  const p = lookupParam(key, version);
  if (!p) {
    if (paramVersions(key).length) return `**${name}**: not a parameter of PostgreSQL ${version}; it exists in ${versionRange(key)}.`;
    return undefined;
  }
  const lines: string[] = [];
  let head = `**${p.name}**: ${TYPE_NAMES[p.type]}`;
  if (p.unit) head += `, unit ${p.unit === '8kB' ? '8kB blocks' : p.unit}`;
  lines.push(head, '', p.description, '');
  const facts: string[] = [];
  facts.push(`Default: \`${humanValue(p, p.boot)}\``);
  if (p.type === 'enum' && p.values) facts.push(`Values: ${p.values.map((v) => `\`${v === '' ? "''" : v}\``).join(', ')}`);
  if ((p.type === 'integer' || p.type === 'real') && p.min !== null && p.max !== null) facts.push(`Range: ${p.min} .. ${p.max}${p.unit ? ' ' + p.unit : ''}`);
  if (p.type === 'integer' && p.unit) facts.push(isMemoryUnit(p.unit) ? 'Units: B, kB, MB, GB, TB (case-sensitive)' : 'Units: us, ms, s, min, h, d (case-sensitive)');
  facts.push(`Change: ${CONTEXT_HELP[p.context] ?? p.context}`);
  if (p.since > 13 || p.until < 18) facts.push(`Exists in ${versionRange(key)}`);
  lines.push(facts.map((f) => `- ${f}`).join('\n'));
  if (ADVICE[key]) lines.push('', `**Security:** ${ADVICE[key]}`);
  return lines.join('\n');
}

function entryAt(text: string, offset: number): { entry: ConfEntry } | undefined {
  const parsed = parseConf(text);
  for (const e of parsed.entries) {
    if ((offset >= e.nameStart && offset <= e.nameEnd) || (offset >= e.valueStart && offset <= e.valueEnd)) return { entry: e };
  }
  // A commented-out setting: parse the comment's text as a line of its own.
  for (const c of parsed.comments) {
    if (offset <= c.start || offset > c.end) continue;
    const inner = parseConf(c.body.replace(/^\s*#*/, (m) => ' '.repeat(m.length)));
    for (const e of inner.entries) {
      const shift = c.start + 1;
      if (offset >= e.nameStart + shift && offset <= e.nameEnd + shift) return { entry: e };
    }
  }
  return undefined;
}

/** Hover markdown for the parameter whose name or value is at `offset`, or undefined. */
export function hover(text: string, offset: number, version = DEFAULT_POSTGRES_VERSION): string | undefined {
  try {
    const hit = entryAt(text, offset);
    return hit ? describeParam(hit.entry.name, version) : undefined;
  } catch {
    return undefined;
  }
}

export interface ConfCompletionItem {
  label: string;
  kind: 'parameter' | 'directive' | 'value';
  detail?: string;
  /** The text to insert (quoted when the value needs quotes). */
  insertText: string;
}

export interface ConfCompletions {
  /** The UTF-16 range the chosen item replaces. */
  start: number;
  end: number;
  items: ConfCompletionItem[];
}

/** Completions at `offset`: parameter names at the start of a line, enum and boolean values after one. */
export function complete(text: string, offset: number, version = DEFAULT_POSTGRES_VERSION): ConfCompletions | undefined {
  try {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const before = text.slice(lineStart, offset);
    if (before.includes('#')) return undefined;
    const word = /[A-Za-z0-9_.\u0080-\uffff-]*$/.exec(before)![0];
    const start = offset - word.length;
    let end = offset;
    while (end < text.length && /[A-Za-z0-9_.\u0080-\uffff-]/.test(text[end])) end++;
    if (/^\s*$/.test(before.slice(0, before.length - word.length))) {
      const items: ConfCompletionItem[] = paramsOf(version).map((p) => ({
        label: p.name,
        kind: 'parameter',
        detail: `${TYPE_NAMES[p.type]}${p.unit ? ' (' + p.unit + ')' : ''}: ${p.description}`,
        insertText: p.name,
      }));
      for (const d of Object.keys(DIRECTIVE_HELP)) items.push({ label: d, kind: 'directive', detail: DIRECTIVE_HELP[d], insertText: d });
      return { start, end, items };
    }
    const m = /^\s*([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)\s*(?:=\s*|\s+)('?)([^'\s]*)$/.exec(before);
    if (!m) return undefined;
    const p = lookupParam(m[1].toLowerCase(), version);
    if (!p) return undefined;
    const quoted = m[2] === "'";
    const valueStart = offset - m[3].length;
    let values: string[];
    if (p.type === 'bool') values = ['on', 'off'];
    else if (p.type === 'enum') values = (p.values ?? []).filter((v) => v !== '');
    else return undefined;
    const bare = /^[A-Za-z_][A-Za-z0-9_.:/-]*$/;
    return {
      start: valueStart,
      end: Math.max(valueStart, end),
      items: values.map((v) => ({ label: v, kind: 'value', detail: v === p.boot ? 'default' : undefined, insertText: quoted || bare.test(v) ? v : `'${v}'` })),
    };
  } catch {
    return undefined;
  }
}
