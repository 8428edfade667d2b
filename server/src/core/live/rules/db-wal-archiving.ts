// db-wal-archiving (off by default): whether the server archives its WAL and the archiving
// works (CIS 7.4, pgdsat 7.4). Without a WAL archive there is no point-in-time recovery: a
// table dropped by mistake or by an intruder can be restored only to the last base backup.
// An archiver that fails keeps WAL segments on the server until the disk fills. Off by
// default: development servers and managed services (which archive on their own) have
// archive_mode off by design. Read from archive_mode and pg_stat_archiver, which every
// role sees.

import { LiveRule, liveMeta } from '../rule';
import { settingRow } from '../settings';

export const dbWalArchiving: LiveRule = {
  meta: liveMeta('db-wal-archiving', 'info', 'WAL archiving is off, or on with no archive command, or failing (pg_stat_archiver) (off by default).', { defaultOff: true }),
  check(s, ctx) {
    const mode = settingRow(s.settings, 'archive_mode')?.setting;
    if (mode === undefined) return;
    if (mode === 'off') {
      ctx.report({
        objectKind: 'setting',
        object: 'archive_mode',
        message: 'archive_mode is off: the server keeps no WAL archive, so nothing can be restored to a point after the last base backup (a table dropped by mistake or by an intruder included). Set archive_mode = on with an archive_command or archive_library (pgBackRest, WAL-G, barman), and restart.',
      });
      return;
    }
    const command = settingRow(s.settings, 'archive_command')?.setting;
    const library = settingRow(s.settings, 'archive_library')?.setting;
    // archive_library came with 15 (undefined before); a hidden archive_command is not judged.
    if (command === '' && !library) {
      ctx.report({
        objectKind: 'setting',
        object: 'archive_command',
        message: `archive_mode is ${mode} but neither archive_command nor archive_library is set: WAL segments are kept on the server, unarchived, until an archiver is configured. Set one (pgBackRest, WAL-G, barman) and reload.`,
      });
    }
    const a = s.archiver;
    if (a && a.failedCount > 0 && a.lastFailedAt && (a.lastArchivedAt === null || Date.parse(a.lastFailedAt) > Date.parse(a.lastArchivedAt))) {
      ctx.report({
        objectKind: 'setting',
        object: 'archive_command',
        message: `WAL archiving is failing: the last attempt${a.lastFailedWal ? ` (segment ${a.lastFailedWal})` : ''} failed at ${a.lastFailedAt}, ${a.lastArchivedAt ? `the last success was at ${a.lastArchivedAt}` : 'and no segment was ever archived'} (${a.failedCount} failures since the statistics were reset). Unarchived WAL stays on the server until the disk fills; the server log says why the command fails.`,
      });
    }
  },
};
