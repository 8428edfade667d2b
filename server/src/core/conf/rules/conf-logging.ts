// conf-logging: settings that leave an audit trail with holes: connections or
// disconnections not logged, no statements logged (log_statement none), or a
// log_line_prefix that does not say who (%u), in which database (%d) and from where (%h).

import { fix, replace } from '../../fix';
import { Finding } from '../../rules';
import { quote } from '../parse';
import { ConfAnalysis } from '../analyze';
import { ConfRule, effectiveSettings, setValueFix, valueFinding } from '../rule';
import { enumMatch, logConnectionsAspects, parseBool } from '../value';

const REQUIRED_ESCAPES: Array<[escape: string, label: string, what: string]> = [
  ['u', 'user=', 'the user name'],
  ['d', 'db=', 'the database'],
  ['h', 'host=', 'the client host'],
];

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

/**
 * Whether the server writes logs that use log_line_prefix: stderr, syslog or eventlog.
 * csvlog and jsonlog always record user, database and host in their own columns.
 */
function textLogs(doc: ConfAnalysis): boolean {
  const dest = effectiveSettings(doc, 'log_destination')[0];
  if (!dest) return true;
  return dest.entry.value
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .some((d) => d === 'stderr' || d === 'syslog' || d === 'eventlog');
}

export const confLogging: ConfRule = {
  meta: {
    id: 'conf-logging',
    language: 'conf',
    defaultSeverity: 'warning',
    description: 'Logging that leaves gaps in the audit trail: connections or disconnections not logged, log_statement none, or log_line_prefix without %u, %d and %h.',
    fixable: true,
  },
  check(doc) {
    const out: Finding[] = [];
    for (const s of effectiveSettings(doc, 'log_connections', 'log_disconnections', 'log_statement', 'log_line_prefix')) {
      const key = s.entry.key;
      if (key === 'log_connections' || key === 'log_disconnections') {
        const off = s.param!.type === 'bool' ? parseBool(s.entry.value) === false : logConnectionsAspects(s.entry.value)?.length === 0;
        if (!off) continue;
        const what = key === 'log_connections' ? 'connection attempts' : 'session ends';
        out.push(valueFinding('conf-logging', s, `${key} is off: ${what} leave no trace in the server log; turn it on.`, [setValueFix(s, 'on', { safe: true })]));
      } else if (key === 'log_statement') {
        if (enumMatch(s.param!, s.entry.value) !== 'none') continue;
        out.push(
          valueFinding('conf-logging', s, 'log_statement none logs no statements; log at least ddl so schema and role changes are recorded.', [
            setValueFix(s, 'ddl', { consequence: 'statements that set a password in clear text (ALTER ROLE ... PASSWORD) are written to the server log' }),
          ]),
        );
      } else {
        if (!textLogs(doc)) continue;
        const prefix = s.entry.value;
        const have = prefixEscapes(prefix);
        // %r is the remote host with its port, so it names the host too.
        if (have.has('r')) have.add('h');
        const missing = REQUIRED_ESCAPES.filter(([e]) => !have.has(e));
        if (!missing.length) continue;
        const body = prefix.replace(/\s+$/, '');
        const trailing = prefix.slice(body.length) || ' ';
        const added = missing.map(([e, label]) => `${label}%${e}`).join(' ');
        const next = (body ? body + ' ' : '') + added + trailing;
        out.push(
          valueFinding(
            'conf-logging',
            s,
            `log_line_prefix lacks ${missing.map(([e, , what]) => `%${e} (${what})`).join(', ')}: log lines cannot be traced to who did what from where.`,
            // A prefix with blanks or % can only be written quoted.
            [fix(`Add ${missing.map(([e]) => `%${e}`).join(' ')} to log_line_prefix`, [replace(s.entry.valueStart, s.entry.valueEnd, quote(next))], {
              consequence: 'log parsers set up for the old prefix (pgBadger --prefix) must be updated',
            })],
          ),
        );
      }
    }
    return out;
  },
};
