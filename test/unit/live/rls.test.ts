// The RLS state label, one function for the tree, `pgwarden roles` and the audit: a
// table whose RLS is off must never read as forced, whatever its FORCE flag says.

import assert from 'node:assert/strict';
import { formatRolesText } from '../../../server/src/cli/roles';
import { rlsLabel, rlsRelevantGrantees, rlsState } from '../../../server/src/core/live/rls';

describe('live: RLS state', () => {
  it('labels the four combinations of relrowsecurity and relforcerowsecurity', () => {
    assert.equal(rlsLabel(false, false), 'RLS off');
    assert.equal(rlsLabel(true, false), 'RLS on');
    assert.equal(rlsLabel(true, true), 'RLS forced');
    assert.equal(rlsLabel(false, true), 'RLS off (FORCE set, no effect while off)');
    assert.equal(rlsState(false, true), 'off (FORCE set, no effect while off)');
  });

  it('pgwarden roles --format text: RLS off with only FORCE set is printed as off, not forced', () => {
    const text = formatRolesText({
      roles: [],
      tables: [
        { schema: 'app', name: 'only_force', rls: false, forceRls: true, policies: [], grants: [] },
        { schema: 'app', name: 'forced', rls: true, forceRls: true, policies: [], grants: [] },
      ],
    });
    assert.deepEqual(text.split('\n').slice(2, 5), ['Tables (2)', '  app.only_force  RLS off (FORCE set, no effect while off)', '  app.forced  RLS forced']);
  });

  it('counts only data privileges of roles other than the owner', () => {
    const grants = [
      { grantee: 'owner', privilege: 'SELECT' },
      { grantee: 'auditor', privilege: 'TRUNCATE' },
      { grantee: 'PUBLIC', privilege: 'REFERENCES' },
      { grantee: 'reader', privilege: 'SELECT' },
      { grantee: 'app', privilege: 'UPDATE' },
    ];
    assert.deepEqual(rlsRelevantGrantees({ owner: 'owner', grants }), ['app', 'reader']);
  });
});
