import { liveRuleTester, policy, table } from './harness';

liveRuleTester('db-rls-no-policy', {
  kind: 'table',
  valid: [
    { name: 'RLS on with a policy', snapshot: { tables: [table('app', 't', { rls: true, policies: [policy('own')] })] } },
    { name: 'RLS off (another rule)', snapshot: { tables: [table('app', 't')] } },
    { name: 'outside rls.schemas', snapshot: { tables: [table('x', 't', { rls: true })] }, config: { rlsSchemas: ['app'] } },
  ],
  invalid: [
    {
      name: 'RLS on, no policy',
      snapshot: { tables: [table('app', 'audit_log', { rls: true })] },
      findings: [{ object: 'app.audit_log', message: /^Table app\.audit_log has row-level security enabled but no policy: every role but its owner sees no rows/ }],
    },
    { name: 'forced RLS, no policy', snapshot: { tables: [table('app', 'x', { rls: true, forceRls: true })] }, findings: [{ object: 'app.x' }] },
  ],
});
