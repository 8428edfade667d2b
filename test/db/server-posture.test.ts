// The server-posture checks that pgdsat makes with shell access and a superuser, and the
// pgrls and issue-11 checks read from pg_proc and the role graph, on a real server, read by
// three kinds of auditor: an ordinary login role, a member of pg_monitor, and the
// superuser. Each sees what the catalog shows it, and the test states what that is.

import assert from 'node:assert/strict';
import { mkdirSync, chownSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PgwardenConfig, defaultConfig } from '../../server/src/core/config';
import { KNOWN_RELEASES } from '../../server/src/core/live/rules/db-server-version';
import { audit, AuditResult, connect, DbFinding } from '../../server/src/db';
import { startCluster, TestCluster } from '../support/postgres';
import { target } from './helpers';

const PASSWORD = 'Posture-Audit-1';
const AUDITORS = ['plain_auditor', 'monitor_auditor', 'postgres'] as const;

const of = (fs: DbFinding[], rule: string) => fs.filter((f) => f.ruleId === rule).map((f) => `${f.object}: ${f.message}`);

describe('db: server posture as an ordinary role, as pg_monitor and as superuser', function () {
  this.timeout(120_000);
  let c: TestCluster;
  const results = new Map<string, AuditResult>();
  const optIn: PgwardenConfig = { ...defaultConfig(), rules: { 'db-wal-archiving': 'warning', 'db-extension-review': 'info', 'db-settings-review': 'info', 'db-policy-review': 'info', 'db-view-review': 'info' } };

  before(async () => {
    // An archiver whose command always fails, as a broken archive host makes it.
    c = await startCluster({ conf: "archive_mode = on\narchive_command = 'false'\n" });
    const owner = statSync(c.dataDir);
    const dir = (path: string) => {
      mkdirSync(path);
      chownSync(path, owner.uid, owner.gid);
      return path;
    };
    const inside = dir(join(c.dataDir, 'ts_inside'));
    const outside = dir(join(c.dataDir, '..', 'ts_outside'));
    c.psql(`
      CREATE ROLE plain_auditor LOGIN PASSWORD '${PASSWORD}';
      CREATE ROLE monitor_auditor LOGIN PASSWORD '${PASSWORD}' IN ROLE pg_monitor;
      CREATE ROLE app LOGIN;
      CREATE ROLE dashboards NOLOGIN;
      CREATE ROLE alice LOGIN;
      CREATE ROLE postgres_exporter LOGIN;
      GRANT pg_monitor TO app;
      GRANT pg_read_all_stats TO dashboards;
      GRANT dashboards TO alice;
      GRANT pg_monitor TO postgres_exporter;
      CREATE EXTENSION pg_stat_statements;
      CREATE SCHEMA app;
      CREATE FUNCTION app.same_tenant(a integer, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE LEAKPROOF AS 'SELECT a = b';
      CREATE FUNCTION app.plain(a integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a';
      CREATE TABLESPACE inside LOCATION '${inside}';
      CREATE TABLESPACE outside LOCATION '${outside}';
      CREATE TABLE app.filler AS SELECT g FROM generate_series(1, 1000) g;
      CREATE SCHEMA auth;
      CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$SELECT nullif(current_setting('request.jwt.sub', true), '')::uuid$$;
      CREATE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS $$SELECT current_setting('request.jwt.email', true)$$;
      CREATE TABLE app.notes (id int, owner uuid, email text, deleted_at timestamptz);
      ALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;
      INSERT INTO app.notes VALUES (1, '00000000-0000-0000-0000-000000000001', 'a_b@example.com', NULL), (2, '00000000-0000-0000-0000-000000000002', 'axb@example.com', NULL);
      GRANT USAGE ON SCHEMA app, auth TO app;
      GRANT SELECT ON app.notes TO app;
      CREATE POLICY own ON app.notes TO app USING (auth.uid() IS NULL OR owner = auth.uid());
      CREATE POLICY by_mail ON app.notes TO app USING (email LIKE auth.email());
      CREATE TABLE app.members (doc int, uid uuid);
      CREATE TABLE app.docs (id int, owner uuid, slug text, created_by uuid);
      ALTER TABLE app.docs ENABLE ROW LEVEL SECURITY;
      CREATE POLICY docs_member ON app.docs FOR SELECT TO app USING (EXISTS (SELECT 1 FROM app.members m WHERE m.doc = docs.id AND m.uid = auth.uid()));
      CREATE POLICY docs_owner ON app.docs FOR SELECT TO app USING (owner = auth.uid());
      CREATE UNIQUE INDEX docs_slug ON app.docs (slug);
      CREATE FUNCTION app.stamp() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$BEGIN RETURN NEW; END$$;
      CREATE TRIGGER stamp BEFORE INSERT ON app.docs FOR EACH ROW EXECUTE FUNCTION app.stamp();
      CREATE VIEW app.docs_view AS SELECT id, slug FROM app.docs;
      CREATE VIEW app.docs_guarded WITH (security_barrier) AS SELECT id FROM app.docs WHERE slug IS NOT NULL;
      CREATE FUNCTION app.doc_total() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS 'SELECT count(*) FROM app.docs';
      CREATE VIEW app.doc_count AS SELECT app.doc_total() AS n;
      CREATE POLICY live ON app.notes AS RESTRICTIVE TO app USING (deleted_at IS NULL OR owner = auth.uid());
    `);
    // Make the archiver try (and fail) once: a WAL switch hands it a finished segment.
    c.psql('SELECT pg_switch_wal()');
    const deadline = Date.now() + 30_000;
    while (Number(c.psql('SELECT failed_count FROM pg_stat_archiver').trim()) === 0) {
      if (Date.now() > deadline) throw new Error('the archiver never reported a failure');
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const user of AUDITORS) {
      const s = await connect(target(c.port, { user }), async () => (user === 'postgres' ? c.password : PASSWORD));
      try {
        results.set(user, await audit(s, { config: optIn }));
      } finally {
        await s.close();
      }
    }
  });
  after(() => c?.stop());

  const findings = (user: string, rule: string) => of(results.get(user)!.findings, rule);

  it('db-stats-reader: every auditor sees who holds pg_read_all_stats (pg_roles and pg_auth_members are public)', () => {
    for (const user of AUDITORS) {
      assert.deepEqual(
        findings(user, 'db-stats-reader').map((f) => f.replace(/, so it reads.*/, '')),
        ['alice: Login role "alice" holds pg_read_all_stats (alice -> dashboards -> pg_read_all_stats)', 'app: Login role "app" holds pg_read_all_stats (app -> pg_monitor -> pg_read_all_stats)'],
        user,
      );
      assert.match(findings(user, 'db-stats-reader')[1], /pg_stat_statements \(installed here\)/);
    }
  });

  it('db-leakproof-function: pg_proc is readable by every role', () => {
    for (const user of AUDITORS) {
      assert.deepEqual(
        findings(user, 'db-leakproof-function').map((f) => f.replace(/: PostgreSQL may run.*/, '')),
        ['app.same_tenant(a integer, b integer): Function app.same_tenant(a integer, b integer) (sql, owned by "postgres") is LEAKPROOF'],
        user,
      );
    }
  });

  it('db-tablespace-in-datadir: pg_monitor and the superuser see data_directory; an ordinary role is told the check did not run', () => {
    for (const user of ['monitor_auditor', 'postgres']) {
      assert.deepEqual(findings(user, 'db-tablespace-in-datadir').map((f) => f.replace(/, inside the data directory .*/, '')), [`tablespace inside: Tablespace "inside" is at "${join(c.dataDir, 'ts_inside')}"`], user);
      assert.ok(!results.get(user)!.skipped.some((s) => s.startsWith('db-tablespace-in-datadir')), user);
    }
    assert.deepEqual(findings('plain_auditor', 'db-tablespace-in-datadir'), []);
    assert.ok(results.get('plain_auditor')!.skipped.includes('db-tablespace-in-datadir: data_directory is visible only to superusers and members of pg_read_all_settings (or pg_monitor)'));
  });

  it('db-wal-archiving (turned on): every auditor sees the failing archiver in pg_stat_archiver', () => {
    for (const user of AUDITORS) {
      const got = findings(user, 'db-wal-archiving');
      assert.equal(got.length, 1, `${user}: ${got.join('; ')}`);
      assert.match(got[0], /^archive_command: WAL archiving is failing: the last attempt \(segment [0-9A-F]{24}\) failed at \S+, and no segment was ever archived \(\d+ failures? since the statistics were reset\)\./);
    }
  });

  it('db-extension-review (turned on): every auditor sees pg_extension', () => {
    for (const user of AUDITORS) {
      assert.deepEqual(findings(user, 'db-extension-review').map((f) => f.replace(/:.*/, '')), ['pg_stat_statements', 'set_user', 'pgcrypto', 'anon'], user);
    }
  });

  it('db-server-version: server_version_num and the clock are readable by every role', () => {
    const [num, today] = c.psql(`SELECT current_setting('server_version_num') || ' ' || to_char(now(), 'YYYY-MM-DD')`).trim().split(' ');
    const major = Math.floor(Number(num) / 10000);
    const minor = Number(num) % 10000;
    const known = KNOWN_RELEASES[major];
    const expected = today >= known.endOfLife ? [/community support for \d+ ended/] : minor < known.minor ? [/, behind /] : [];
    for (const user of AUDITORS) {
      const got = findings(user, 'db-server-version');
      assert.equal(got.length, expected.length, `${user}: ${got.join('; ')}`);
      got.forEach((f, i) => assert.match(f, expected[i]));
    }
  });

  it('db-policy-weak-auth-check: pg_policy is readable by every role; the hazards are real on the server', () => {
    for (const user of AUDITORS) {
      assert.deepEqual(
        findings(user, 'db-policy-weak-auth-check').map((f) => f.replace(/: a caller without.*|: '_'.*/, '')),
        [
          'app.notes: Policy "by_mail" (ALL, for app) on app.notes: its USING uses auth.email() as a LIKE or regular-expression pattern',
          'app.notes: Policy "own" (ALL, for app) on app.notes: its USING passes every row when auth.uid() IS NULL',
        ],
        user,
      );
    }
    // A session with no identity passes the IS NULL branch and reads every row ...
    assert.equal(c.psql("SET ROLE app; SELECT count(*) FROM app.notes; RESET ROLE;").trim(), '2');
    // ... and a caller whose address has '_' reads the other address through the pattern.
    assert.equal(c.psql("SET ROLE app; SET request.jwt.sub = '00000000-0000-0000-0000-000000000009'; SET request.jwt.email = 'a_b@example.com'; SELECT string_agg(id::text, ',' ORDER BY id) FROM app.notes; RESET ROLE;").trim(), '1,2');
  });

  it('db-settings-review (turned on): lists what each auditor may see of pg_settings; a superuser-only row never shows to an ordinary role', () => {
    const lists = (user: string) =>
      Object.fromEntries(results.get(user)!.findings.filter((f) => f.ruleId === 'db-settings-review').map((f) => [f.object, (/default \([^)]*\): (.*?)\. Review/.exec(f.message)?.[1] ?? '').split(', ')]));
    for (const user of AUDITORS) {
      const l = lists(user);
      assert.ok(l['postmaster parameters']?.includes('archive_mode'), `${user}: ${JSON.stringify(l)}`);
      assert.ok(l['SIGHUP parameters']?.includes('archive_command'), `${user}: ${JSON.stringify(l)}`);
    }
    const plain = Object.values(lists('plain_auditor')).flat();
    const all = Object.values(lists('postgres')).flat();
    assert.ok(plain.every((n) => all.includes(n)), 'an ordinary role sees no parameter the superuser does not');
    assert.deepEqual(Object.values(lists('monitor_auditor')).flat().sort(), [...all].sort(), 'pg_monitor (pg_read_all_settings) sees what the superuser sees');
  });

  it('db-policy-review (turned on): pg_policy, pg_attribute, pg_index and pg_trigger are readable by every role', () => {
    for (const user of AUDITORS) {
      assert.deepEqual(
        findings(user, 'db-policy-review').map((f) => `${f.replace(/:.*\(pgrls /, ' (pgrls ')}`),
        [
          'app.docs (pgrls SEC025).',
          'app.docs (pgrls SEC030).',
          'app.docs (pgrls SEC027).',
          'app.docs (pgrls SEC035).',
          'app.docs (pgrls SEC013).',
          'app.docs (pgrls SEC007).',
          'app.docs (pgrls SEC022).',
          'app.notes (pgrls SEC006).',
          'app.notes (pgrls SEC006).',
          'app.notes (pgrls SEC030).',
        ],
        user,
      );
    }
  });

  it('db-view-review (turned on): pg_rewrite, pg_depend and reloptions are readable by every role', () => {
    for (const user of AUDITORS) {
      assert.deepEqual(
        findings(user, 'db-view-review').map((f) => f.replace(/:.*\(pgrls /, ' (pgrls ')),
        ['app.doc_count (pgrls VIEW004).', 'app.docs_view (pgrls VIEW002).'],
        user,
      );
      assert.match(findings(user, 'db-view-review')[0], /calls app\.doc_total\(\), a SECURITY DEFINER function owned by "postgres", who is not held to row-level security on app\.docs, app\.notes:/);
    }
  });

  it('the rules off by default stay silent unless turned on', async () => {
    const s = await connect(target(c.port, { user: 'postgres' }), async () => c.password);
    try {
      const r = await audit(s, {});
      assert.deepEqual(r.findings.filter((f) => ['db-wal-archiving', 'db-extension-review', 'db-settings-review', 'db-policy-review', 'db-view-review'].includes(f.ruleId)), []);
    } finally {
      await s.close();
    }
  });
});
