import assert from 'node:assert/strict';
import { defaultConfig } from '../../../../server/src/core/config';
import { runLiveAudit } from '../../../../server/src/core/live/audit';
import { emptySnapshot, liveRuleTester, role } from './harness';

const on = { rules: { 'db-role-no-connection-limit': 'info' as const } };

describe('db-role-no-connection-limit default', () => {
  it('is off unless pgwarden.json turns it on', () => {
    const found = runLiveAudit({ ...emptySnapshot(), roles: [role('app')] }, defaultConfig());
    assert.deepEqual(found.filter((f) => f.ruleId === 'db-role-no-connection-limit'), []);
  });
});

liveRuleTester('db-role-no-connection-limit', {
  kind: 'role',
  valid: [
    { name: 'a login role with a limit', snapshot: { roles: [role('app', { connectionLimit: 20 })] }, config: on },
    { name: 'CONNECTION LIMIT 0 is a limit', snapshot: { roles: [role('frozen', { connectionLimit: 0 })] }, config: on },
    { name: 'a group role', snapshot: { roles: [role('readers', { login: false })] }, config: on },
    { name: 'a superuser ignores the limit anyway', snapshot: { roles: [role('dba', { superuser: true })] }, config: on },
  ],
  invalid: [
    {
      name: 'a login role without a limit, when turned on',
      snapshot: { roles: [role('postgres', { oid: 10, superuser: true }), role('app')] },
      config: on,
      findings: [{ object: 'app', message: /^Login role "app" has no CONNECTION LIMIT: .* ALTER ROLE app CONNECTION LIMIT 20\.$/ }],
    },
  ],
});
