import { liveRuleTester, member, role } from './harness';

// The harness's snapshot was read at 2026-06-01T12:00:00+00:00.
liveRuleTester('db-expired-role', {
  kind: 'role',
  valid: [
    { name: 'no expiry', snapshot: { roles: [role('alice')], roleReferences: { alice: 4 } } },
    { name: 'expires later', snapshot: { roles: [role('alice', { validUntil: '2026-06-02T00:00:00+00:00' })], roleReferences: { alice: 4 } } },
    { name: 'VALID UNTIL infinity', snapshot: { roles: [role('alice', { validUntil: 'infinity' })], roleReferences: { alice: 4 } } },
    { name: 'expired, but holds nothing and has no members (db-orphan-role territory)', snapshot: { roles: [role('gone', { validUntil: '2020-01-01T00:00:00+00:00' })], roleReferences: { gone: 0 } } },
  ],
  invalid: [
    {
      name: 'an expired login role that still holds grants',
      snapshot: { roles: [role('contractor', { validUntil: '2025-12-31T00:00:00+00:00' })], roleReferences: { contractor: 2 } },
      findings: [
        {
          object: 'contractor',
          message:
            /^Role "contractor" expired \(VALID UNTIL 2025-12-31T00:00:00\+00:00\) but still has 2 grants or owned objects\. The expiry stops only password logins: certificate, peer or other logins still work, .*ALTER ROLE contractor NOLOGIN.*REASSIGN OWNED BY contractor TO <owner>; DROP OWNED BY contractor; DROP ROLE contractor/,
        },
      ],
    },
    {
      name: 'an expired group role with members; -infinity is always past',
      snapshot: {
        roles: [role('legacy_group', { login: false, validUntil: '-infinity' }), role('bob')],
        memberships: [member('legacy_group', 'bob')],
        roleReferences: {},
      },
      findings: [{ object: 'legacy_group', message: /^Role "legacy_group" expired \(VALID UNTIL -infinity\) but still has 1 member\. The expiry stops only password logins, and members/ }],
    },
    {
      name: 'a role expired one second before the snapshot',
      snapshot: { roles: [role('a', { validUntil: '2026-06-01T11:59:59+00:00' })], roleReferences: { a: 1 } },
      findings: [{ object: 'a', message: /still has 1 grant or owned object\./ }],
    },
  ],
});
