import assert from 'node:assert/strict';
import { SnapshotSetting } from '../../../../server/src/core/live/settings';
import { insideDataDirectory } from '../../../../server/src/core/live/rules/db-tablespace-in-datadir';
import { liveRuleTester } from './harness';

const setting = (name: string, value: string): SnapshotSetting => ({ name, setting: value, unit: null, source: 'override', sourcefile: null, sourceline: null, pendingRestart: false });
const dataDir = { settings: { rows: [setting('data_directory', '/var/lib/postgresql/16/main')], sourceHidden: false } };

describe('insideDataDirectory', () => {
  it('compares whole path components, and counts relative (in-place) locations as inside', () => {
    assert.equal(insideDataDirectory('/var/lib/postgresql/16/main/ts', '/var/lib/postgresql/16/main/'), true);
    assert.equal(insideDataDirectory('/var/lib/postgresql/16/main', '/var/lib/postgresql/16/main'), true);
    assert.equal(insideDataDirectory('/var/lib/postgresql/16/main2/ts', '/var/lib/postgresql/16/main'), false);
    assert.equal(insideDataDirectory('pg_tblspc/16390', '/var/lib/postgresql/16/main'), true);
  });
});

liveRuleTester('db-tablespace-in-datadir', {
  kind: 'setting',
  valid: [
    { name: 'a tablespace on its own volume', snapshot: { ...dataDir, tablespaces: [{ name: 'fast', location: '/mnt/ssd/pg' }] } },
    { name: 'a sibling directory whose name starts like the data directory', snapshot: { ...dataDir, tablespaces: [{ name: 'near', location: '/var/lib/postgresql/16/main_ts' }] } },
    { name: 'data_directory hidden from this role: not guessed', snapshot: { tablespaces: [{ name: 'inside', location: '/var/lib/postgresql/16/main/ts' }] } },
    { name: 'no tablespaces read', snapshot: { ...dataDir } },
  ],
  invalid: [
    {
      name: 'a tablespace below the data directory, and an in-place one',
      snapshot: { ...dataDir, tablespaces: [{ name: 'inside', location: '/var/lib/postgresql/16/main/ts' }, { name: 'Scratch', location: 'pg_tblspc/16390' }, { name: 'fast', location: '/mnt/ssd/pg' }] },
      findings: [
        { object: 'tablespace inside', message: /^Tablespace "inside" is at "\/var\/lib\/postgresql\/16\/main\/ts", inside the data directory \/var\/lib\/postgresql\/16\/main: .* then DROP TABLESPACE inside\.$/ },
        { object: 'tablespace "Scratch"', message: /an in-place tablespace inside the data directory/ },
      ],
    },
  ],
});
