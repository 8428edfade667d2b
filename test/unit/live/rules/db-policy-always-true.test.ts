import { liveRuleTester, policy, table } from './harness';

liveRuleTester('db-policy-always-true', {
  kind: 'table',
  valid: [
    { name: 'a real condition', snapshot: { tables: [table('app', 't', { rls: true, policies: [policy('own')] })] } },
    { name: 'a restrictive policy with true restricts nothing but opens nothing', snapshot: { tables: [table('app', 't', { rls: true, policies: [policy('r', { permissive: false, using: 'true' })] })] } },
    { name: 'RLS off: the policy is inert', snapshot: { tables: [table('app', 't', { policies: [policy('p', { using: 'true' })] })] } },
    { name: 'true inside a larger expression', snapshot: { tables: [table('app', 't', { rls: true, policies: [policy('p', { using: '(true AND (owner = CURRENT_USER))' })] })] } },
  ],
  invalid: [
    {
      name: 'USING (true) on an ALL policy for PUBLIC',
      snapshot: { tables: [table('app', 'accounts', { rls: true, policies: [policy('everyone', { using: 'true' })] })] },
      findings: [{ object: 'app.accounts', message: /^Policy "everyone" on app\.accounts \(ALL, for PUBLIC\) has USING \(true\): it lets those roles see every row/ }],
    },
    {
      name: 'WITH CHECK (true) on an INSERT policy',
      snapshot: { tables: [table('app', 't', { rls: true, policies: [policy('ins', { command: 'INSERT', roles: ['writer'], using: null, withCheck: 'true' })] })] },
      findings: [{ object: 'app.t', message: /\(INSERT, for writer\) has WITH CHECK \(true\): it lets those roles write every row/ }],
    },
    {
      name: 'constants are folded as the SQL rule folds them: pg_get_expr text of 1 = 1, a text comparison, NOT false',
      snapshot: {
        tables: [
          table('app', 't', {
            rls: true,
            policies: [policy('one', { using: '(1 = 1)' }), policy('txt', { using: "('a'::text = 'a'::text)" }), policy('nf', { using: null, withCheck: '(NOT false)' }), policy('real', { using: '(1 = owner_id)' })],
          }),
        ],
      },
      findings: [{ object: 'app.t', message: /"one".*USING \(true\)/ }, { object: 'app.t', message: /"txt".*USING \(true\)/ }, { object: 'app.t', message: /"nf".*WITH CHECK \(true\)/ }],
    },
    {
      name: 'a table named like a keyword is quoted',
      snapshot: { tables: [table('app', 'user', { rls: true, policies: [policy('p', { using: 'true' })] })] },
      findings: [{ object: 'app."user"', message: /^Policy "p" on app\."user" / }],
    },
    {
      name: 'both clauses in one finding per policy',
      snapshot: { tables: [table('app', 't', { rls: true, policies: [policy('a', { using: 'true', withCheck: 'true' }), policy('b', { using: '(true)' })] })] },
      findings: [{ object: 'app.t', message: /USING \(true\) and WITH CHECK \(true\)/ }, { object: 'app.t', message: /"b"/ }],
    },
  ],
});
