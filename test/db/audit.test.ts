// The live audit on the seeded sample, on a real PostgreSQL 15 and on PGlite 18: the
// exact findings (rule id and object), configuration, a role that may not read
// pg_authid or pg_hba_file_rules, and the server's pg_hba.conf records.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Client } from 'pg';
import { defaultConfig } from '../../server/src/core/config';
import { KNOWN_RELEASES } from '../../server/src/core/live/rules/db-server-version';
import { hbaTexts, HbaRow } from '../../server/src/core/live/hba';
import { audit, catalogFacts, connect, listTables, readHbaRules, roleDetails, tableDetails } from '../../server/src/db';
import { startPglite } from '../support/pglite';
import { matrixRun, startCluster, TestCluster } from '../support/postgres';
import { seedSql, target } from './helpers';

/** What the seed should produce, as `ruleId object` lines. */
const EXPECTED = [
  'db-bypassrls etl',
  'db-definer-search-path app.reset_balance(p_id integer)',
  'db-md5-password legacy',
  'db-policy-always-true app.accounts',
  'db-predefined-role-member analyst',
  'db-public-function-execute app.reset_balance(p_id integer)',
  'db-public-schema-create public',
  'db-public-table-privilege app.order_totals',
  'db-public-table-privilege public.settings',
  'db-rls-no-policy app.audit_log',
  'db-rls-off-granted app.orders',
  'db-rls-off-granted public.settings',
  'db-superuser-login ops_admin',
  'db-untrusted-language plsample_untrusted',
];

/**
 * Before 16, CREATEROLE may grant itself any non-superuser role: carol can become etl (BYPASSRLS).
 * A major past its end of life (13 since 2025-11-13, 14 since 2026-11-12) is itself a finding;
 * the test servers run the newest minor of each major, so no other server-version finding arises.
 */
const expectedOn = (major: number) => {
  const endOfLife = KNOWN_RELEASES[major]?.endOfLife;
  const eol = endOfLife !== undefined && new Date().toISOString().slice(0, 10) >= endOfLife ? ['db-server-version server_version'] : [];
  return [...EXPECTED, ...(major < 16 ? ['db-role-escalation carol'] : []), ...eol].sort();
};

/** The findings on catalog objects; the server's settings and pg_hba.conf have tests of their own (settings.test.ts, below). */
const lines = (fs: { ruleId: string; object: string; objectKind: string }[]) => fs.filter((f) => f.objectKind !== 'setting' || f.ruleId !== 'db-settings').map((f) => `${f.ruleId} ${f.object}`).sort();

