import { liveRuleTester, role } from './harness';

liveRuleTester('db-md5-password', {
  kind: 'role',
  valid: [
    { name: 'SCRAM verifiers and no password', snapshot: { roles: [role('a'), role('b')], passwords: { a: 'scram-sha-256', b: 'none' } } },
    { name: 'pg_authid not readable: nothing claimed', snapshot: { roles: [role('legacy')], passwords: undefined } },
  ],
  invalid: [
    {
      name: 'an md5 hash',
      snapshot: { roles: [role('legacy'), role('a')], passwords: { legacy: 'md5', a: 'scram-sha-256' } },
      findings: [{ object: 'legacy', message: /^Role "legacy" has an MD5 password hash\./ }],
    },
  ],
});
