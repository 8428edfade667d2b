// `pgwarden roles|access|audit` run in-process through the CLI's main(argv, io) against
// a real seeded PostgreSQL: output checked against the server's own answers, exit codes,
// and the password kept out of argv, stdout and stderr.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as accessCmd } from '../../server/src/cli/access';
import { run as auditCmd } from '../../server/src/cli/audit';
import { CliError, CliIo } from '../../server/src/cli/io';
import { run as rolesCmd } from '../../server/src/cli/roles';
import type { RolesOutput } from '../../server/src/cli/roles';
import type { RoleAccessOutput, TableAccessOutput } from '../../server/src/cli/access';
import { startCluster, TestCluster } from '../support/postgres';
import { captureIo, cleanEnv, closedPort, SEED_SQL } from './helpers';

const ALICE = 'Alice-Cli-Pw-42';

/**
 * Runs a command's run(argv, io) the way the CLI's main() does: a CliError or any other
 * failure becomes exit 2 with a one-line reason. (main() itself loads commands with a
 * dynamic import, which only the esbuild bundle resolves.)
 */
async function main(argv: string[], io: CliIo): Promise<number> {
  const commands: Record<string, (argv: string[], io: CliIo) => Promise<number>> = { roles: rolesCmd, access: accessCmd, audit: auditCmd };
  try {
    return await commands[argv[0]](argv.slice(1), io);
  } catch (err) {
    const msg = err instanceof CliError ? err.message : `internal failure: ${err instanceof Error ? err.message : String(err)}`;
    io.stderr(`pgwarden: ${msg.split('\n')[0]}\n`);
    if (err instanceof CliError && msg.includes('\n')) io.stderr(msg.split('\n').slice(1).join('\n') + '\n');
    return 2;
  }
}

