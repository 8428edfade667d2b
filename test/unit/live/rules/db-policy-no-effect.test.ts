import { liveRuleTester, policy, table } from './harness';

const own = policy('own', { roles: ['app_user'] });
const docs = (...policies: ReturnType<typeof policy>[]) => ({ tables: [table('app', 'docs', { rls: true, policies })] });

liveRuleTester('db-policy-no-effect', {
  kind: 'table',
  valid: [
    { name: 'a restrictive floor with a condition', snapshot: docs(own, policy('floor', { permissive: false, using: '(tenant = 1)' })) },
    { name: 'UPDATE without WITH CHECK: USING checks new rows', snapshot: docs(own, policy('upd', { command: 'UPDATE' })) },
    { name: 'a lone permissive false denies what it means to', snapshot: docs(policy('nobody', { using: 'false' })) },
    { name: 'a permissive false beside a policy for other roles', snapshot: docs(policy('a', { roles: ['admin'], command: 'DELETE', using: 'true' }), policy('deny', { roles: ['app_user'], command: 'DELETE', using: 'false' })) },
    { name: 'RLS off', snapshot: { tables: [table('app', 'docs', { policies: [policy('r', { permissive: false, using: 'true' })] })] } },
  ],
  invalid: [
    {
      name: 'a restrictive true holds nothing back',
      snapshot: docs(own, policy('tenant_floor', { permissive: false, using: 'true' })),
      findings: [{ object: 'app.docs', message: /^Policy "tenant_floor" \(ALL, for PUBLIC\) on app\.docs is RESTRICTIVE but is constant true: .* holds back no row\.$/ }],
    },
    {
      name: 'a restrictive INSERT policy without WITH CHECK',
      snapshot: docs(own, policy('ins_floor', { permissive: false, command: 'INSERT', using: null, withCheck: null })),
      findings: [{ object: 'app.docs', message: /is RESTRICTIVE but has no WITH CHECK/ }],
    },
    {
      name: 'a permissive false another permissive policy overrides',
      snapshot: docs(own, policy('no_delete', { roles: ['app_user'], command: 'DELETE', using: 'false' })),
      findings: [{ object: 'app.docs', message: /"no_delete" .* is constant false, which denies nothing: permissive policies are ORed, and "own" still grants/ }],
    },
    {
      name: 'a permissive INSERT policy without WITH CHECK admits nothing',
      snapshot: docs(own, policy('ins', { command: 'INSERT', using: null, withCheck: null })),
      findings: [{ object: 'app.docs', severity: 'info', message: /FOR INSERT without WITH CHECK/ }],
    },
    {
      name: 'only restrictive policies: one finding for the table',
      snapshot: docs(policy('a', { permissive: false, using: '(tenant = 1)' }), policy('b', { permissive: false, using: '(owner = CURRENT_USER)' })),
      findings: [{ object: 'app.docs', severity: 'info', message: /"a" .* is RESTRICTIVE and the table has no permissive policy/ }],
    },
  ],
});
