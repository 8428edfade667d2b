import { liveRuleTester, policy, table } from './harness';

const on = (p: Parameters<typeof policy>[1] & { name?: string }) => ({ tables: [table('app', 'chats', { rls: true, policies: [policy(p.name ?? 'p', p)] })] });

liveRuleTester('db-policy-to-public', {
  kind: 'table',
  valid: [
    { name: 'for PUBLIC, but the condition names the caller', snapshot: on({ using: '(owner = CURRENT_USER)' }) },
    { name: 'a function of the caller (auth.uid())', snapshot: on({ using: '(owner = auth.uid())' }) },
    { name: 'a membership subquery', snapshot: on({ using: '(EXISTS ( SELECT 1 FROM app.members m WHERE (m.chat = chats.id)))' }) },
    { name: 'named roles', snapshot: on({ roles: ['authenticated'], using: "(sharing <> 'private'::text)" }) },
    { name: 'constant true is db-policy-always-true', snapshot: on({ using: 'true' }) },
    { name: 'restrictive', snapshot: on({ permissive: false, using: "(sharing <> 'private'::text)" }) },
    { name: 'RLS off', snapshot: { tables: [table('app', 'chats', { policies: [policy('p', { using: "(sharing <> 'private'::text)" })] })] } },
    { name: 'catalog text that does not parse is not judged', snapshot: on({ using: '(sharing <> ' }) },
  ],
  invalid: [
    {
      name: 'reading for every role is info',
      snapshot: on({ name: 'view non-private', command: 'SELECT', using: "(sharing <> 'private'::text)" }),
      findings: [{ object: 'app.chats', severity: 'info', message: /^Policy "view non-private" \(SELECT, for PUBLIC\) on app\.chats has a USING condition that does not depend on who asks: every role, including anonymous ones and roles created later, may read the rows it admits/ }],
    },
    {
      name: 'writing for every role is a warning',
      snapshot: on({ command: 'INSERT', using: null, withCheck: "(bucket_id = 'avatars'::text)" }),
      findings: [{ object: 'app.chats', message: /has a WITH CHECK condition .* may write the rows/ }],
    },
  ],
});