describe('db: pgwarden roles | access | audit', function () {
  this.timeout(60_000);
  let c: TestCluster;
  let conn: string;
  let work: string;
  const env = () => cleanEnv({ PGPASSWORD: c.password });
  const run = async (argv: string[], e: NodeJS.ProcessEnv = env(), answer?: string) => {
    const io = captureIo(e, answer);
    const code = await main(argv, io);
    return { code, out: io.out, err: io.err, prompts: io.prompts };
  };
  /** The server's answer to a query, as rows of `|`-separated fields. */
  const rows = (sql: string) => c.psql(sql).trim().split('\n').filter(Boolean);

  before(async () => {
    c = await startCluster();
    c.psql(SEED_SQL + `ALTER ROLE alice PASSWORD '${ALICE}'; CREATE DATABASE clean;`);
    conn = `host=127.0.0.1 port=${c.port} user=postgres dbname=postgres sslmode=disable`;
    work = mkdtempSync(join(tmpdir(), 'pgwarden-cli-'));
  });
  after(() => {
    c?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  describe('roles', () => {
    it('prints every role and its memberships as pg_roles and pg_auth_members have them', async () => {
      const r = await run(['roles', '--db', conn, '--format', 'json']);
      assert.equal(r.code, 0, r.err);
      const out = JSON.parse(r.out) as RolesOutput;
      const server = rows(
        `SELECT rolname, rolsuper, rolcanlogin, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication, rolinherit, rolconnlimit FROM pg_roles ORDER BY rolname COLLATE "C"`,
      );
      assert.deepEqual(
        out.roles.map((x) => [x.name, x.superuser, x.login, x.createrole, x.createdb, x.bypassrls, x.replication, x.inherit, x.connectionLimit].map((v) => (typeof v === 'boolean' ? (v ? 't' : 'f') : String(v))).join('|')),
        server,
      );
      const memberships = rows(
        `SELECT m.rolname, r.rolname, am.admin_option FROM pg_auth_members am JOIN pg_roles r ON r.oid = am.roleid JOIN pg_roles m ON m.oid = am.member ORDER BY 1, 2`,
      );
      const ours = out.roles.flatMap((x) => x.memberOf.map((m) => `${x.name}|${m.role}|${m.admin ? 't' : 'f'}`)).sort();
      assert.deepEqual(ours, [...memberships].sort());
      const carol = out.roles.find((x) => x.name === 'carol');
      assert.deepEqual(carol, {
        name: 'carol', superuser: false, login: true, createrole: true, createdb: false, bypassrls: false, replication: false, inherit: true,
        connectionLimit: 5, validUntil: '2099-01-01T00:00:00+00:00',
        memberOf: [{ role: 'app_owner', admin: false, inherit: true, set: true }, { role: 'app_rw', admin: true, inherit: true, set: true }],
      });
      assert.equal(out.roles.find((x) => x.name === 'bob')?.memberOf[0].inherit, false);
    });

    it('prints tables with RLS, policies and grants (PUBLIC as "PUBLIC")', async () => {
      const out = JSON.parse((await run(['roles', '--db', conn])).out) as RolesOutput;
      assert.deepEqual(out.tables.map((t) => `${t.schema}.${t.name}`), ['app.accounts', 'app.audit_log', 'app.order_totals', 'app.orders', 'app.secrets', 'public.settings']);
      const accounts = out.tables[0];
      assert.deepEqual(Object.keys(accounts), ['schema', 'name', 'rls', 'forceRls', 'policies', 'grants']);
      assert.deepEqual(accounts.policies[0], { name: 'accounts_everyone', command: 'ALL', permissive: true, roles: ['PUBLIC'], using: 'true', withCheck: null });
      const settings = out.tables[5];
      const serverAcl = rows(`SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END || '|' || a.privilege_type FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = 'public.settings'::regclass`);
      assert.deepEqual(settings.grants.map((g) => `${g.grantee}|${g.privilege}`).sort(), [...serverAcl].sort());
    });

    it('has a text format', async () => {
      const r = await run(['roles', '--db', conn, '--format', 'text']);
      assert.equal(r.code, 0);
      const lines = r.out.split('\n');
      assert.ok(lines.includes('  carol  LOGIN CREATEROLE CONNECTION LIMIT 5 VALID UNTIL 2099-01-01T00:00:00+00:00'), r.out);
      assert.ok(lines.includes('    member of app_rw (ADMIN, INHERIT, SET)'));
      assert.ok(lines.includes('  bob  LOGIN NOINHERIT'));
      assert.ok(lines.includes('  app.secrets  RLS forced'));
      assert.ok(lines.includes('    policy accounts_everyone ALL PERMISSIVE to PUBLIC USING (true)'));
      assert.ok(lines.includes('    PUBLIC: SELECT, UPDATE'));
    });
  });

  describe('access', () => {
    it("--role: the role's effective privileges, exactly the ones has_table_privilege grants", async () => {
      const r = await run(['access', '--db', conn, '--role', 'alice']);
      assert.equal(r.code, 0, r.err);
      const out = JSON.parse(r.out) as RoleAccessOutput;
      assert.deepEqual(Object.keys(out), ['role', 'privileges', 'afterSetRole']);
      assert.equal(out.role, 'alice');
      const server = rows(
        `SELECT n.nspname || '|' || c.relname || '|' || p FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
                unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) p
          WHERE c.relkind IN ('r','v','m','p','f') AND n.nspname IN ('app','public') AND has_table_privilege('alice', c.oid, p)`,
      );
      assert.deepEqual(out.privileges.map((p) => `${p.schema}|${p.table}|${p.privilege}`).sort(), [...server].sort());
      assert.deepEqual(out.privileges.find((p) => p.table === 'orders' && p.privilege === 'SELECT')?.via, ['app_rw', 'app_reader']);
      assert.deepEqual(out.privileges.find((p) => p.table === 'settings' && p.privilege === 'SELECT')?.via, ['PUBLIC']);
      assert.deepEqual(out.privileges.find((p) => p.table === 'secrets')?.via, []);
      // What row-level security leaves: a forced table with a policy naming alice, and RLS on without any policy.
      assert.equal(out.privileges.find((p) => p.table === 'secrets')?.rowSecurity, 'filtered: secrets_own AND RESTRICTIVE secrets_no_legacy');
      assert.equal(out.privileges.find((p) => p.table === 'audit_log' && p.privilege === 'SELECT')?.rowSecurity, 'no permissive policy applies: sees 0 rows');
      assert.equal(out.privileges.find((p) => p.table === 'orders' && p.privilege === 'SELECT')?.rowSecurity, 'RLS off: every row');
    });

    it('--table: every holder of every privilege, superusers included, as has_table_privilege says', async () => {
      const r = await run(['access', '--db', conn, '--table', 'app.orders']);
      assert.equal(r.code, 0, r.err);
      const out = JSON.parse(r.out) as TableAccessOutput;
      assert.equal(out.table, 'app.orders');
      const server = rows(
        // MAINTAIN is a table privilege from 17.
        `SELECT r.rolname || '|' || p FROM pg_roles r, unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER'${c.version >= 17 ? ",'MAINTAIN'" : ''}]) p
          WHERE has_table_privilege(r.oid, 'app.orders'::regclass, p)`,
      );
      assert.deepEqual(out.holders.map((h) => `${h.role}|${h.privilege}`).sort(), [...server].sort());
      assert.deepEqual(out.holders.find((h) => h.role === 'ops_admin' && h.privilege === 'DELETE'), {
        role: 'ops_admin', superuser: true, privilege: 'DELETE', via: [], path: 'superuser', rls: { kind: 'off' }, rowSecurity: 'RLS off: every row',
      });
      assert.deepEqual(out.holders.find((h) => h.role === 'carol' && h.privilege === 'SELECT')?.via, ['app_owner']);
      // bob is NOINHERIT: has_table_privilege says no, but SET ROLE app_reader gives him SELECT.
      assert.equal(out.holders.some((h) => h.role === 'bob' && h.privilege === 'SELECT'), false);
      assert.deepEqual(out.afterSetRole.find((h) => h.role === 'bob' && h.privilege === 'SELECT'), {
        role: 'bob', privilege: 'SELECT', setRole: ['app_reader'], as: 'app_reader', path: 'only after SET ROLE app_reader (not inherited), then granted to it',
        rls: { kind: 'off' }, rowSecurity: 'RLS off: every row',
      });
    });

    it('has text formats with the paths and what RLS leaves', async () => {
      const role = await run(['access', '--db', conn, '--role', 'alice', '--format', 'text']);
      const roleLines = role.out.split('\n');
      assert.equal(roleLines[0], 'Tables alice can access');
      assert.ok(roleLines.some((l) => /^app\.orders +SELECT +via app_rw → app_reader +RLS off: every row$/.test(l)), role.out);
      const table = await run(['access', '--db', conn, '--table', 'app.orders', '--format', 'text']);
      const lines = table.out.split('\n');
      assert.equal(lines[0], 'Who can access app.orders (RLS off, 0 policies, owner app_owner)');
      assert.match(lines[1], /^Role +Privilege +Path +Row-level security$/);
      assert.ok(lines.some((l) => /^alice +SELECT +via app_rw → app_reader +RLS off: every row$/.test(l)), table.out);
      assert.ok(lines.some((l) => /^postgres +SELECT +superuser +RLS off: every row$/.test(l)), table.out);
    });

    it('--format markdown and csv: one row per role and privilege, the RLS verdict in its own column', async () => {
      const md = await run(['access', '--db', conn, '--table', 'app.secrets', '--format', 'markdown']);
      assert.equal(md.code, 0, md.err);
      const mdLines = md.out.split('\n');
      assert.equal(mdLines[0], '# Who can access app.secrets (RLS forced, 2 policies, owner app_owner)');
      assert.equal(mdLines[2], '| Role | Privilege | Path | Row-level security |');
      assert.ok(mdLines.includes('| alice | SELECT | granted to it | filtered: secrets_own AND RESTRICTIVE secrets_no_legacy |'), md.out);
      // Forced, and no policy names the owner: it sees none of its own rows.
      assert.ok(mdLines.includes('| app_owner | SELECT | owner | no permissive policy applies: sees 0 rows |'), md.out);
      assert.ok(mdLines.includes('| ops_admin | SELECT | superuser | bypassed (superuser): every row |'), md.out);
      const csv = await run(['access', '--db', conn, '--table', 'app.secrets', '--format', 'csv']);
      const rowsOut = csv.out.split('\r\n');
      assert.equal(rowsOut[0], 'Role,Privilege,Path,Row-level security');
      assert.ok(rowsOut.includes('carol,SELECT,granted to it,filtered: secrets_own AND RESTRICTIVE secrets_no_legacy'), csv.out);
      assert.equal(csv.out.endsWith('\r\n'), true);
    });

    it('roles and access print text on a terminal and JSON through a pipe, unless --format says', async () => {
      const onTerminal = async (argv: string[]) => {
        const io = captureIo(env());
        io.tty = true;
        const code = await main(argv, io);
        return { code, out: io.out };
      };
      const roles = await onTerminal(['roles', '--db', conn]);
      assert.equal(roles.code, 0);
      assert.ok(roles.out.split('\n').includes('  bob  LOGIN NOINHERIT'), roles.out);
      const table = await onTerminal(['access', '--db', conn, '--table', 'app.orders']);
      assert.equal(table.out.split('\n')[0], 'Who can access app.orders (RLS off, 0 policies, owner app_owner)');
      // Piped: JSON, as scripts expect; on a terminal --format json still wins.
      assert.ok(Array.isArray(JSON.parse((await run(['roles', '--db', conn])).out).roles));
      assert.ok(Array.isArray(JSON.parse((await onTerminal(['roles', '--db', conn, '--format', 'json'])).out).roles));
      assert.ok(Array.isArray(JSON.parse((await run(['access', '--db', conn, '--table', 'app.orders'])).out).holders));
    });

    it('exit 2 with a one-line reason for an unknown role or table and bad usage', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['access', '--db', conn, '--role', 'nobody'], /^pgwarden: role "nobody" does not exist\n$/],
        [['access', '--db', conn, '--table', 'app.nope'], /^pgwarden: table "app"."nope" does not exist/],
        [['access', '--db', conn, '--table', 'orders'], /^pgwarden: --table takes SCHEMA.NAME/],
        [['access', '--db', conn], /^pgwarden: give exactly one of --role and --table\n/],
        [['access', '--db', conn, '--role', 'a', '--table', 'a.b'], /^pgwarden: give exactly one of --role and --table\n/],
        [['roles', '--db', conn, '--format', 'xml'], /^pgwarden: unknown --format "xml"/],
        [['access', '--db', conn, '--table', 'app.orders', '--format', 'xml'], /^pgwarden: unknown --format "xml" \(json, text, markdown or csv\)\n$/],
        [['roles'], /^pgwarden: --db CONN is required\n/],
        [['audit', '--db', 'colour=blue'], /^pgwarden: invalid connection option "colour"\n$/],
      ];
      for (const [argv, err] of cases) {
        const r = await run(argv);
        assert.equal(r.code, 2, argv.join(' '));
        assert.match(r.err, err);
        assert.equal(r.out, '');
      }
    });
  });

  describe('audit', () => {
    it('json: the lint finding shape with object; exit 1 because some findings are errors', async () => {
      const r = await run(['audit', '--db', conn, '--format', 'json']);
      assert.equal(r.code, 1, r.err);
      const { findings } = JSON.parse(r.out);
      const f = findings.find((x: any) => x.ruleId === 'db-definer-search-path');
      // No workspace given: the finding names its object and has no file (never the connection URL).
      assert.deepEqual(Object.keys(f).sort(), ['fix', 'message', 'object', 'objectKind', 'ruleId', 'severity']);
      assert.deepEqual([f.object, f.objectKind, f.severity], ['app.reset_balance(p_id integer)', 'function', 'error']);
      // The statement that would fix it, printed for a person to run; a decision (which policy) has none.
      assert.equal(f.fix, 'ALTER FUNCTION app.reset_balance(p_id integer) SET search_path = pg_catalog, pg_temp;');
      assert.equal(findings.find((x: any) => x.ruleId === 'db-policy-always-true').fix, undefined);
      const hba = findings.find((x: any) => x.ruleId === 'hba-trust');
      assert.match(hba.file, /pg_hba\.conf$/);
      assert.equal(hba.line, 1);
    });

    it('text and sarif', async () => {
      const text = await run(['audit', '--db', conn]);
      assert.equal(text.code, 1);
      const lines = text.out.split('\n');
      const at = lines.findIndex((l) => l.startsWith('etl  warning  Role "etl" has BYPASSRLS') && l.endsWith('  db-bypassrls'));
      assert.ok(at >= 0, text.out);
      assert.equal(lines[at + 1], '    fix: ALTER ROLE etl NOBYPASSRLS;');
      assert.match(text.out, new RegExp(`finding\\(s\\) on postgresql://postgres@127\\.0\\.0\\.1:${c.port}/postgres: \\d+ error\\(s\\)`));
      const sarif = await run(['audit', '--db', conn, '--format', 'sarif']);
      assert.equal(sarif.code, 1);
      const log = JSON.parse(sarif.out);
      assert.equal(log.version, '2.1.0');
      const res = log.runs[0].results.find((x: any) => x.ruleId === 'db-bypassrls');
      assert.deepEqual(res.locations, [{ logicalLocations: [{ name: 'etl', fullyQualifiedName: 'etl' }] }]);
      assert.deepEqual(res.properties, { fix: 'ALTER ROLE etl NOBYPASSRLS;' });
      assert.doesNotMatch(sarif.out, /postgresql:\/\/|127\.0\.0\.1/, 'the connection is no location');
      const rule = log.runs[0].tool.driver.rules.find((x: any) => x.id === 'db-bypassrls');
      assert.match(rule.shortDescription.text, /BYPASSRLS/);
    });

    it('--workspace: SARIF places each finding on the statement that creates its object', async () => {
      const ws = join(work, 'ws');
      mkdirSync(join(ws, 'migrations'), { recursive: true });
      writeFileSync(join(ws, 'migrations', '001_roles.sql'), '-- roles\nGRANT SELECT ON t TO etl;\nCREATE ROLE etl LOGIN BYPASSRLS;\n');
      writeFileSync(
        join(ws, 'migrations', '002_app.sql'),
        'CREATE SCHEMA app;\n\n  CREATE FUNCTION app.reset_balance(p_id integer) RETURNS void\n  LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;\n',
      );
      const r = await run(['audit', '--db', conn, '--format', 'sarif', '--workspace', ws]);
      assert.equal(r.code, 1, r.err);
      const results = JSON.parse(r.out).runs[0].results;
      const at = (rule: string) => {
        const l = results.find((x: any) => x.ruleId === rule).locations[0];
        return [l.physicalLocation?.artifactLocation.uri.replace(/^.*\/ws\//, ''), l.physicalLocation?.region, l.logicalLocations[0].name];
      };
      // The CREATE, not the earlier GRANT; columns span the statement's first line.
      assert.deepEqual(at('db-bypassrls'), ['migrations/001_roles.sql', { startLine: 3, startColumn: 1, endLine: 3, endColumn: 33 }, 'etl']);
      assert.deepEqual(at('db-definer-search-path'), ['migrations/002_app.sql', { startLine: 3, startColumn: 3, endLine: 3, endColumn: 63 }, 'app.reset_balance(p_id integer)']);
      // A role no file creates keeps only its logical location.
      const analyst = results.find((x: any) => x.ruleId === 'db-predefined-role-member').locations[0];
      assert.equal(analyst.physicalLocation, undefined);
      const missing = await run(['audit', '--db', conn, '--workspace', join(work, 'nope')]);
      assert.equal(missing.code, 2);
      assert.match(missing.err, /^pgwarden: --workspace: no such file or directory: /);
    });

    it('exit 0 when nothing reaches error severity, with pgwarden.json from --config', async () => {
      const cfg = join(work, 'pgwarden.json');
      writeFileSync(cfg, JSON.stringify({ rules: { 'db-superuser-login': 'off' } }));
      const cleanConn = `host=127.0.0.1 port=${c.port} user=alice dbname=clean sslmode=disable`;
      const r = await run(['audit', '--db', cleanConn, '--config', cfg, '--format', 'json'], cleanEnv({ PGPASSWORD: ALICE }));
      assert.equal(r.code, 0, r.out + r.err);
      const { findings } = JSON.parse(r.out);
      // The server's settings (db-settings: the test cluster runs without ssl, with default logging) are asserted in settings.test.ts.
      assert.deepEqual(findings.filter((f: any) => f.ruleId !== 'db-settings').map((f: any) => `${f.ruleId} ${f.object}`), ['db-bypassrls etl', 'db-predefined-role-member analyst']);
      assert.match(r.err, /not checked: db-md5-password/);
    });
  });

  describe('passwords and faults', () => {
    it('refuses a password in the connection string and never prints it', async () => {
      for (const db of [`postgresql://alice:${ALICE}@127.0.0.1:${c.port}/postgres`, `host=127.0.0.1 port=${c.port} user=alice password=${ALICE}`]) {
        const r = await run(['roles', '--db', db]);
        assert.equal(r.code, 2);
        assert.match(r.err, /a password in the connection string is not accepted/);
        assert.ok(!r.err.includes(ALICE) && !r.out.includes(ALICE));
      }
    });

    it('prompts when there is no PGPASSWORD and no pgpass entry', async () => {
      const db = `host=127.0.0.1 port=${c.port} user=alice dbname=postgres sslmode=disable`;
      const r = await run(['access', '--db', db, '--role', 'alice'], cleanEnv(), ALICE);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(r.prompts, [`Password for alice@127.0.0.1:${c.port}/postgres (sslmode=disable): `]);
    });

    it('wrong password: exit 2, one line, no password anywhere', async () => {
      const wrong = 'Not-The-Password-99';
      const db = `host=127.0.0.1 port=${c.port} user=alice dbname=postgres sslmode=disable`;
      const r = await run(['roles', '--db', db], cleanEnv({ PGPASSWORD: wrong }));
      assert.equal(r.code, 2);
      assert.match(r.err, /^pgwarden: password authentication failed for user "alice" on alice@127\.0\.0\.1:\d+\/postgres \(sslmode=disable\)\n$/);
      assert.ok(!r.err.includes(wrong) && !r.out.includes(wrong));
    });

    it('server down: exit 2 with the reason', async () => {
      const r = await run(['audit', '--db', `host=127.0.0.1 port=${await closedPort()} sslmode=disable user=postgres`]);
      assert.equal(r.code, 2);
      assert.match(r.err, /^pgwarden: cannot reach postgres@127\.0\.0\.1:\d+\/postgres \(sslmode=disable\): .*ECONNREFUSED/);
    });
  });
});
