import assert from 'node:assert/strict';
import { defaultConfig } from '../../../../server/src/core/config';
import { runLiveAudit } from '../../../../server/src/core/live/audit';
import { SnapshotArchiver } from '../../../../server/src/core/live/snapshot';
import { SnapshotSetting } from '../../../../server/src/core/live/settings';
import { emptySnapshot, liveRuleTester } from './harness';

const on = { rules: { 'db-wal-archiving': 'info' as const } };
const setting = (name: string, value: string): SnapshotSetting => ({ name, setting: value, unit: null, source: 'configuration file', sourcefile: null, sourceline: null, pendingRestart: false });
const settings = (...rows: SnapshotSetting[]) => ({ settings: { rows, sourceHidden: true } });
const archiver = (a: Partial<SnapshotArchiver>): SnapshotArchiver => ({ archivedCount: 10, failedCount: 0, lastArchivedAt: '2026-06-01T11:00:00+00:00', lastFailedAt: null, lastFailedWal: null, ...a });

describe('db-wal-archiving default', () => {
  it('is off unless pgwarden.json turns it on', () => {
    const found = runLiveAudit({ ...emptySnapshot(), ...settings(setting('archive_mode', 'off')) }, defaultConfig());
    assert.deepEqual(found.filter((f) => f.ruleId === 'db-wal-archiving'), []);
  });
});

liveRuleTester('db-wal-archiving', {
  kind: 'setting',
  valid: [
    { name: 'archiving on and working', snapshot: { ...settings(setting('archive_mode', 'on'), setting('archive_command', 'pgbackrest --stanza=main archive-push %p')), archiver: archiver({}) }, config: on },
    {
      name: 'an old failure followed by successes',
      snapshot: { ...settings(setting('archive_mode', 'on'), setting('archive_command', 'wal-g wal-push %p')), archiver: archiver({ failedCount: 3, lastFailedAt: '2026-06-01T10:00:00+00:00' }) },
      config: on,
    },
    { name: 'an archive library instead of a command (15+)', snapshot: { ...settings(setting('archive_mode', 'on'), setting('archive_command', ''), setting('archive_library', 'basic_archive')) }, config: on },
    { name: 'archive_command hidden: not judged', snapshot: { ...settings(setting('archive_mode', 'always')) }, config: on },
    { name: 'no settings read', snapshot: {}, config: on },
  ],
  invalid: [
    {
      name: 'archive_mode off',
      snapshot: { ...settings(setting('archive_mode', 'off')) },
      config: on,
      findings: [{ object: 'archive_mode', message: /^archive_mode is off: the server keeps no WAL archive, so nothing can be restored to a point after the last base backup/ }],
    },
    {
      name: 'on with nothing to archive with',
      snapshot: { ...settings(setting('archive_mode', 'on'), setting('archive_command', ''), setting('archive_library', '')) },
      config: on,
      findings: [{ object: 'archive_command', message: /^archive_mode is on but neither archive_command nor archive_library is set/ }],
    },
    {
      name: 'failing since the last success',
      snapshot: {
        ...settings(setting('archive_mode', 'on'), setting('archive_command', 'false')),
        archiver: archiver({ failedCount: 7, lastFailedAt: '2026-06-01T11:30:00+00:00', lastFailedWal: '000000010000000000000003' }),
      },
      config: on,
      findings: [
        {
          object: 'archive_command',
          message: /^WAL archiving is failing: the last attempt \(segment 000000010000000000000003\) failed at 2026-06-01T11:30:00\+00:00, the last success was at 2026-06-01T11:00:00\+00:00 \(7 failures since the statistics were reset\)\./,
        },
      ],
    },
    {
      name: 'never archived anything',
      snapshot: { ...settings(setting('archive_mode', 'on'), setting('archive_command', 'false')), archiver: archiver({ archivedCount: 0, lastArchivedAt: null, failedCount: 2, lastFailedAt: '2026-06-01T11:30:00+00:00' }) },
      config: on,
      findings: [{ object: 'archive_command', message: /failed at 2026-06-01T11:30:00\+00:00, and no segment was ever archived/ }],
    },
  ],
});
