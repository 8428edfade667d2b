import assert from 'node:assert/strict';
import { defaultConfig } from '../../../../server/src/core/config';
import { runLiveAudit } from '../../../../server/src/core/live/audit';
import { SnapshotRlsDetails } from '../../../../server/src/core/live/snapshot';
import { emptySnapshot, liveRuleTester, role, table } from './harness';

const on = { rules: { 'db-view-review': 'info' as const } };
const details = (views: SnapshotRlsDetails['views']): SnapshotRlsDetails => ({ columns: [], uniques: [], triggers: [], views });
const base = {
  roles: [role('postgres', { oid: 10, superuser: true, bypassrls: true }), role('app_owner', { login: false }), role('helper', { login: false })],
  tables: [
    table('app', 'docs', { rls: true }),
    table('app', 'open', {}),
    table('app', 'docs_view', { kind: 'view' as const, securityInvoker: true }),
    table('app', 'open_view', { kind: 'view' as const }),
  ],
  viewReads: [
    { schema: 'app', name: 'docs_view', reads: [{ schema: 'app', name: 'docs' }] },
    { schema: 'app', name: 'open_view', reads: [{ schema: 'app', name: 'open' }] },
  ],
};

describe('db-view-review default', () => {
  it('is off unless pgwarden.json turns it on', () => {
    const found = runLiveAudit({ ...emptySnapshot(), ...base, rlsDetails: details([{ schema: 'app', name: 'docs_view', securityBarrier: false, definerCalls: [] }]) }, defaultConfig());
    assert.deepEqual(found.filter((f) => f.ruleId === 'db-view-review'), []);
  });
});

liveRuleTester('db-view-review', {
  kind: 'table',
  valid: [
    { name: 'security_barrier set', snapshot: { ...base, rlsDetails: details([{ schema: 'app', name: 'docs_view', securityBarrier: true, definerCalls: [] }]) }, config: on },
    { name: 'a view over a table without RLS', snapshot: { ...base, rlsDetails: details([{ schema: 'app', name: 'open_view', securityBarrier: false, definerCalls: [] }]) }, config: on },
    {
      name: 'a definer function whose owner is held to every RLS table (owns none, not superuser)',
      snapshot: { ...base, rlsDetails: details([{ schema: 'app', name: 'open_view', securityBarrier: false, definerCalls: [{ signature: 'app.me()', owner: 'helper' }] }]) },
      config: on,
    },
    {
      name: 'the owner of the RLS table with FORCE ROW LEVEL SECURITY is held to it',
      snapshot: { ...base, tables: [table('app', 'docs', { rls: true, forceRls: true }), ...base.tables.slice(1)], rlsDetails: details([{ schema: 'app', name: 'open_view', securityBarrier: false, definerCalls: [{ signature: 'app.f()', owner: 'app_owner' }] }]) },
      config: on,
    },
    { name: 'not read', snapshot: { ...base }, config: on },
  ],
  invalid: [
    {
      name: 'no security_barrier over an RLS table (VIEW002); a definer call whose owner owns the RLS table (VIEW004)',
      snapshot: {
        ...base,
        rlsDetails: details([
          { schema: 'app', name: 'docs_view', securityBarrier: false, definerCalls: [] },
          { schema: 'app', name: 'open_view', securityBarrier: false, definerCalls: [{ signature: 'app.all_docs()', owner: 'app_owner' }, { signature: 'app.su()', owner: 'postgres' }] },
        ]),
      },
      config: on,
      findings: [
        { object: 'app.docs_view', message: /^View app\.docs_view reads app\.docs \(row-level security on\) without security_barrier: .* ALTER VIEW app\.docs_view SET \(security_barrier = true\) \(pgrls VIEW002\)\.$/ },
        { object: 'app.open_view', message: /^View app\.open_view calls app\.all_docs\(\), a SECURITY DEFINER function owned by "app_owner", who is not held to row-level security on app\.docs: .*\(pgrls VIEW004\)\.$/ },
        { object: 'app.open_view', message: /calls app\.su\(\), a SECURITY DEFINER function owned by "postgres", who is not held to row-level security on app\.docs:/ },
      ],
    },
  ],
});
