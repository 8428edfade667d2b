import { liveRuleTester, grant, table } from './harness';

liveRuleTester('db-rls-off-granted', {
  kind: 'table',
  valid: [
    { name: 'granted to the owner only', snapshot: { tables: [table('app', 'orders')] } },
    { name: 'RLS on', snapshot: { tables: [table('app', 'orders', { rls: true, grants: [grant('app_reader', 'SELECT')] })] } },
    { name: 'a view (RLS does not apply to views)', snapshot: { tables: [table('app', 'v', { kind: 'view', grants: [grant('PUBLIC', 'SELECT')] })] } },
    { name: 'only privileges RLS does not govern', snapshot: { tables: [table('app', 't', { grants: [grant('auditor', 'REFERENCES'), grant('ops', 'TRUNCATE')] })] } },
    { name: 'outside rls.schemas', snapshot: { tables: [table('staging', 't', { grants: [grant('app_reader', 'SELECT')] })] }, config: { rlsSchemas: ['app'] } },
  ],
  invalid: [
    {
      name: 'granted to other roles and PUBLIC, listed once each',
      snapshot: { tables: [table('app', 'orders', { grants: [grant('app_owner', 'SELECT'), grant('bob', 'DELETE'), grant('app_reader', 'SELECT'), grant('PUBLIC', 'SELECT'), grant('bob', 'SELECT')] })] },
      findings: [{ object: 'app.orders', message: /^Table app\.orders has row-level security off but is granted to PUBLIC, "app_reader", "bob": .* ALTER TABLE app\.orders ENABLE ROW LEVEL SECURITY/ }],
    },
    {
      name: 'a partitioned table with a quoted name',
      snapshot: { tables: [table('app', 'Events', { kind: 'partitioned table', grants: [grant('writer', 'INSERT')] })] },
      findings: [{ object: 'app."Events"', fix: 'ALTER TABLE app."Events" ENABLE ROW LEVEL SECURITY;\n-- Then a policy for each grantee\'s rows, for example:\n-- CREATE POLICY own_rows ON app."Events" TO <role> USING (<condition>);' }],
    },
  ],
});
