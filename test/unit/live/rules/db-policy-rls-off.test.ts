import { grant, liveRuleTester, policy, table } from './harness';

liveRuleTester('db-policy-rls-off', {
  kind: 'table',
  valid: [
    { name: 'RLS on', snapshot: { tables: [table('app', 't', { rls: true, policies: [policy('p')] })] } },
    { name: 'no policies', snapshot: { tables: [table('app', 't')] } },
    { name: 'a view (policies exist only on tables)', snapshot: { tables: [table('app', 'v', { kind: 'view', policies: [policy('p')] })] } },
  ],
  invalid: [
    {
      name: 'dormant policies, with who is exposed',
      snapshot: { tables: [table('app', 'orders', { policies: [policy('own'), policy('admin')], grants: [grant('app_owner', 'SELECT'), grant('app_user', 'SELECT'), grant('PUBLIC', 'INSERT')] })] },
      findings: [{ object: 'app.orders', message: /^Table app\.orders has policies "own", "admin" but row-level security is off, so none applies\. PUBLIC, "app_user" see and change every row their privileges allow\. ALTER TABLE app\.orders ENABLE ROW LEVEL SECURITY\.$/ }],
    },
    {
      name: 'no grantee: still dormant',
      snapshot: { tables: [table('app', 't', { kind: 'partitioned table', policies: [policy('p')] })] },
      findings: [{ object: 'app.t', message: /has policy "p" but row-level security is off, so none applies\. ALTER TABLE/ }],
    },
  ],
});
