// conf-server-differs: while a database is connected, a postgresql.conf line whose value
// is not the one the server runs: "the file says X, the server runs Y", and why (ALTER
// SYSTEM, the command line, a change waiting for a restart, a line the server never read).
// Compared as the server compares values (units, boolean and enum spellings), so `1min`
// and 60s agree. Values of settings that hold secrets are never shown.

import { Finding } from '../../rules';
import type { Setting } from '../analyze';
import { ParamInfo } from '../catalog';
import { isAutoConf, LiveServer, SnapshotSetting } from '../../live/settings';
import { ConfRule, valueFinding } from '../rule';
import { enumMatch, parseBool, parseNumber } from '../value';

/** Sources that are this session's, not the server's: the file has nothing to say about them. */
const SESSION_SOURCES = new Set(['database', 'user', 'database user', 'client', 'session', 'interactive', 'test']);

/** Settings whose values may hold secrets (a password in primary_conninfo, a passphrase command). */
const SECRET = /conninfo|passphrase|password/;

/** A value in a form two spellings of the same setting share, or undefined when it does not parse. */
function canonical(p: ParamInfo | undefined, value: string): string | undefined {
  if (!p) return value.trim();
  switch (p.type) {
    case 'bool': {
      const b = parseBool(value);
      return b === undefined ? undefined : String(b);
    }
    case 'integer':
    case 'real': {
      const r = parseNumber(value, p.type === 'integer', p.unit);
      return r.ok ? String(r.value) : undefined;
    }
    case 'enum':
      return enumMatch(p, value)?.toLowerCase();
    default:
      // Lists: the server keeps the text as written; blanks after commas do not matter.
      return value.replace(/\s*,\s*/g, ',').trim();
  }
}

/** The server's value as a reader would write it in the file: 60s, 4096kB, 'text'. */
function shown(row: SnapshotSetting, p: ParamInfo | undefined): string {
  if (p && (p.type === 'integer' || p.type === 'real')) return row.unit && !/^\d/.test(row.unit) ? `${row.setting}${row.unit}` : row.setting;
  if (p && (p.type === 'bool' || p.type === 'enum')) return row.setting;
  return `'${row.setting}'`;
}

function why(row: SnapshotSetting, hidden: boolean): string {
  if (row.pendingRestart) return "the file's value takes effect at the next restart (pending_restart)";
  switch (row.source) {
    case 'default':
      return 'the server did not read this line: this is not its configuration file, or it was not reloaded since the line changed';
    case 'configuration file':
      if (row.sourcefile && isAutoConf(row.sourcefile)) return `ALTER SYSTEM overrides the file (${row.sourcefile}${row.sourceline ? ` line ${row.sourceline}` : ''})`;
      if (row.sourcefile) return `the server took it from ${row.sourcefile}${row.sourceline ? ` line ${row.sourceline}` : ''}: another file wins, or the server was not reloaded since this line changed`;
      return hidden
        ? 'another configuration file (ALTER SYSTEM\'s postgresql.auto.conf, say) wins, or the server was not reloaded since this line changed; which file set it is visible only to superusers and pg_read_all_settings'
        : 'another configuration file wins, or the server was not reloaded since this line changed';
    case 'command line':
      return "the server's command line (-c) overrides every file";
    case 'environment variable':
      return "the server's environment sets it";
    case 'override':
      return 'the server forces this value';
    default:
      return `it comes from ${row.source}`;
  }
}

function differs(s: Setting, server: LiveServer, version: number): string | undefined {
  const row = server.settings.rows.find((r) => r.name.toLowerCase() === s.entry.key);
  // A row the role may not see is not compared: never guessed.
  if (!row || SESSION_SOURCES.has(row.source)) return undefined;
  const p = s.param;
  const file = canonical(p, s.entry.value);
  const live = canonical(p, row.setting);
  if (file === undefined || live === undefined || file === live) return undefined;
  const on = `the server ${server.description}${server.major !== version ? ` (PostgreSQL ${server.major})` : ''}`;
  const reason = why(row, server.settings.sourceHidden);
  if (SECRET.test(s.entry.key)) return `The file's ${s.entry.name} is not the one ${on} runs (values not shown: they may hold secrets): ${reason}.`;
  return `The file says ${s.entry.name} = ${s.entry.raw}, ${on} runs ${shown(row, p)}: ${reason}.`;
}

export const confServerDiffers: ConfRule = {
  meta: {
    id: 'conf-server-differs',
    language: 'conf',
    defaultSeverity: 'info',
    description: 'While a database is connected: a postgresql.conf line whose value the server does not run (ALTER SYSTEM, -c, a pending restart, a line never read).',
    fixable: false,
  },
  check(doc, ctx) {
    const servers = ctx.workspace.liveServers();
    if (!servers.length) return [];
    const out: Finding[] = [];
    for (const s of doc.settings) {
      if (!(s.param || s.custom) || s.problem || s.overriddenBy) continue;
      for (const server of servers) {
        const message = differs(s, server, doc.version);
        if (message) out.push(valueFinding('conf-server-differs', s, message));
      }
    }
    return out;
  },
};
