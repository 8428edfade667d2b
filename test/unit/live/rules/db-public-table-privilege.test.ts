import { liveRuleTester, grant, table } from './harness';

liveRuleTester('db-public-table-privilege', {
  kind: 'table',
  valid: [
    { name: 'grants to roles only', snapshot: { tables: [table('app', 't', { grants: [grant('app_reader', 'SELECT')] })] } },
  ],
  invalid: [
    {
      name: 'PUBLIC on a table, privileges listed',
      snapshot: { tables: [table('public', 'settings', { grants: [grant('PUBLIC', 'SELECT'), grant('PUBLIC', 'UPDATE')] })] },
      findings: [{ object: 'public.settings', message: /^PUBLIC holds SELECT, UPDATE on table public\.settings: .*REVOKE SELECT, UPDATE ON public\.settings FROM PUBLIC/, fix: 'REVOKE SELECT, UPDATE ON public.settings FROM PUBLIC;' }],
    },
    {
      name: 'PUBLIC on a view, in any schema',
      snapshot: { tables: [table('app', 'totals', { kind: 'view', grants: [grant('PUBLIC', 'SELECT')] })] },
      config: { rlsSchemas: ['other'] },
      findings: [{ object: 'app.totals', message: /on view app\.totals/ }],
    },
  ],
});
