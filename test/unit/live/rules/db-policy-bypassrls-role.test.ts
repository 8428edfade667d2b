import { liveRuleTester, policy, role, table } from './harness';

const docs = (p: ReturnType<typeof policy>) => [table('app', 'docs', { rls: true, policies: [p] })];

liveRuleTester('db-policy-bypassrls-role', {
  kind: 'table',
  valid: [
    { name: 'an ordinary role', snapshot: { roles: [role('app_user')], tables: docs(policy('p', { roles: ['app_user'] })) } },
    { name: 'USING (true) for a bypassing role says what it has anyway', snapshot: { roles: [role('etl', { bypassrls: true })], tables: docs(policy('p', { roles: ['etl'], using: 'true' })) } },
    { name: 'PUBLIC', snapshot: { roles: [role('etl', { bypassrls: true })], tables: docs(policy('p')) } },
  ],
  invalid: [
    {
      name: 'a BYPASSRLS role',
      snapshot: { roles: [role('etl', { bypassrls: true })], tables: docs(policy('etl_tenant', { roles: ['etl'], using: '(tenant = 1)' })) },
      findings: [{ object: 'app.docs', message: /^Policy "etl_tenant" \(ALL, for etl\) on app\.docs names "etl", which bypasses row-level security: its condition restricts nothing/ }],
    },
    {
      name: 'a superuser among ordinary roles',
      snapshot: { roles: [role('app_user'), role('postgres', { superuser: true })], tables: docs(policy('p', { roles: ['app_user', 'postgres'] })) },
      findings: [{ object: 'app.docs', message: /names "postgres".*restricts only the other roles/ }],
    },
  ],
});
