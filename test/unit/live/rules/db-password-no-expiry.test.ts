import assert from 'node:assert/strict';
import { defaultConfig } from '../../../../server/src/core/config';
import { runLiveAudit } from '../../../../server/src/core/live/audit';
import { emptySnapshot, liveRuleTester, role } from './harness';

const on = { rules: { 'db-password-no-expiry': 'info' as const } };

describe('db-password-no-expiry default', () => {
  it('is off unless pgwarden.json turns it on', () => {
    const found = runLiveAudit({ ...emptySnapshot(), roles: [role('app')], passwords: { app: 'scram-sha-256' } }, defaultConfig());
    assert.deepEqual(found.filter((f) => f.ruleId === 'db-password-no-expiry'), []);
  });
});

liveRuleTester('db-password-no-expiry', {
  kind: 'role',
  valid: [
    { name: 'a password with VALID UNTIL', snapshot: { roles: [role('app', { validUntil: '2027-01-01T00:00:00+00:00' })], passwords: { app: 'scram-sha-256' } }, config: on },
    { name: 'no password (certificate or peer logins)', snapshot: { roles: [role('app')], passwords: { app: 'none' } }, config: on },
    { name: 'a group role', snapshot: { roles: [role('readers', { login: false })], passwords: { readers: 'scram-sha-256' } }, config: on },
    { name: 'pg_authid not readable: unknown, so silent (the audit lists the rule as not run)', snapshot: { roles: [role('app')], passwords: undefined }, config: on },
  ],
  invalid: [
    {
      name: 'a password without expiry, and one VALID UNTIL infinity',
      snapshot: { roles: [role('app'), role('etl', { validUntil: 'infinity' })], passwords: { app: 'scram-sha-256', etl: 'md5' } },
      config: on,
      findings: [
        { object: 'app', message: /^Login role "app" has a password that never expires \(no VALID UNTIL\)\. .*ALTER ROLE app VALID UNTIL '<date>'/ },
        { object: 'etl' },
      ],
    },
  ],
});
