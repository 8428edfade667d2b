// Each problem once: a live finding on the statement where a SQL rule already reports the
// same problem is dropped (the static one has the exact token and the fix), profiles that
// reach one database share a key, and a finding's label is its object plus its problem.

import assert from 'node:assert/strict';
import { databaseKey, LIVE_TWINS, withoutStaticTwins } from '../../../server/src/core/live/twins';
import { ALL_RULES } from '../../../server/src/core/registry';
import { findingLabel } from '../../../server/src/lsp/live/tree';

const at = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

describe('live findings shown once', () => {
  it('names only rules that exist on both sides', () => {
    const ids = new Set(ALL_RULES.map((r) => r.id));
    for (const [live, twins] of Object.entries(LIVE_TWINS)) {
      assert.ok(ids.has(live), live);
      for (const t of twins) assert.ok(ids.has(t), `${live} -> ${t}`);
    }
  });

  it('drops a live finding whose static twin lies inside its statement, and keeps the rest', () => {
    const live = [
      { code: 'db-public-table-privilege', range: at(1, 0, 1, 40) },
      { code: 'db-public-table-privilege', range: at(3, 0, 3, 40) },
      { code: 'db-rls-no-policy', range: at(1, 0, 1, 40) },
    ];
    const own = [
      { code: 'grant-to-public', range: at(1, 28, 1, 34) },
      { code: 'grant-option', range: at(3, 20, 3, 30) },
    ];
    assert.deepEqual(withoutStaticTwins(live, own), [live[1], live[2]]);
  });

  it('gives profiles reaching the same database one key', () => {
    assert.equal(databaseKey({ host: 'LOCALHOST', port: 5432, database: 'app' }), databaseKey({ host: '127.0.0.1', port: 5432, database: 'app' }));
    assert.notEqual(databaseKey({ host: 'db1', port: 5432, database: 'app' }), databaseKey({ host: 'db1', port: 5432, database: 'other' }));
  });

  it('labels a finding with its object and problem', () => {
    assert.equal(
      findingLabel({ object: 'app.audit_log', message: 'Table app.audit_log has row-level security enabled but no policy: every role but its owner sees no rows. Add a policy.' }),
      'Table app.audit_log has row-level security enabled but no policy',
    );
    assert.equal(findingLabel({ object: 'ops', message: 'Role "ops" is a superuser that can log in; 2 superusers can log in (a, ops). Keep one.' }), 'Role "ops" is a superuser that can log in');
    assert.equal(findingLabel({ object: 'plperlu', message: 'An untrusted language is installed. Drop it.' }), 'plperlu: An untrusted language is installed');
    assert.equal(findingLabel({ object: 'x', message: `x ${'y'.repeat(200)}` }).length, 90);
  });
});
