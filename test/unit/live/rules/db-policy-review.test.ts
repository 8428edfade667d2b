import assert from 'node:assert/strict';
import { defaultConfig } from '../../../../server/src/core/config';
import { runLiveAudit } from '../../../../server/src/core/live/audit';
import { loadParser } from '../../../../server/src/core/sql/parser';
import { emptySnapshot, liveRuleTester, policy, table } from './harness';

const on = { rules: { 'db-policy-review': 'info' as const } };
const restrictive = policy('tenant_floor', { permissive: false, roles: ['app'], using: "(tenant_id = (current_setting('app.tenant'::text, true))::integer)" });
const sound = policy('owner_all', { roles: ['app'], using: '(owner = auth.uid())', withCheck: '(owner = auth.uid())' });
const docs = (...policies: ReturnType<typeof policy>[]) => ({ tables: [table('app', 'docs', { rls: true, policies })] });

describe('db-policy-review default', () => {
  before(() => loadParser());
  it('is off unless pgwarden.json turns it on', () => {
    const found = runLiveAudit({ ...emptySnapshot(), ...docs(policy('p', { command: 'SELECT', using: "(auth.role() = 'admin'::text)" })) }, defaultConfig());
    assert.deepEqual(found.filter((f) => f.ruleId === 'db-policy-review'), []);
  });
});

liveRuleTester('db-policy-review', {
  kind: 'table',
  valid: [
    { name: 'an owner policy with WITH CHECK under a restrictive tenant floor', snapshot: docs(sound, restrictive), config: on },
    { name: 'RLS off: the policies are db-policy-rls-off', snapshot: { tables: [table('app', 'docs', { policies: [policy('p', { using: "(auth.role() = 'admin'::text)" })] })] }, config: on },
    {
      name: 'a subquery that reads a table with RLS on',
      snapshot: { tables: [table('app', 'docs', { rls: true, policies: [policy('members', { roles: ['app'], using: '(EXISTS ( SELECT 1 FROM app.members m WHERE (m.doc = docs.id)))', withCheck: '(owner = auth.uid())' }), restrictive] }), table('app', 'members', { rls: true })] },
      config: on,
    },
  ],
  invalid: [
    {
      name: 'each design finding, table-wide ones last',
      snapshot: {
        tables: [
          table('app', 'docs', {
            rls: true,
            policies: [
              policy('admins', { command: 'SELECT', roles: ['app'], using: "(auth.role() = 'admin'::text)" }),
              policy('p1', { command: 'SELECT', roles: ['app'], using: "((owner)::text = CURRENT_USER)" }),
              policy('tenant', { command: 'SELECT', roles: ['app'], using: "((tenant_id = (current_setting('app.tenant'::text))::integer) OR (tenant_id = 42))" }),
              policy('lookup', { command: 'SELECT', roles: ['app'], using: '(EXISTS ( SELECT 1 FROM members m WHERE ((m.doc = docs.id) AND (m.uid = auth.uid()))))' }),
              policy('admins_again', { command: 'SELECT', roles: ['app'], using: "(auth.role() = 'admin'::text)" }),
            ],
          }),
          table('app', 'members'),
        ],
      },
      config: on,
      findings: [
        { object: 'app.docs', message: /^Policy "admins" \(SELECT, for app\) on app\.docs: its condition reads no column of the row, .*\(pgrls SEC005\)\.$/ },
        { object: 'app.docs', message: /^Policy "p1" .*: it compares a column with current_user: .*\(pgrls SEC018\)\.$/ },
        { object: 'app.docs', message: /^Policy "p1" .*: its name says nothing of what it allows: .*\(pgrls HYG002\)\.$/ },
        { object: 'app.docs', message: /^Policy "tenant" .*: current_setting\('app\.tenant'\) has no missing_ok argument: .*\(pgrls SEC019\)\.$/ },
        { object: 'app.docs', message: /^Policy "tenant" .*: it compares tenant_id = 42: a hard-coded id .*\(pgrls SEC021\)\.$/ },
        { object: 'app.docs', message: /^Policy "lookup" .*: its subquery reads app\.members, which has no row-level security: .*\(pgrls SEC025\)\.$/ },
        { object: 'app.docs', message: /^Policy "admins_again" .*: its condition reads no column of the row/ },
        { object: 'app.docs', message: /^app\.docs: every policy is permissive, .*\(pgrls SEC007\)\.$/ },
        { object: 'app.docs', message: /^app\.docs: every policy is FOR SELECT, .*\(pgrls SEC022\)\.$/ },
        { object: 'app.docs', message: /^Policy "admins_again" .*: it repeats policy "admins" \(same command, roles and conditions\): .*\(pgrls HYG003\)\.$/ },
      ],
    },
    {
      name: 'columns, unique keys and triggers (pgrls SEC030, SEC027, SEC035, SEC013)',
      snapshot: {
        ...docs(sound, restrictive),
        rlsDetails: {
          columns: [
            { schema: 'app', table: 'docs', name: 'id', notNull: true, identity: true },
            { schema: 'app', table: 'docs', name: 'owner', notNull: false, identity: false },
            { schema: 'app', table: 'docs', name: 'tenant_id', notNull: true, identity: false },
            { schema: 'app', table: 'docs', name: 'created_by', notNull: false, identity: false },
            { schema: 'app', table: 'other', name: 'owner', notNull: false, identity: false },
          ],
          uniques: [
            { schema: 'app', table: 'docs', name: 'docs_slug_key', columns: ['slug'] },
            { schema: 'app', table: 'docs', name: 'docs_owner_slug_key', columns: ['owner', 'slug'] },
          ],
          triggers: [
            { schema: 'app', table: 'docs', name: 'audit', function: 'app.audit()', securityDefiner: true, owner: 'postgres' },
            { schema: 'app', table: 'docs', name: 'touch', function: 'app.touch()', securityDefiner: false, owner: 'app_owner' },
          ],
          views: [],
        },
      },
      config: on,
      findings: [
        { object: 'app.docs', message: /^app\.docs: column owner, which policy "owner_all" compares with the caller, is nullable: .* ALTER TABLE app\.docs ALTER COLUMN owner SET NOT NULL .*\(pgrls SEC030\)\.$/ },
        { object: 'app.docs', message: /^app\.docs: column created_by looks like it says whose a row is, but no policy reads it: .*\(pgrls SEC027\)\.$/ },
        { object: 'app.docs', message: /^app\.docs: unique key docs_slug_key \(slug\) does not include owner or tenant_id, the columns the policies scope rows by: .*\(pgrls SEC035\)\.$/ },
        { object: 'app.docs', message: /^app\.docs: trigger audit runs app\.audit\(\), a SECURITY DEFINER function owned by "postgres": .*\(pgrls SEC013\)\.$/ },
      ],
    },
    {
      name: 'UPDATE without WITH CHECK (pgrls SEC006 for UPDATE and ALL)',
      snapshot: docs(policy('edit own', { command: 'UPDATE', roles: ['app'], using: '(owner = auth.uid())' }), sound, restrictive),
      config: on,
      findings: [{ object: 'app.docs', message: /^Policy "edit own" \(UPDATE, for app\) on app\.docs: it has no WITH CHECK, so PostgreSQL checks changed rows against USING: .*\(pgrls SEC006\)\.$/ }],
    },
  ],
});
