// The RLS rules of issue 11 on a real PostgreSQL: the semantics the shared judgement
// (core/live/policy.ts) relies on, checked against the server; one migration linted by the
// SQL rules and, once applied, audited live, with both halves naming the same policies; and
// what a superuser, an ordinary role and a pg_monitor member each see.

import assert from 'node:assert/strict';
import { defaultConfig } from '../../server/src/core/config';
import { analyzeSql, lintAnalyzedSql } from '../../server/src/core/lint';
import { loadParser } from '../../server/src/core/sql/parser';
import { Workspace } from '../../server/src/core/workspace';
import { audit, connect, DbFinding } from '../../server/src/db';
import { startCluster, TestCluster } from '../support/postgres';
import { target } from './helpers';

const MIGRATION = `
CREATE ROLE shop_owner NOLOGIN;
CREATE ROLE shop_app LOGIN PASSWORD 'pw-shop-app';
CREATE ROLE shop_etl LOGIN BYPASSRLS;
CREATE ROLE plain LOGIN PASSWORD 'pw-plain';
CREATE ROLE monitor LOGIN PASSWORD 'pw-monitor';
GRANT pg_monitor TO monitor;
CREATE SCHEMA shop;
GRANT USAGE ON SCHEMA shop TO shop_app, plain;
CREATE TABLE shop.docs (id int, tenant int, owner text, sharing text);
ALTER TABLE shop.docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON shop.docs TO shop_app USING (owner = current_user);
CREATE POLICY view_shared ON shop.docs FOR SELECT USING (sharing <> 'private');
CREATE POLICY tenant_floor ON shop.docs AS RESTRICTIVE TO shop_app USING (true);
CREATE POLICY no_delete ON shop.docs FOR DELETE TO shop_app USING (false);
CREATE POLICY ins ON shop.docs FOR INSERT TO shop_app;
CREATE POLICY etl_tenant ON shop.docs TO shop_etl USING (tenant = 1);
GRANT SELECT, INSERT, UPDATE, DELETE ON shop.docs TO shop_app;
ALTER TABLE shop.docs OWNER TO shop_owner;
CREATE TABLE shop.notes (id int, owner text);
CREATE POLICY own_notes ON shop.notes USING (owner = current_user);
GRANT SELECT ON shop.notes TO shop_app;
CREATE TABLE shop.orders (id int, owner text);
ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_orders ON shop.orders USING (owner = current_user);
ALTER TABLE shop.orders OWNER TO shop_app;
CREATE VIEW shop.order_list AS SELECT id FROM shop.orders;
GRANT SELECT ON shop.order_list TO plain;
CREATE SCHEMA util;
GRANT CREATE ON SCHEMA util TO PUBLIC;
CREATE FUNCTION shop.pay(int) RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = util, pg_temp AS $$ SELECT $1 $$;
REVOKE EXECUTE ON FUNCTION shop.pay(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION shop.pay(int) TO shop_app;
`;

/** The policy a finding's message names (`Policy "x"`). */
const policyOf = (message: string) => /Policy "([^"]+)"/.exec(message)?.[1] ?? '?';
const RULES = ['to-public', 'no-effect', 'bypassrls-role'];

