// `pgwarden sessions --db CONN [--format text|json] [--idle-limit DURATION] [--config FILE]`: who is
// connected now, grouped by role, database, client and application, with the sessions a
// reviewer should look at (no TLS from another machine, a superuser from another machine,
// idle in a transaction too long, a role or the server near its connection limit). Read
// only; what PostgreSQL hides from this role is counted and said, never guessed. The idle
// limit is pgwarden.json's sessions.idleInTransaction (the editor's Sessions node reads the
// same key); --idle-limit overrides it for one run.

import { parseDuration } from '../core/config';
import { DEFAULT_SESSION_OPTIONS, judgeSessions, SessionsReport } from '../core/live/activity';
import { describeTarget, readActivity } from '../db';
import { parseArgs } from './args';
import { openSession, withSession } from './conn-args';
import { CliError, CliIo } from './io';
import { loadConfig } from './lint';

const USAGE = 'usage: pgwarden sessions --db CONN [--format text|json] [--idle-limit DURATION (300, 90s, 5min, 1h)] [--config FILE]';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { values: ['db', 'format', 'idle-limit', 'config'], flags: [] }, USAGE);
  const format = args.values.format ?? (io.tty ? 'text' : 'json');
  if (!['json', 'text'].includes(format)) throw new CliError(`unknown --format "${format}" (json or text)`);
  if (args.positional.length) throw new CliError(`unexpected argument "${args.positional[0]}"\n${USAGE}`);
  const limitText = args.values['idle-limit'];
  const idle = limitText === undefined ? loadConfig(args.values.config).config.sessions.idleInTransactionSeconds : parseDuration(limitText);
  if (idle === undefined) throw new CliError(`--idle-limit "${limitText}" is not a duration (300, 90s, 5min, 1h)`);
  const session = await openSession(args.values.db, io, USAGE);
  const where = describeTarget(session.target).replace(/ \(sslmode=.*\)$/, '');
  const report = await withSession(session, async (s) => judgeSessions(await readActivity(s), { ...DEFAULT_SESSION_OPTIONS, idleInTransactionSeconds: idle }));
  io.stdout(format === 'json' ? JSON.stringify({ server: where, ...report }, null, 2) + '\n' : formatSessionsText(where, report));
  return 0;
}

export function formatSessionsText(where: string, r: SessionsReport): string {
  const line = (title: string, rows: Array<{ key: string; count: number }>) => `${title}: ${rows.length ? rows.map((x) => `${x.key} ${x.count}`).join(', ') : 'none'}`;
  const lines = [
    `Sessions on ${where}: ${r.clients} client session${r.clients === 1 ? '' : 's'}${r.hidden.count ? ` (${r.hidden.count} hidden)` : ''}, ${r.others} other process${r.others === 1 ? '' : 'es'}; ${r.capacity.used} of ${r.capacity.max} connections in use`,
    line('By role', r.byRole),
    line('By database', r.byDatabase),
    line('By client', r.byClient),
    line('By application', r.byApplication),
  ];
  if (r.flags.length) {
    lines.push('', 'To look at:');
    for (const f of r.flags) lines.push(`  ${f.severity.padEnd(7)} ${f.kind.padEnd(19)} ${f.message}`);
  } else lines.push('', 'Nothing to look at among the sessions this role can see.');
  if (r.hidden.why) lines.push('', r.hidden.why);
  return lines.join('\n') + '\n';
}
