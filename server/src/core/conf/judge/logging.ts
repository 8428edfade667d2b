// Judgements of conf-logging (what the server log records) and conf-log-files (where and
// how the log is written), CIS PostgreSQL Benchmark 3.1.x.

import { logConnectionsAspects, parseBool, parseNumber } from '../value';
import { Judgement, octal, Reader } from './view';

/** Message levels from most to least verbose, as log_min_messages orders them. */
const LEVELS = ['debug5', 'debug4', 'debug3', 'debug2', 'debug1', 'info', 'notice', 'warning', 'error', 'log', 'fatal', 'panic'];

function rank(level: string | undefined): number {
  if (level === undefined) return -1;
  return LEVELS.indexOf(level === 'debug' ? 'debug2' : level);
}

/** The escape letters a log_line_prefix uses (%u, %-10d, ...), %% excluded. */
export function prefixEscapes(prefix: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < prefix.length; i++) {
    if (prefix[i] !== '%') continue;
    let j = i + 1;
    if (prefix[j] === '-') j++;
    while (prefix[j] >= '0' && prefix[j] <= '9') j++;
    if (j < prefix.length) out.add(prefix[j]);
    i = j;
  }
  return out;
}

/** log_destination's entries, lower case. */
export function destinations(value: string): string[] {
  return value
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
}

interface Escape {
  escape: string;
  /** What the fix writes: appended for a label, prepended otherwise. */
  text: string;
  what: string;
  /** Missing it is a real gap (warning) rather than advice (info). */
  needed: boolean;
  /** Only stderr lines need it: syslog and the event log stamp time and process themselves. */
  stderrOnly?: boolean;
  /** Other escapes that carry the same fact. */
  alternatives?: string[];
  prepend?: boolean;
}

const PREFIX_ESCAPES: Escape[] = [
  { escape: 'm', text: '%m', what: 'the time', needed: true, stderrOnly: true, alternatives: ['t', 'n'], prepend: true },
  { escape: 'p', text: '[%p]', what: 'the process id', needed: true, stderrOnly: true },
  { escape: 'u', text: 'user=%u', what: 'the user name', needed: true },
  { escape: 'd', text: 'db=%d', what: 'the database', needed: true },
  { escape: 'a', text: 'app=%a', what: 'the application name', needed: false },
  // %r is the remote host with its port, so it names the host too.
  { escape: 'h', text: 'host=%h', what: 'the client host', needed: true, alternatives: ['r'] },
];

function judgePrefix(r: Reader): Judgement[] {
  const prefix = r.raw('log_line_prefix');
  const dest = r.raw('log_destination');
  if (prefix === undefined || dest === undefined) return [];
  const d = destinations(dest);
  // csvlog and jsonlog records carry user, database, host and the rest in their own fields.
  const text = d.some((x) => x === 'stderr' || x === 'syslog' || x === 'eventlog');
  if (!text) return [];
  const stderr = d.includes('stderr');
  const have = prefixEscapes(prefix);
  const missing = PREFIX_ESCAPES.filter((e) => (!e.stderrOnly || stderr) && !have.has(e.escape) && !(e.alternatives ?? []).some((a) => have.has(a)));
  if (!missing.length) return [];
  const body = prefix.replace(/\s+$/, '');
  const trailing = prefix.slice(body.length) || ' ';
  const before = missing.filter((e) => e.prepend).map((e) => e.text);
  const after = missing.filter((e) => !e.prepend).map((e) => e.text);
  const next = [...before, body, ...after].filter(Boolean).join(' ') + trailing;
  const needed = missing.some((e) => e.needed);
  const list = missing.map((e) => `%${e.escape} (${e.what})`).join(', ');
  return [
    {
      ruleId: 'conf-logging',
      at: ['log_line_prefix'],
      severity: needed ? undefined : 'info',
      message: needed
        ? `log_line_prefix lacks ${list}: log lines cannot be traced to who did what, when and from where.`
        : `log_line_prefix lacks ${list}: log lines do not say which program a session belongs to.`,
      fix: {
        value: next,
        title: `Add ${missing.map((e) => `%${e.escape}`).join(' ')} to log_line_prefix`,
        consequence: 'log parsers set up for the old prefix (pgBadger --prefix) must be updated',
      },
    },
  ];
}

