import assert from 'node:assert/strict';
import { defaultConfig } from '../../../../server/src/core/config';
import { runLiveAudit } from '../../../../server/src/core/live/audit';
import { SnapshotExtension } from '../../../../server/src/core/live/snapshot';
import { emptySnapshot, liveRuleTester } from './harness';

const on = { rules: { 'db-extension-review': 'info' as const } };
const ext = (name: string, schema = 'extensions'): SnapshotExtension => ({ name, schema, version: '1.0', defaultVersion: '1.0', relocatable: true });

describe('db-extension-review default', () => {
  it('is off unless pgwarden.json turns it on', () => {
    const found = runLiveAudit({ ...emptySnapshot(), extensions: [ext('plpgsql', 'pg_catalog'), ext('hstore')] }, defaultConfig());
    assert.deepEqual(found.filter((f) => f.ruleId === 'db-extension-review'), []);
  });
});

liveRuleTester('db-extension-review', {
  kind: 'extension',
  valid: [],
  invalid: [
    {
      name: 'each extension listed for review; the recommended ones not installed named',
      snapshot: { extensions: [ext('plpgsql', 'pg_catalog'), ext('hstore', 'public'), ext('pgcrypto')] },
      config: on,
      findings: [
        { object: 'hstore', message: /^Extension "hstore" 1\.0 is installed in schema public: each extension adds functions every role may call\. If nothing uses it, DROP EXTENSION \(CIS 1\.8\)\.$/ },
        { object: 'pgcrypto', message: /^Extension "pgcrypto" 1\.0 is installed in schema extensions/ },
        { object: 'set_user', message: /^Extension "set_user" is not installed in this database: CIS 4\.8 recommends it because it lets administrators escalate to superuser through an audited function/ },
        { object: 'anon', message: /CIS 6\.11 recommends it because PostgreSQL Anonymizer masks personal data/ },
      ],
    },
    {
      name: 'plpgsql is part of every database and is not listed; the recommended three, installed, are listed like any other',
      snapshot: { extensions: [ext('plpgsql', 'pg_catalog'), ext('anon', 'anon'), ext('pgcrypto'), ext('set_user')] },
      config: on,
      findings: [{ object: 'anon' }, { object: 'pgcrypto' }, { object: 'set_user' }],
    },
    {
      name: 'anon loaded through session_preload_libraries counts as present',
      snapshot: {
        extensions: [ext('set_user'), ext('pgcrypto')],
        settings: { rows: [{ name: 'session_preload_libraries', setting: 'anon', unit: null, source: 'configuration file', sourcefile: null, sourceline: null, pendingRestart: false }], sourceHidden: true },
      },
      config: on,
      findings: [{ object: 'set_user' }, { object: 'pgcrypto' }],
    },
  ],
});