describe('db: live audit on a real server', function () {
  this.timeout(60_000);
  let c: TestCluster;
  before(async () => {
    c = await startCluster();
    c.psql(seedSql(c.version) + `ALTER ROLE alice PASSWORD 'Alice-Audit-1';`);
  });
  after(() => c?.stop());

  it('finds exactly the weaknesses planted in the seed, with severities and messages', async () => {
    const s = await connect(target(c.port), async () => c.password);
    try {
      const r = await audit(s);
      assert.deepEqual(lines(r.findings.filter((f) => f.objectKind !== 'hba')), expectedOn(c.version));
      assert.deepEqual(r.skipped, []);
      assert.deepEqual(r.notes, []);
      // The test cluster's pg_hba.conf starts with `local all all trust`: the pg_hba rules
      // see it through pg_hba_file_rules, at the server's file and line.
      const trust = r.findings.find((f) => f.ruleId === 'hba-trust');
      assert.deepEqual([trust?.objectKind, trust?.line, trust?.object], ['hba', 1, 'local all all trust']);
      assert.match(trust?.file ?? '', /pg_hba\.conf$/);
      const bySev = (id: string) => r.findings.find((f) => f.ruleId === id)?.severity;
      assert.equal(bySev('db-public-schema-create'), 'error');
      assert.equal(bySev('db-definer-search-path'), 'error');
      assert.equal(bySev('db-bypassrls'), 'warning');
      const off = r.findings.find((f) => f.ruleId === 'db-rls-off-granted' && f.object === 'app.orders');
      assert.equal(off?.objectKind, 'table');
      assert.match(off?.message ?? '', /granted to "app_reader", "app_writer", "bob"/);
      const always = r.findings.find((f) => f.ruleId === 'db-policy-always-true');
      assert.match(always?.message ?? '', /Policy "accounts_everyone" on app.accounts \(ALL, for PUBLIC\) has USING \(true\)/);
    } finally {
      await s.close();
    }
  });

  it('applies pgwarden.json: rules off, severity overrides, rls.schemas', async () => {
    const s = await connect(target(c.port), async () => c.password);
    try {
      const config = { ...defaultConfig(), rules: { 'db-bypassrls': 'off' as const, 'db-md5-password': 'error' as const }, rlsSchemas: ['app'] };
      const r = await audit(s, { config });
      assert.ok(!r.findings.some((f) => f.ruleId === 'db-bypassrls'));
      assert.equal(r.findings.find((f) => f.ruleId === 'db-md5-password')?.severity, 'error');
      assert.deepEqual(r.findings.filter((f) => f.ruleId === 'db-rls-off-granted').map((f) => f.object), ['app.orders']);
    } finally {
      await s.close();
    }
  });

  it('as a role that cannot read pg_authid or pg_hba_file_rules: those checks are listed as skipped', async () => {
    const s = await connect(target(c.port, { user: 'alice' }), async () => 'Alice-Audit-1');
    try {
      const r = await audit(s);
      assert.deepEqual(lines(r.findings), expectedOn(c.version).filter((l) => !l.startsWith('db-md5-password')));
      assert.equal(r.skipped.length, c.version >= 15 ? 5 : 4);
      assert.match(r.skipped[0], /^db-md5-password: pg_authid/);
      assert.match(r.skipped[2], /^db-settings: .* visible only to superusers and pg_read_all_settings/);
      assert.equal(r.skipped[1], 'pg_hba rules: this role lacks SELECT on pg_catalog.pg_hba_file_rules and EXECUTE on function pg_catalog.pg_hba_file_rules() (superusers have both; GRANT them to let this role audit pg_hba.conf)');
      // pg_ident_file_mappings exists from 15, behind the same two privileges.
      if (c.version >= 15) {
        assert.equal(r.skipped[3], 'pg_ident rules: this role lacks SELECT on pg_catalog.pg_ident_file_mappings and EXECUTE on function pg_catalog.pg_ident_file_mappings() (superusers have both; GRANT them to let this role audit pg_ident.conf)');
      }
      assert.equal(r.skipped[r.skipped.length - 1], "db-database-public-connect: whether PUBLIC's CONNECT lets every role in depends on pg_hba.conf, and pg_hba_file_rules is not readable");
    } finally {
      await s.close();
    }
  });

  it('reports password_encryption other than scram-sha-256', async () => {
    c.psql(`ALTER DATABASE postgres SET password_encryption = 'md5'`);
    const s = await connect(target(c.port), async () => c.password);
    try {
      const r = await audit(s);
      const f = r.findings.find((x) => x.ruleId === 'db-password-encryption');
      assert.deepEqual([f?.object, f?.objectKind, f?.severity], ['password_encryption', 'setting', 'error']);
      assert.match(f?.message ?? '', /password_encryption is 'md5'/);
    } finally {
      await s.close();
      c.psql(`ALTER DATABASE postgres RESET password_encryption`);
    }
  });

  it('when pg_policy, pg_language and pg_default_acl are not readable: the rest still loads and the checks that need them are skipped', async () => {
    c.psql(`REVOKE SELECT ON pg_catalog.pg_policy, pg_catalog.pg_language, pg_catalog.pg_default_acl FROM PUBLIC`);
    const s = await connect(target(c.port, { user: 'alice' }), async () => 'Alice-Audit-1');
    try {
      const t = await tableDetails(s, 'app', 'accounts');
      assert.deepEqual([t?.rls, t?.policies, t?.policiesUnreadable], [true, [], true]);
      const page = await listTables(s, { schema: 'app' });
      assert.deepEqual(page.items.map((x) => [x.policyCount, x.policiesUnreadable]), Array(5).fill([0, true]));
      const facts = await catalogFacts(s);
      assert.deepEqual(facts.policies, []);
      const r = await audit(s);
      assert.ok(!r.findings.some((f) => f.ruleId === 'db-rls-no-policy' || f.ruleId === 'db-policy-always-true'));
      assert.ok(r.findings.some((f) => f.ruleId === 'db-rls-off-granted'));
      assert.ok(r.skipped.some((x) => /^db-rls-no-policy, db-policy-always-true: pg_policy is not readable/.test(x)));
      assert.ok(!r.findings.some((f) => f.ruleId === 'db-untrusted-language'));
      assert.ok(r.skipped.includes('db-untrusted-language: permission denied for table pg_language'), r.skipped.join('; '));
      // The role's own privileges still list, without the catalogs it may not read.
      const d = await roleDetails(s, 'alice');
      assert.deepEqual([...new Set(d?.privileges.map((p) => p.objectType))].sort(), ['database', 'function', 'schema', 'table']);
    } finally {
      await s.close();
      c.psql(`GRANT SELECT ON pg_catalog.pg_policy, pg_catalog.pg_language, pg_catalog.pg_default_acl TO PUBLIC`);
    }
  });

  it('as a role granted pg_hba_file_rules but not pg_read_all_settings: the pg_hba rules run, on a neutral file name, with a note naming what is missing', async () => {
    c.psql(`CREATE ROLE hba_reader LOGIN PASSWORD 'Hba-Reader-1';
            GRANT SELECT ON pg_catalog.pg_hba_file_rules TO hba_reader;
            CREATE ROLE hba_half LOGIN PASSWORD 'Hba-Half-1';
            GRANT SELECT ON pg_catalog.pg_hba_file_rules TO hba_half;
            REVOKE EXECUTE ON FUNCTION pg_catalog.pg_hba_file_rules() FROM PUBLIC;`);
    c.psql(`GRANT EXECUTE ON FUNCTION pg_catalog.pg_hba_file_rules() TO hba_reader;`);
    const s = await connect(target(c.port, { user: 'hba_reader' }), async () => 'Hba-Reader-1');
    try {
      const r = await audit(s);
      const trust = r.findings.find((f) => f.ruleId === 'hba-trust');
      // From 16 the view itself names each record's file; before, only the hba_file setting does.
      const named = c.version >= 16;
      assert.deepEqual([trust?.objectKind, trust?.severity, trust?.file, trust?.line, trust?.object], ['hba', 'error', named ? join(c.dataDir, 'pg_hba.conf') : 'pg_hba.conf', 1, 'local all all trust']);
      assert.ok(!r.skipped.some((x) => /pg_hba/.test(x)), r.skipped.join('; '));
      assert.deepEqual(r.notes.filter((n) => !n.startsWith('db-settings')), named ? [] : ['pg_hba findings name the file "pg_hba.conf" because its path (the hba_file setting) is visible only to roles with pg_read_all_settings']);
    } finally {
      await s.close();
    }
    const half = await connect(target(c.port, { user: 'hba_half' }), async () => 'Hba-Half-1');
    try {
      const r = await audit(half);
      assert.ok(!r.findings.some((f) => f.objectKind === 'hba'));
      assert.ok(r.skipped.includes('pg_hba rules: this role lacks EXECUTE on function pg_catalog.pg_hba_file_rules() (superusers have both; GRANT them to let this role audit pg_hba.conf)'), r.skipped.join('; '));
    } finally {
      await half.close();
      c.psql(`DROP OWNED BY hba_reader, hba_half; DROP ROLE hba_reader, hba_half;`);
    }
  });

  it("rebuilds the server's pg_hba.conf records at their own line numbers", async () => {
    c.writeDataFile('pg_hba.conf', '# test\nlocal all all trust\n\nhost all all 127.0.0.1/32 scram-sha-256\nhost "my db",app +admins,"Bob" 10.0.0.0 255.0.0.0 md5\nlocal sameuser ALL peer map="my map"\nhostssl all all ::1/128 cert\n');
    c.reload();
    const s = await connect(target(c.port), async () => c.password);
    try {
      const rows = (await readHbaRules(s)) as HbaRow[];
      // Line 7 is hostssl on a server without SSL: the server reports an error for it, and it is left out.
      assert.deepEqual(rows.map((r) => r.line), [2, 4, 5, 6, 7]);
      assert.match(rows[4].error ?? '', /SSL is disabled/);
      const text = [...hbaTexts(rows).values()][0];
      assert.deepEqual(text.split('\n'), [
        '',
        'local all all trust',
        '',
        'host all all 127.0.0.1/32 scram-sha-256',
        'host "my db",app +admins,Bob 10.0.0.0/8 md5',
        'local sameuser "ALL" peer map="my map"',
        '',
      ]);
      // The pg_hba rules report those records at the server's line numbers.
      const hba = (await audit(s)).findings.filter((f) => f.objectKind === 'hba');
      assert.deepEqual(hba.find((f) => f.ruleId === 'hba-md5')?.line, 5);
      assert.deepEqual(hba.find((f) => f.ruleId === 'hba-trust')?.line, 2);
    } finally {
      await s.close();
    }
  });

  it('reads pg_ident_file_mappings (15+): the ident rules run on the server\'s maps, and pg_hba records with map= are judged through them', async function () {
    if (c.version < 15) this.skip();
    const { readFileSync } = await import('node:fs');
    const hbaBefore = readFileSync(join(c.dataDir, 'pg_hba.conf'), 'utf8');
    const identBefore = readFileSync(join(c.dataDir, 'pg_ident.conf'), 'utf8');
    c.writeDataFile('pg_ident.conf', '# maps\nclients /^(.*)$ app_\\1\nadmins /.* postgres\n');
    c.writeDataFile('pg_hba.conf', hbaBefore + 'host all all 203.0.113.0/24 ident map=clients\nhost all all 198.51.100.0/24 ident map=admins\n');
    c.reload();
    const s = await connect(target(c.port), async () => c.password);
    try {
      const r = await audit(s);
      const hbaLines = hbaBefore.split('\n').length;
      const ident = r.findings.filter((f) => f.ruleId.startsWith('ident-'));
      assert.deepEqual(ident.map((f) => [f.ruleId, f.line, f.object]), [['ident-any-superuser', 3, 'admins /.* postgres']]);
      if (c.version >= 16) assert.equal(ident[0].file, join(c.dataDir, 'pg_ident.conf'));
      // The map "clients" never yields postgres: only the record with map=admins is a remote superuser login.
      const remote = r.findings.filter((f) => f.ruleId === 'hba-superuser-remote' && (f.line ?? 0) >= hbaLines);
      assert.deepEqual(remote.map((f) => f.object), ['host all all 198.51.100.0/24 ident map=admins']);
    } finally {
      await s.close();
      c.writeDataFile('pg_ident.conf', identBefore);
      c.writeDataFile('pg_hba.conf', hbaBefore);
      c.reload();
    }
  });
});

describe('db: live audit on PGlite (18)', function () {
  before(function () {
    if (matrixRun()) this.skip();
  });
  this.timeout(120_000);
  let stop: () => Promise<void>;
  let port: number;
  before(async () => {
    const p = await startPglite();
    stop = p.stop;
    port = p.port;
    // A sanity check that the seed ran: the sample roles exist.
    const client = new Client({ host: p.host, port, user: 'postgres', database: 'postgres' });
    await client.connect();
    assert.equal((await client.query(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'ops_admin'`)).rows[0].n, 1);
    await client.end();
  });
  after(async () => stop?.());

  it('finds the same weaknesses on PostgreSQL 18', async () => {
    const s = await connect(target(port), async () => undefined);
    try {
      assert.equal(s.major, 18);
      const r = await audit(s);
      assert.deepEqual(lines(r.findings.filter((f) => f.objectKind !== 'hba')), EXPECTED);
    } finally {
      await s.close();
    }
  });
});