export function judgeLogging(r: Reader): Judgement[] {
  const out: Judgement[] = [];
  for (const key of ['log_connections', 'log_disconnections']) {
    const v = r.raw(key);
    const p = r.param(key);
    if (v === undefined || !p) continue;
    const off = p.type === 'bool' ? parseBool(v) === false : logConnectionsAspects(v)?.length === 0;
    if (!off) continue;
    const what = key === 'log_connections' ? 'connection attempts' : 'session ends';
    out.push({ ruleId: 'conf-logging', at: [key], message: `${key} is off: ${what} leave no trace in the server log; turn it on.`, fix: { value: 'on', safe: true } });
  }
  if (r.enum('log_statement') === 'none') {
    out.push({
      ruleId: 'conf-logging',
      at: ['log_statement'],
      message: 'log_statement none logs no statements; log at least ddl so schema and role changes are recorded.',
      fix: { value: 'ddl', consequence: 'statements that set a password in clear text (ALTER ROLE ... PASSWORD) are written to the server log' },
    });
  }
  out.push(...judgePrefix(r));
  const minMessages = r.enum('log_min_messages');
  if (rank(minMessages) > rank('warning')) {
    out.push({
      ruleId: 'conf-logging',
      at: ['log_min_messages'],
      message: `log_min_messages ${minMessages} leaves warnings out of the server log; use warning.`,
      fix: { value: 'warning', safe: true },
    });
  } else if (rank(minMessages) >= 0 && rank(minMessages) < rank('info')) {
    out.push({
      ruleId: 'conf-logging',
      at: ['log_min_messages'],
      severity: 'info',
      message: `log_min_messages ${minMessages} writes debugging detail of every session to the server log, which buries the events that matter and fills the disk; use warning outside a debugging session.`,
      fix: { value: 'warning', safe: true },
    });
  }
  const minError = r.enum('log_min_error_statement');
  if (rank(minError) > rank('error')) {
    out.push({
      ruleId: 'conf-logging',
      at: ['log_min_error_statement'],
      message: `log_min_error_statement ${minError}: statements that fail with an error are not logged, so failed attacks (injection probes, permission errors) leave no statement text; use error.`,
      fix: { value: 'error', safe: true },
    });
  }
  for (const key of ['debug_print_parse', 'debug_print_rewritten', 'debug_print_plan']) {
    if (r.bool(key) !== true) continue;
    out.push({
      ruleId: 'conf-logging',
      at: [key],
      severity: 'info',
      message: `${key} is on: every query's tree, with its constants (data values, passwords in clear), is written to the server log; turn it off.`,
      fix: { value: 'off', safe: true },
    });
  }
  if (r.enum('log_error_verbosity') === 'terse') {
    out.push({
      ruleId: 'conf-logging',
      at: ['log_error_verbosity'],
      severity: 'info',
      message: 'log_error_verbosity terse drops the DETAIL, HINT, QUERY and CONTEXT of logged errors, which explain what failed and where; use default or verbose.',
      fix: { value: 'default', safe: true },
    });
  }
  if (r.bool('log_hostname') === true) {
    out.push({
      ruleId: 'conf-logging',
      at: ['log_hostname'],
      severity: 'info',
      message: "log_hostname is on: each connection waits for a reverse DNS lookup, and the name logged is whatever the client's DNS answers; log the address instead.",
      fix: { value: 'off', safe: true },
    });
  }
  if (r.bool('log_replication_commands') === false) {
    out.push({
      ruleId: 'conf-logging',
      at: ['log_replication_commands'],
      severity: 'info',
      message: 'log_replication_commands is off: replication connections (which can copy the whole cluster, pg_basebackup) and their commands are not logged; turn it on.',
      fix: { value: 'on', safe: true },
    });
  }
  return out;
}

/** Whether `dir` is inside the data directory: a relative path is, and so is an absolute one below data_directory. */
function insideDataDirectory(dir: string, dataDirectory: string | undefined): boolean | undefined {
  if (!dir.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(dir)) return true;
  if (!dataDirectory) return undefined;
  const base = dataDirectory.replace(/\/+$/, '');
  const d = dir.replace(/\/+$/, '');
  return d === base || d.startsWith(base + '/');
}

export function judgeLogFiles(r: Reader): Judgement[] {
  const out: Judgement[] = [];
  const collector = r.bool('logging_collector');
  const dest = r.raw('log_destination');
  if (collector === false && dest !== undefined) {
    const needs = destinations(dest).filter((d) => d === 'csvlog' || d === 'jsonlog');
    if (needs.length) {
      out.push({
        ruleId: 'conf-log-files',
        at: ['logging_collector', 'log_destination'],
        message: `log_destination has ${needs.join(' and ')}, which only the logging collector writes: with logging_collector off those records go to stderr as plain text, and tools expecting ${needs.join(' or ')} files find none; turn logging_collector on.`,
        fix: { value: 'on', consequence: 'takes effect at the next restart; log files are then written under log_directory, which must have room' },
      });
    }
  }
  if (collector !== true) return out;
  const modeText = r.raw('log_file_mode');
  const mode = modeText === undefined ? undefined : parseNumber(modeText, true, '');
  if (mode?.ok) {
    const m = mode.value;
    if (m & 0o007) {
      out.push({
        ruleId: 'conf-log-files',
        at: ['log_file_mode'],
        severity: 'warning',
        message: `log_file_mode ${octal(m)} lets every user of the machine read the server log, with its statements, failed logins and error details; use 0600.`,
        fix: { value: '0600', consequence: 'programs that read the log files through their group or as another user (log shippers) can no longer read them' },
      });
    } else if (m & 0o070) {
      out.push({
        ruleId: 'conf-log-files',
        at: ['log_file_mode'],
        severity: 'info',
        message: `log_file_mode ${octal(m)} lets the server's OS group ${m & 0o020 ? 'write and ' : ''}read the server log; CIS asks for 0600 unless a log shipper in that group needs it.`,
        fix: { value: '0600', consequence: 'programs that read the log files through their group (log shippers) can no longer read them' },
      });
    }
  }
  const dir = r.raw('log_directory');
  if (dir !== undefined && insideDataDirectory(dir, r.raw('data_directory'))) {
    out.push({
      ruleId: 'conf-log-files',
      at: ['log_directory'],
      severity: 'info',
      message: `log_directory '${dir}' is inside the data directory: base backups and standbys copy the log with the data, and a log that fills the disk stops the database; use a directory of its own, such as /var/log/postgresql.`,
    });
  }
  return out;
}
