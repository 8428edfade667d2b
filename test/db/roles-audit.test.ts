// The role and privilege checks of the live audit on a real server, read by three kinds
// of auditor: an ordinary login role, a member of pg_monitor, and the superuser. Each sees
// what the catalog shows it, and the test states what that is for each rule.

import assert from 'node:assert/strict';
import { Client, ClientConfig } from 'pg';
import { PgwardenConfig, defaultConfig } from '../../server/src/core/config';
import { audit, connect, DbFinding } from '../../server/src/db';
import { startCluster, TestCluster } from '../support/postgres';
import { run as auditCmd } from '../../server/src/cli/audit';
import { captureIo, cleanEnv, target } from './helpers';

const PASSWORD = 'Roles-Audit-1';

const of = (fs: DbFinding[], rule: string) => fs.filter((f) => f.ruleId === rule).map((f) => `${f.object}: ${f.message}`);

describe('db: role and privilege checks as an ordinary role, as pg_monitor and as superuser', function () {
  this.timeout(60_000);
  let c: TestCluster;
  let walsender: Client | undefined;
  before(async () => {
    c = await startCluster();
    // On 16+ one grant WITH SET FALSE shows that inheritance alone makes no superuser.
    const setFalse = c.version >= 16 ? 'GRANT ops TO nina WITH SET FALSE;' : 'GRANT ops TO nina;';
    c.psql(`
      CREATE ROLE root_like SUPERUSER NOLOGIN;
      CREATE ROLE ops NOLOGIN;
      CREATE ROLE rls_admin NOLOGIN BYPASSRLS;
      CREATE ROLE mallory LOGIN;
      CREATE ROLE nina LOGIN;
      CREATE ROLE reporter LOGIN;
      GRANT root_like TO ops;
      GRANT ops TO mallory;
      ${setFalse}
      GRANT rls_admin TO reporter;
      CREATE ROLE plain_auditor LOGIN PASSWORD '${PASSWORD}';
      CREATE ROLE monitor_auditor LOGIN PASSWORD '${PASSWORD}' IN ROLE pg_monitor;
      CREATE ROLE loaders NOLOGIN;
      CREATE ROLE loader1 LOGIN;
      GRANT pg_read_server_files TO loaders;
      GRANT loaders TO loader1;
      CREATE ROLE old_team NOLOGIN;
      CREATE ROLE contractor LOGIN VALID UNTIL '2020-01-01 00:00:00+00';
      CREATE TABLE public.invoices (id int);
      GRANT SELECT ON public.invoices TO contractor;
      CREATE ROLE replicator LOGIN REPLICATION;
      CREATE DATABASE billing;
      CREATE DATABASE crm;
      CREATE SCHEMA extensions;
      CREATE EXTENSION cube;
      CREATE EXTENSION hstore WITH SCHEMA extensions VERSION '1.4';
    `);
    // A logical replication connection as the superuser: a walsender session, as a subscriber would open.
    walsender = new Client({ host: '127.0.0.1', port: c.port, user: 'postgres', password: c.password, database: 'postgres', replication: 'database' } as ClientConfig);
    await walsender.connect();
  });
  after(async () => {
    await walsender?.end();
    c?.stop();
  });

  const auditAs = async (user: string, config?: PgwardenConfig) => {
    const s = await connect(target(c.port, { user }), async () => (user === 'postgres' ? c.password : PASSWORD));
    try {
      return await audit(s, { config });
    } finally {
      await s.close();
    }
  };

  it('every auditor sees the same escalation paths: pg_auth_members and pg_roles are readable by all', async () => {
    const expected = [
      'mallory: Login role "mallory" can act as superuser "root_like": mallory -> ops (SET ROLE) -> root_like (SET ROLE). Unless "mallory" is meant to administer the server, cut the path: REVOKE ops FROM mallory' +
        (c.version >= 16 ? ', or grant it again WITH SET FALSE.' : '.'),
      // Before 16, nina's grant cannot say SET FALSE: she may SET ROLE ops like mallory.
      ...(c.version >= 16 ? [] : ['nina: Login role "nina" can act as superuser "root_like": nina -> ops (SET ROLE) -> root_like (SET ROLE). Unless "nina" is meant to administer the server, cut the path: REVOKE ops FROM nina.']),
      'reporter: Login role "reporter" can act as "rls_admin", which has BYPASSRLS: reporter -> rls_admin (SET ROLE). Unless "reporter" is meant to bypass row-level security, cut the path: REVOKE rls_admin FROM reporter' +
        (c.version >= 16 ? ', or grant it again WITH SET FALSE.' : '.'),
    ];
    for (const user of ['plain_auditor', 'monitor_auditor', 'postgres']) {
      const r = await auditAs(user);
      assert.deepEqual(of(r.findings, 'db-role-escalation'), expected, user);
      assert.deepEqual(
        of(r.findings, 'db-predefined-role-member'),
        [
          'loaders: Role "loaders" is a member of pg_read_server_files, which lets it (and the login role that holds its rights: loader1) read any file the database server can read (COPY FROM a file, pg_read_file), including configuration and other databases\' files. Use REVOKE pg_read_server_files FROM loaders and grant narrower privileges on the objects it needs.',
        ],
        user,
      );
    }
  });

  it('orphans, expired roles, extensions and replication: the same for every auditor (pg_shdepend, pg_extension and the roles in pg_stat_replication are readable by all)', async () => {
    for (const user of ['plain_auditor', 'monitor_auditor', 'postgres']) {
      const r = await auditAs(user);
      assert.deepEqual(of(r.findings, 'db-orphan-role'), ['old_team: Role "old_team" cannot log in, has no members, holds no privileges and owns nothing in any database. If nothing outside the database uses it, DROP ROLE old_team.'], user);
      assert.deepEqual(
        of(r.findings, 'db-expired-role').map((m) => m.replace(/VALID UNTIL [^)]*/, 'VALID UNTIL <t>')),
        [
          'contractor: Role "contractor" expired (VALID UNTIL <t>) but still has 1 grant or owned object. The expiry stops only password logins: certificate, peer or other logins still work, and members keep using its privileges. Lock it with ALTER ROLE contractor NOLOGIN, or remove it: REASSIGN OWNED BY contractor TO <owner>; DROP OWNED BY contractor; DROP ROLE contractor (in every database).',
        ],
        user,
      );
      assert.deepEqual(r.findings.filter((f) => f.ruleId.startsWith('db-extension')).map((f) => `${f.ruleId} ${f.object}`), ['db-extension-in-public cube', 'db-extension-outdated hstore'], user);
      assert.match(of(r.findings, 'db-extension-outdated')[0], /^hstore: Extension "hstore" is at version 1\.4 but the server provides 1\.\d+:/);
      assert.deepEqual(of(r.findings, 'db-replication-superuser'), ['postgres: A replication connection (walsender) runs as superuser "postgres". Use the replication role replicator, point primary_conninfo and pg_hba.conf\'s replication lines at it, and keep postgres for administration.'], user);
    }
  });

  it('what each auditor can judge: pg_authid and pg_hba_file_rules only as superuser, with the rules they skip listed', async () => {
    const config = { ...defaultConfig(), rules: { 'db-password-no-expiry': 'info' as const } };
    const plain = await auditAs('plain_auditor', config);
    const monitor = await auditAs('monitor_auditor', config);
    const su = await auditAs('postgres', config);
    for (const [r, who] of [[plain, 'plain'], [monitor, 'pg_monitor']] as const) {
      assert.deepEqual(of(r.findings, 'db-password-no-expiry'), [], who);
      assert.deepEqual(of(r.findings, 'db-database-public-connect'), [], who);
      assert.ok(r.skipped.includes('db-md5-password, db-password-no-expiry: pg_authid is readable only by superusers'), r.skipped.join('\n'));
      assert.ok(r.skipped.some((x) => x.startsWith("db-database-public-connect: whether PUBLIC's CONNECT lets every role in depends on pg_hba.conf")), r.skipped.join('\n'));
    }
    assert.deepEqual(su.skipped, []);
    // The two auditors and the test cluster's superuser log in with a password that never expires; the others have none.
    assert.deepEqual(su.findings.filter((f) => f.ruleId === 'db-password-no-expiry').map((f) => f.object), ['monitor_auditor', 'plain_auditor', 'postgres']);
    // billing and crm are two application databases, and the test cluster's pg_hba.conf
    // admits every user on the socket (line 1) and on loopback.
    assert.deepEqual(of(su.findings, 'db-database-public-connect').map((m) => m.replace(/ REVOKE.*/, '')), [
      'billing: PUBLIC holds CONNECT, TEMPORARY on database "billing" and pg_hba.conf line 1 admits every role to it, so the roles of the other 1 database(s) can connect, read its catalog and create temporary tables.',
      'crm: PUBLIC holds CONNECT, TEMPORARY on database "crm" and pg_hba.conf line 1 admits every role to it, so the roles of the other 1 database(s) can connect, read its catalog and create temporary tables.',
    ]);
    // With the rule off by default, its skip note is not listed.
    const plainDefault = await auditAs('plain_auditor');
    assert.ok(plainDefault.skipped.includes('db-md5-password: pg_authid is readable only by superusers'), plainDefault.skipped.join('\n'));
  });

  it('db-role-no-connection-limit, when turned on, lists the login roles without a limit (superusers are exempt)', async () => {
    const r = await auditAs('plain_auditor', { ...defaultConfig(), rules: { 'db-role-no-connection-limit': 'info' } });
    assert.deepEqual(r.findings.filter((f) => f.ruleId === 'db-role-no-connection-limit').map((f) => f.object), [
      'contractor',
      'loader1',
      'mallory',
      'monitor_auditor',
      'nina',
      'plain_auditor',
      'replicator',
      'reporter',
    ]);
  });

  it('pgwarden audit --format html: one page with the findings, the role graph with the path in red, and what could not run', async () => {
    const html = async (user: string, password: string) => {
      const io = captureIo(cleanEnv({ PGPASSWORD: password }));
      const code = await auditCmd(['--db', `host=127.0.0.1 port=${c.port} user=${user} dbname=postgres sslmode=disable`, '--format', 'html'], io);
      return { code, out: io.out, err: io.err };
    };
    const plain = await html('plain_auditor', PASSWORD);
    // Warnings but no error-severity finding: exit 0, as with the other formats.
    assert.equal(plain.code, 0, plain.err);
    assert.match(plain.out, /^<!DOCTYPE html>/);
    assert.match(plain.out, /<dt>Database<\/dt><dd><code>plain_auditor@127\.0\.0\.1:\d+\/postgres<\/code><\/dd>/);
    assert.match(plain.out, new RegExp(`<dt>Server</dt><dd>PostgreSQL ${c.version}</dd>`));
    assert.match(plain.out, /<dt>Audited as<\/dt><dd><code>plain_auditor<\/code>, an ordinary role \(no pg_monitor or pg_read_all_settings\)<\/dd>/);
    assert.match(plain.out, /<tr class="finding" data-rule="db-role-escalation"><td class="sev sev-warning">warning<\/td>.*<code>mallory<\/code>.*mallory -&gt; ops \(SET ROLE\) -&gt; root_like \(SET ROLE\).*CIS \/ pgdsat 4\.3/);
    const hot = [...plain.out.matchAll(/<line class="edge escalation"[^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1].replace(/ \(.*/, '')).sort();
    assert.deepEqual(hot, [
      'mallory is a member of ops',
      ...(c.version >= 16 ? [] : ['nina is a member of ops']),
      'ops is a member of root_like',
      'reporter is a member of rls_admin',
    ]);
    assert.match(plain.out, /<tr class="not-run"><td><code>db-md5-password<\/code><\/td><td>pg_authid is readable only by superusers<\/td><\/tr>/);
    assert.match(plain.out, /<tr class="not-run"><td><code>pg_hba rules<\/code><\/td><td>this role lacks SELECT on pg_catalog.pg_hba_file_rules/);
    const monitor = await html('monitor_auditor', PASSWORD);
    assert.match(monitor.out, /<dt>Audited as<\/dt><dd><code>monitor_auditor<\/code>, pg_monitor, pg_read_all_settings, pg_read_all_stats<\/dd>/);
    const su = await html('postgres', c.password);
    assert.match(su.out, /<dt>Audited as<\/dt><dd><code>postgres<\/code>, superuser: every check could read what it needs<\/dd>/);
    assert.match(su.out, /<p>Every check ran: <code>postgres<\/code> could read everything they need\.<\/p>/);
    // The superuser sees the server's pg_hba.conf, so its findings are in the report too.
    assert.match(su.out, /<section id="client-authentication-pg-hba-conf">.*data-rule="hba-trust"/s);
  });
});
