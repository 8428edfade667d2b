import { liveRuleTester, policy, table } from './harness';

const on = (p: Parameters<typeof policy>[1] & { name?: string }) => ({ tables: [table('app', 'notes', { rls: true, policies: [policy(p.name ?? 'p', { roles: ['authenticated'], ...p })] })] });

liveRuleTester('db-policy-weak-auth-check', {
  kind: 'table',
  valid: [
    { name: "Supabase's usual policy", snapshot: on({ using: '(owner = auth.uid())' }) },
    { name: 'IS NULL on a column of the row', snapshot: on({ using: '((deleted_at IS NULL) OR (owner = auth.uid()))' }) },
    { name: 'IS NULL in a conjunction', snapshot: on({ using: '((auth.uid() IS NULL) AND (email IS NULL))' }) },
    { name: 'a prefixed custom setting', snapshot: on({ using: "((owner)::text = current_setting('app.user_id'::text, true))" }) },
    { name: "the session's role", snapshot: on({ using: "(current_setting('role'::text) = 'admin'::text)" }) },
    { name: 'a constant pattern', snapshot: on({ using: "(email ~~ '%@example.com'::text)" }) },
    { name: 'NOT LIKE fails closed', snapshot: on({ using: '(email !~~ auth.email())' }) },
    { name: 'RLS off: not enforced', snapshot: { tables: [table('app', 'notes', { policies: [policy('p', { using: '((auth.uid() IS NULL) OR (owner = auth.uid()))' })] })] } },
  ],
  invalid: [
    {
      name: 'an IS NULL branch on the caller (pgrls SEC004, splinter 0030)',
      snapshot: on({ name: 'own', using: '((auth.uid() IS NULL) OR (owner = auth.uid()))' }),
      findings: [{ object: 'app.notes', message: /^Policy "own" \(ALL, for authenticated\) on app\.notes: its USING passes every row when auth\.uid\(\) IS NULL: a caller without that identity/ }],
    },
    {
      name: 'a built-in setting (pgrls SEC024), and a pattern from the caller (SEC026)',
      snapshot: on({ using: "((owner)::text = current_setting('application_name'::text))", withCheck: '(email ~~* auth.email())' }),
      findings: [
        { object: 'app.notes', message: /its USING reads current_setting\('application_name'\), a built-in setting/ },
        { object: 'app.notes', message: /its WITH CHECK uses auth\.email\(\) as a LIKE or regular-expression pattern/ },
      ],
    },
  ],
});
