import { liveRuleTester, member, role } from './harness';

liveRuleTester('db-orphan-role', {
  kind: 'role',
  valid: [
    { name: 'a login role', snapshot: { roles: [role('alice')], roleReferences: { alice: 0 } } },
    { name: 'a group role with members', snapshot: { roles: [role('readers', { login: false }), role('bob')], memberships: [member('readers', 'bob')], roleReferences: {} } },
    { name: 'a group role that holds a grant or owns something', snapshot: { roles: [role('app_owner', { login: false })], roleReferences: { app_owner: 3 } } },
    { name: 'predefined roles', snapshot: { roles: [role('pg_checkpoint', { login: false, predefined: true })], roleReferences: {} } },
    { name: 'the bootstrap superuser, which pg_shdepend never names', snapshot: { roles: [role('postgres', { oid: 10, superuser: true, login: false })], roleReferences: {} } },
    { name: 'pg_shdepend not readable: nothing is known', snapshot: { roles: [role('old_team', { login: false })], roleReferences: undefined } },
  ],
  invalid: [
    {
      name: 'a role nobody can use and nothing names',
      snapshot: { roles: [role('old_team', { login: false })], roleReferences: { old_team: 0 } },
      findings: [{ object: 'old_team', message: /^Role "old_team" cannot log in, has no members, holds no privileges and owns nothing in any database\. If nothing outside the database uses it, DROP ROLE old_team\.$/ }],
    },
    {
      name: 'a role that is only a member of groups; a name needing quotes',
      snapshot: { roles: [role('Old Team', { login: false }), role('readers', { login: false }), role('x')], memberships: [member('readers', 'Old Team'), member('readers', 'x')], roleReferences: { readers: 1 } },
      findings: [{ object: 'Old Team', message: /\(it is only a member of readers, which no session can use through it\)\. .*DROP ROLE "Old Team"\.$/ }],
    },
  ],
});
