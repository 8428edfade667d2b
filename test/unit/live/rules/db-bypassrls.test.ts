import { liveRuleTester, role } from './harness';

liveRuleTester('db-bypassrls', {
  kind: 'role',
  valid: [
    { name: 'superusers bypass RLS anyway and are not reported here', snapshot: { roles: [role('postgres', { oid: 10, superuser: true, bypassrls: true })] } },
    { name: 'a predefined role', snapshot: { roles: [role('pg_something', { predefined: true, bypassrls: true, login: false })] } },
    { name: 'an ordinary role', snapshot: { roles: [role('alice')] } },
  ],
  invalid: [
    {
      name: 'a login role with BYPASSRLS',
      snapshot: { roles: [role('etl', { bypassrls: true })] },
      findings: [{ object: 'etl', message: /^Role "etl" has BYPASSRLS: every row-level security policy is ignored for it and it can log in\. Use ALTER ROLE etl NOBYPASSRLS/, fix: 'ALTER ROLE etl NOBYPASSRLS;' }],
    },
    {
      name: 'a group role with BYPASSRLS, name quoted in the fix',
      snapshot: { roles: [role('Loader Group', { bypassrls: true, login: false })] },
      findings: [{ object: 'Loader Group', message: /ignored for it\. Use ALTER ROLE "Loader Group" NOBYPASSRLS/, fix: 'ALTER ROLE "Loader Group" NOBYPASSRLS;' }],
    },
    {
      name: 'a role named like a reserved keyword is quoted in the advice, which stays valid SQL',
      snapshot: { roles: [role('user', { bypassrls: true })] },
      findings: [{ object: 'user', message: /Use ALTER ROLE "user" NOBYPASSRLS and/, fix: 'ALTER ROLE "user" NOBYPASSRLS;' }],
    },
  ],
});
