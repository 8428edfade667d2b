import { grant, liveRuleTester, table } from './harness';

const base = table('app', 'orders', { rls: true });
const view = (attrs = {}) => table('app', 'order_totals', { kind: 'view', grants: [grant('app_owner', 'SELECT'), grant('app_reader', 'SELECT')], ...attrs });
const reads = [{ schema: 'app', name: 'order_totals', reads: [{ schema: 'app', name: 'orders' }] }];

liveRuleTester('db-view-bypasses-rls', {
  kind: 'table',
  valid: [
    { name: 'security_invoker', snapshot: { tables: [base, view({ securityInvoker: true })], viewReads: reads } },
    { name: 'only its owner may read it', snapshot: { tables: [base, view({ grants: [grant('app_owner', 'SELECT')] })], viewReads: reads } },
    { name: 'over a table without RLS', snapshot: { tables: [table('app', 'orders'), view()], viewReads: reads } },
    { name: 'no dependency read (older snapshot)', snapshot: { tables: [base, view()] } },
  ],
  invalid: [
    {
      name: 'a view granted to another role',
      snapshot: { tables: [base, view()], viewReads: reads },
      findings: [{ object: 'app.order_totals', message: /^View app\.order_totals reads app\.orders, which has row-level security, with the rights of its owner "app_owner", and "app_reader" may read it: they get the owner's rows, not their own\. ALTER VIEW app\.order_totals SET \(security_invoker = true\)\.$/ }],
    },
    {
      name: 'a materialized view granted to PUBLIC',
      snapshot: { tables: [base, view({ kind: 'materialized view', grants: [grant('PUBLIC', 'SELECT')] })], viewReads: reads },
      findings: [{ object: 'app.order_totals', message: /^Materialized view app\.order_totals holds the rows of app\.orders as its owner "app_owner" saw them, and PUBLIC may read it/ }],
    },
    {
      name: 'through a security_invoker view, which reads as the outer view\'s owner',
      snapshot: {
        tables: [base, table('app', 'inner_v', { kind: 'view', securityInvoker: true }), view()],
        viewReads: [{ schema: 'app', name: 'order_totals', reads: [{ schema: 'app', name: 'inner_v' }] }, { schema: 'app', name: 'inner_v', reads: [{ schema: 'app', name: 'orders' }] }],
      },
      findings: [{ object: 'app.order_totals', message: /reads app\.orders/ }],
    },
  ],
});