describe('db: RLS rules on a real server', function () {
  this.timeout(120_000);
  let c: TestCluster;
  before(async () => {
    await loadParser();
    c = await startCluster();
    c.psql(MIGRATION);
  });
  after(() => c?.stop());

  it('PostgreSQL applies policies as the shared judgement says', () => {
    c.psql(`CREATE TABLE shop.sem (id int, owner text); ALTER TABLE shop.sem ENABLE ROW LEVEL SECURITY; GRANT ALL ON shop.sem TO shop_app;
            CREATE POLICY s ON shop.sem FOR SELECT TO shop_app USING (true);
            CREATE POLICY i ON shop.sem FOR INSERT TO shop_app;`);
    const as = (sql: string) => c.psql(`SET ROLE shop_app; ${sql}; RESET ROLE;`);
    // A permissive INSERT policy without WITH CHECK admits no row.
    assert.throws(() => as(`INSERT INTO shop.sem VALUES (1, 'shop_app')`), /violates row-level security policy/);
    // A restrictive INSERT policy without WITH CHECK holds nothing back.
    c.psql(`CREATE POLICY i2 ON shop.sem FOR INSERT TO shop_app WITH CHECK (true); CREATE POLICY r ON shop.sem AS RESTRICTIVE FOR INSERT TO shop_app;`);
    as(`INSERT INTO shop.sem VALUES (1, 'shop_app')`);
    // UPDATE without WITH CHECK: new rows are checked against USING.
    c.psql(`CREATE POLICY u ON shop.sem FOR UPDATE TO shop_app USING (owner = current_user);`);
    assert.throws(() => as(`UPDATE shop.sem SET owner = 'someone else'`), /violates row-level security policy/);
    // A permissive false beside a permissive policy for the same command denies nothing.
    c.psql(`CREATE POLICY d ON shop.sem FOR DELETE TO shop_app USING (true); CREATE POLICY no_d ON shop.sem FOR DELETE TO shop_app USING (false);`);
    assert.equal(as(`DELETE FROM shop.sem RETURNING id`).trim(), '1');
    c.psql(`DROP TABLE shop.sem;`);
  });

  it('the SQL rules on the migration and the live rules on the server name the same policies', async () => {
    const ws = new Workspace();
    const a = analyzeSql('file:///migration.sql', MIGRATION);
    ws.setFile('file:///migration.sql', a.facts);
    const sql = lintAnalyzedSql(a, ws, defaultConfig(), (id, err) => assert.fail(`${id}: ${err}`));
    const s = await connect(target(c.port), async () => c.password);
    try {
      const live = (await audit(s)).findings;
      for (const r of RULES) {
        const fromSql = sql.filter((f) => f.ruleId === `policy-${r}`).map((f) => policyOf(f.message)).sort();
        const fromLive = live.filter((f) => f.ruleId === `db-policy-${r}`).map((f) => f.policy ?? '?').sort();
        assert.deepEqual(fromLive, fromSql, r);
      }
      assert.deepEqual(sql.filter((f) => f.ruleId.startsWith('policy-') && f.ruleId !== 'policy-always-true').map((f) => `${f.ruleId} ${policyOf(f.message)}`).sort(), [
        'policy-bypassrls-role etl_tenant',
        'policy-no-effect ins',
        'policy-no-effect no_delete',
        'policy-no-effect tenant_floor',
        'policy-to-public view_shared',
      ]);
    } finally {
      await s.close();
    }
  });

  /** This section's live findings, as `rule object [policy]` lines. */
  const mine = (fs: DbFinding[]) =>
    fs
      .filter((f) => /^db-(policy-(to-public|no-effect|bypassrls-role|rls-off)|rls-not-forced|view-bypasses-rls|definer-execute|definer-search-path)$/.test(f.ruleId) && !f.object.startsWith('app.'))
      .map((f) => `${f.ruleId} ${f.object}${f.policy ? ` ${f.policy}` : ''} ${f.severity}`)
      .sort();
  const EXPECTED = [
    'db-definer-execute shop.pay(integer) info',
    'db-definer-search-path shop.pay(integer) error',
    'db-policy-bypassrls-role shop.docs etl_tenant warning',
    'db-policy-no-effect shop.docs ins info',
    'db-policy-no-effect shop.docs no_delete warning',
    'db-policy-no-effect shop.docs tenant_floor warning',
    'db-policy-rls-off shop.notes warning',
    'db-policy-to-public shop.docs view_shared info',
    'db-rls-not-forced shop.orders warning',
    'db-view-bypasses-rls shop.order_list warning',
  ];

  for (const who of [
    { user: 'postgres', label: 'a superuser' },
    { user: 'plain', password: 'pw-plain', label: 'an ordinary role' },
    { user: 'monitor', password: 'pw-monitor', label: 'a pg_monitor member' },
  ]) {
    it(`as ${who.label}: the same findings, since pg_class, pg_policy, pg_proc, pg_namespace and pg_depend are readable by every role`, async () => {
      const s = await connect(target(c.port, { user: who.user }), async () => who.password ?? c.password);
      try {
        const r = await audit(s);
        assert.deepEqual(mine(r.findings), EXPECTED);
        const path = r.findings.find((f) => f.ruleId === 'db-definer-search-path' && f.object === 'shop.pay(integer)');
        assert.match(path?.message ?? '', /has util on its search_path, and PUBLIC may create objects there/);
        const view = r.findings.find((f) => f.ruleId === 'db-view-bypasses-rls');
        assert.match(view?.message ?? '', /^View shop\.order_list reads shop\.orders, which has row-level security, with the rights of its owner "postgres", and "plain" may read it/);
        const forced = r.findings.find((f) => f.ruleId === 'db-rls-not-forced');
        assert.match(forced?.message ?? '', /its owner is "shop_app", a role that can log in/);
      } finally {
        await s.close();
      }
    });
  }

  it("as the table's owner: db-rls-not-forced says this connection is the owner", async () => {
    const s = await connect(target(c.port, { user: 'shop_app' }), async () => 'pw-shop-app');
    try {
      const r = await audit(s);
      const forced = r.findings.find((f) => f.ruleId === 'db-rls-not-forced');
      assert.match(forced?.message ?? '', /its owner is "shop_app", the role this connection uses: sessions as the owner bypass every policy/);
    } finally {
      await s.close();
    }
  });
});
