import { liveRuleTester, policy, role, table } from './harness';

const t = (owner: string, attrs = {}) => [table('app', 'docs', { owner, rls: true, policies: [policy('own')], ...attrs })];

liveRuleTester('db-rls-not-forced', {
  kind: 'table',
  valid: [
    { name: 'an owner that cannot log in', snapshot: { roles: [role('app_owner', { login: false })], tables: t('app_owner') } },
    { name: 'forced', snapshot: { roles: [role('app_owner')], tables: t('app_owner', { forceRls: true }) } },
    { name: 'a superuser owner: FORCE changes nothing for it', snapshot: { tables: t('postgres'), currentUser: 'postgres' } },
    { name: 'a BYPASSRLS owner', snapshot: { roles: [role('etl', { bypassrls: true })], tables: t('etl') } },
    { name: 'no policies (rls-no-policy)', snapshot: { roles: [role('app_owner')], tables: t('app_owner', { policies: [] }) } },
  ],
  invalid: [
    {
      name: 'a login owner',
      snapshot: { roles: [role('app_owner')], tables: t('app_owner') },
      findings: [{ object: 'app.docs', message: /^Table app\.docs has row-level security on but not forced, and its owner is "app_owner", a role that can log in: sessions as the owner bypass every policy\. ALTER TABLE app\.docs FORCE ROW LEVEL SECURITY/, fix: 'ALTER TABLE app.docs FORCE ROW LEVEL SECURITY;' }],
    },
    {
      name: "the connection's own role, even without LOGIN (SET ROLE)",
      snapshot: { roles: [role('app_owner', { login: false })], tables: t('app_owner'), currentUser: 'app_owner' },
      findings: [{ object: 'app.docs', message: /"app_owner", the role this connection uses/ }],
    },
  ],
});
