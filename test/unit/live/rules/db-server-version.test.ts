import { SnapshotSetting } from '../../../../server/src/core/live/settings';
import { liveRuleTester } from './harness';

const setting = (name: string, value: string): SnapshotSetting => ({ name, setting: value, unit: null, source: 'default', sourcefile: null, sourceline: null, pendingRestart: false });
const version = (num: string) => ({ settings: { rows: [setting('server_version_num', num)], sourceHidden: true } });

liveRuleTester('db-server-version', {
  kind: 'setting',
  valid: [
    { name: 'the newest minor pgwarden knows', snapshot: { ...version('160014') } },
    { name: 'a minor newer than pgwarden knows', snapshot: { ...version('180009') } },
    { name: 'a major pgwarden does not know yet', snapshot: { ...version('190002') } },
    { name: 'PostgreSQL 14 before its end of life', snapshot: { ...version('140023'), now: '2026-11-11T23:00:00+00:00' } },
    { name: 'no settings read', snapshot: {} },
    { name: 'an unreadable value', snapshot: { ...version('') } },
  ],
  invalid: [
    {
      name: 'a minor release behind',
      snapshot: { ...version('160002') },
      findings: [{ object: 'server_version', message: /^The server runs PostgreSQL 16\.2, behind 16\.14: the minor releases between carry security and data-loss fixes that are public\. Install the newest 16\.x packages and restart/ }],
    },
    {
      name: 'a major past its end of life, whatever its minor',
      snapshot: { ...version('130023'), now: '2026-06-01T12:00:00+00:00' },
      findings: [{ object: 'server_version', message: /^The server runs PostgreSQL 13\.23; community support for 13 ended on 2025-11-13, so security bugs found since are not fixed in it\./ }],
    },
    {
      name: 'the end of life is judged on the server clock',
      snapshot: { ...version('140023'), now: '2026-11-12T00:00:01+00:00' },
      findings: [{ object: 'server_version', message: /community support for 14 ended on 2026-11-12/ }],
    },
  ],
});
