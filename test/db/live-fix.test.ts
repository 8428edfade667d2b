// The fix statements of live findings ("Open Fix SQL") on a real server: the seeded
// sample's findings carry exactly the statements expected, and each one, run by the test
// as the server's superuser (pgwarden itself never runs them), is accepted by PostgreSQL
// and makes its finding go away on the next audit.

import assert from 'node:assert/strict';
import { audit, connect } from '../../server/src/db';
import { startCluster, TestCluster } from '../support/postgres';
import { seedSql, target } from './helpers';

/** `ruleId object` -> the fix the seed's finding carries. */
const FIXES: Record<string, string> = {
  'db-bypassrls etl': 'ALTER ROLE etl NOBYPASSRLS;',
  'db-definer-search-path app.reset_balance(p_id integer)': 'ALTER FUNCTION app.reset_balance(p_id integer) SET search_path = pg_catalog, pg_temp;',
  'db-predefined-role-member analyst': 'REVOKE pg_read_all_data FROM analyst;',
  'db-public-function-execute app.reset_balance(p_id integer)': 'REVOKE EXECUTE ON FUNCTION app.reset_balance(p_id integer) FROM PUBLIC;',
  'db-public-schema-create public': 'REVOKE CREATE ON SCHEMA public FROM PUBLIC;',
  'db-public-table-privilege app.order_totals': 'REVOKE SELECT ON app.order_totals FROM PUBLIC;',
  'db-public-table-privilege public.settings': 'REVOKE SELECT, UPDATE ON public.settings FROM PUBLIC;',
  'db-rls-off-granted app.orders':
    'ALTER TABLE app.orders ENABLE ROW LEVEL SECURITY;\n-- Then a policy for each grantee\'s rows, for example:\n-- CREATE POLICY own_rows ON app.orders TO <role> USING (<condition>);',
  'db-rls-off-granted public.settings':
    'ALTER TABLE public.settings ENABLE ROW LEVEL SECURITY;\n-- Then a policy for each grantee\'s rows, for example:\n-- CREATE POLICY own_rows ON public.settings TO <role> USING (<condition>);',
  'db-superuser-login ops_admin': 'ALTER ROLE ops_admin NOSUPERUSER;',
};

describe('db: fix statements of live findings', function () {
  this.timeout(60_000);
  let c: TestCluster;
  before(async () => {
    c = await startCluster();
    c.psql(seedSql(c.version));
  });
  after(() => c?.stop());

  const auditNow = async () => {
    const s = await connect(target(c.port), async () => c.password);
    try {
      return (await audit(s)).findings;
    } finally {
      await s.close();
    }
  };

  it('carries the expected statement on each finding whose fix is a statement, and none on the others', async () => {
    const findings = await auditNow();
    const withFix = Object.fromEntries(findings.filter((f) => f.fix).map((f) => [`${f.ruleId} ${f.object}`, f.fix]));
    assert.deepEqual(withFix, FIXES);
    // A fix that is a decision (which password, which policy) is not made up.
    for (const id of ['db-md5-password', 'db-policy-always-true', 'db-rls-no-policy', 'db-untrusted-language']) {
      assert.equal(findings.find((f) => f.ruleId === id)?.fix, undefined, id);
    }
  });

  it('each statement runs on the server and its finding is gone afterwards', async () => {
    const before = await auditNow();
    const fixed = before.filter((f) => f.fix);
    for (const f of fixed) c.psql(f.fix!);
    const after = new Set((await auditNow()).map((f) => `${f.ruleId} ${f.object}`));
    assert.deepEqual(
      fixed.map((f) => `${f.ruleId} ${f.object}`).filter((k) => after.has(k)),
      [],
      'findings still reported after their fix ran',
    );
  });
});
