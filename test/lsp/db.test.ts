// The live-database requests of the bundled language server, driven over stdio the way
// the VS Code client drives them, against a real PostgreSQL: the trust gate, password
// prompts (missing, wrong, right) without the password ever coming back, the paged role
// tree, effective privileges checked against has_table_privilege for every role, table
// and privilege, "who can access", GRANT/REVOKE text for hostile names (run through psql
// to prove it is exact), find in workspace, the catalog feeding the SQL rules, db findings
// on the file that creates the object, and a session killed under the tree.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Diagnostic } from 'vscode-languageserver-protocol';
import {
  DbChildrenRequest,
  DbChildrenResult,
  DbConnectRequest,
  DbConnectResult,
  DbDisconnectRequest,
  DbEffectivePrivilegesRequest,
  DbFindingItem,
  DbFindingsRequest,
  DbFindInWorkspaceRequest,
  DbGenerateSqlRequest,
  DbLostNotification,
  DbNodeRef,
  DbRefreshRequest,
  DbResolveRequest,
  DbRoleGraphRequest,
  DbTreeNode,
  DbTrustNotification,
  DbWhoCanAccessRequest,
  DbAccessReportRequest,
} from '../../server/src/shared/protocol';
import { DEFAULT_POSTGRES_VERSION } from '../../server/src/core/config';
import { analyzeSql } from '../../server/src/core/lint';
import { loadParser } from '../../server/src/core/sql/parser';
import { newSealKey, seal, SEAL_ENV } from '../../server/src/shared/seal';
import { LspClient, until } from '../support/lsp';
import { startCluster, TestCluster } from '../support/postgres';
import { startProxy } from '../support/tcp-proxy';

const HOSTILE = 'r"; drop table x; --';
const PRIVS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
const LOGIN_ROLES = 450;

const SEED = `
CREATE ROLE app_owner NOLOGIN;
CREATE ROLE readers NOLOGIN;
CREATE ROLE writers NOLOGIN;
CREATE ROLE alice LOGIN IN ROLE readers;
CREATE ROLE bob LOGIN NOINHERIT IN ROLE readers;
CREATE ROLE carol LOGIN;
GRANT writers TO carol WITH ADMIN OPTION;
GRANT readers TO writers;
CREATE ROLE root_like SUPERUSER NOLOGIN;
CREATE ROLE "r""; drop table x; --" NOLOGIN;
CREATE SCHEMA app AUTHORIZATION app_owner;
CREATE TABLE app.accounts (id int, owner text);
ALTER TABLE app.accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON app.accounts FOR SELECT TO readers USING (owner = current_user);
CREATE TABLE app.notes (id int);
GRANT SELECT ON app.notes TO readers;
GRANT INSERT, UPDATE ON app.notes TO writers;
GRANT SELECT, DELETE ON app.notes TO "r""; drop table x; --";
GRANT SELECT ON app.accounts TO readers;
GRANT USAGE ON SCHEMA app TO readers;
CREATE TABLE public.open_t (x int);
GRANT SELECT ON public.open_t TO PUBLIC;
GRANT SELECT (id), UPDATE (id) ON app.notes TO alice;
CREATE FUNCTION app."Odd fn"(a int, "B" text) RETURNS int LANGUAGE sql AS 'SELECT 1';
GRANT EXECUTE ON FUNCTION app."Odd fn"(int, text) TO alice;
ALTER DEFAULT PRIVILEGES FOR ROLE app_owner IN SCHEMA app GRANT SELECT ON TABLES TO alice;
GRANT CREATE ON SCHEMA app TO alice;
CREATE TABLE app.docs (id int, owner_name text, body text);
DO $$ BEGIN FOR i IN 1..${LOGIN_ROLES} LOOP EXECUTE format('CREATE ROLE %I LOGIN', 'u' || lpad(i::text, 4, '0')); END LOOP; END $$;
`;

function ok<T extends { ok: boolean }>(r: T | { ok: false; message: string }): T {
  assert.ok(r.ok, `request failed: ${JSON.stringify(r)}`);
  return r as T;
}

describe('live database requests over stdio', function () {
  this.timeout(120_000);
  let pg: TestCluster;
  let client: LspClient;
  let dir: string;
  const lostEvents: Array<{ id: string; message: string }> = [];
  const profile = () => ({ name: 'test', host: '127.0.0.1', port: pg.port, database: 'postgres', user: 'postgres', sslmode: 'disable' as const });
  const WRONG = 'not-the-password-7f3a';
  const sqlUri = () => pathToFileURL(join(dir, 'migrations', '010_grants.sql')).toString();

  const children = async (ref?: DbNodeRef, offset = 0, limit = 200) => {
    const r = (await client.conn.sendRequest(DbChildrenRequest, { id: 'test', ref, offset, limit })) as DbChildrenResult;
    return ok(r) as Extract<DbChildrenResult, { ok: true }>;
  };
  const child = async (ref: DbNodeRef | undefined, label: string | RegExp): Promise<DbTreeNode> => {
    const r = await children(ref, 0, 5000);
    const n = r.items.find((i) => (typeof label === 'string' ? i.label === label : label.test(i.label)));
    assert.ok(n, `no child ${label} in ${JSON.stringify(r.items.map((i) => i.label))}`);
    return n;
  };
  const connectRight = () => client.conn.sendRequest(DbConnectRequest, { id: 'test', profile: profile(), password: pg.password }) as Promise<DbConnectResult>;
  const pgwardenSessions = () => Number(pg.psql(`SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgwarden (VS Code)'`).trim());

  before(async () => {
    // No pgpass file may answer for the tests: the password must come from the request.
    process.env.PGPASSFILE = '/nonexistent/pgpass';
    await loadParser();
    pg = await startCluster();
    pg.psql(SEED);
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-dbws-'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'migrations'));
    writeFileSync(join(dir, 'migrations', '001_tables.sql'), 'CREATE TABLE app.notes (id int);\nCREATE TABLE public.open_t (x int);\n');
    writeFileSync(join(dir, 'migrations', '002_roles.sql'), 'CREATE ROLE readers NOLOGIN;\nGRANT SELECT ON app.notes TO readers;\n\n-- unrelated\nGRANT SELECT ON other TO somebody;\n');
    // A vendored copy that grants to readers: files.exclude keeps it out of "Find in workspace".
    mkdirSync(join(dir, 'vendor'));
    writeFileSync(join(dir, 'vendor', 'copy.sql'), 'GRANT SELECT ON app.notes TO readers;\n');
    client = await LspClient.start({ mode: 'pull', snippets: true, rootUri: pathToFileURL(dir).toString(), settings: { 'files.exclude': { '**/vendor': true } } });
    client.conn.onNotification(DbLostNotification, (p) => {
      lostEvents.push(p);
    });
    client.conn.onRequest('workspace/workspaceFolders', () => [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
  });

  after(async () => {
    await client?.stop();
    pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to connect until the client says the workspace is trusted', async () => {
    const r = await connectRight();
    assert.equal(r.status, 'error');
    assert.equal(r.status === 'error' && r.kind, 'untrusted');
    assert.match((r as { message: string }).message, /Restricted Mode/);
    assert.equal(pgwardenSessions(), 0, 'no session was opened');
    const tree = await client.conn.sendRequest(DbChildrenRequest, { id: 'test' });
    assert.deepEqual({ ok: tree.ok, kind: !tree.ok && tree.kind }, { ok: false, kind: 'notConnected' });
  });

  it('resolves a profile to its fingerprint and warns about unverified TLS off this machine only', async () => {
    const local = await client.conn.sendRequest(DbResolveRequest, { profile: profile() });
    assert.equal(local.ok, true);
    assert.match(local.fingerprint!, /^[0-9a-f]{64}$/);
    assert.equal(local.description, `postgres@127.0.0.1:${pg.port}/postgres (sslmode=disable)`);
    assert.equal(local.loopback, true);
    assert.equal(local.tlsWarning, undefined);
    const remote = await client.conn.sendRequest(DbResolveRequest, { profile: { name: 'r', host: 'db.example.com', user: 'u', database: 'd', sslmode: 'require' } });
    assert.equal(remote.loopback, false);
    assert.match(remote.tlsWarning!, /does not verify the server's certificate/);
    const renamed = await client.conn.sendRequest(DbResolveRequest, { profile: { ...profile(), name: 'another name' } });
    assert.equal(renamed.fingerprint, local.fingerprint, 'the key does not depend on the profile name');
    const otherUser = await client.conn.sendRequest(DbResolveRequest, { profile: { ...profile(), user: 'alice' } });
    assert.notEqual(otherUser.fingerprint, local.fingerprint);
    const bad = await client.conn.sendRequest(DbResolveRequest, { profile: { name: 'x', url: 'postgres://h:99999999/db' } });
    assert.equal(bad.ok, false);
    assert.ok(bad.message);
  });

  it('asks for a password when none is given, and again after a wrong one, never echoing it', async () => {
    await client.conn.sendNotification(DbTrustNotification, { trusted: true });
    const missing = await client.conn.sendRequest(DbConnectRequest, { id: 'test', profile: profile() });
    assert.equal(missing.status, 'needsPassword');
    assert.equal(missing.status === 'needsPassword' && missing.reason, 'missing');
    const wrong = await client.conn.sendRequest(DbConnectRequest, { id: 'test', profile: profile(), password: WRONG });
    assert.equal(wrong.status, 'needsPassword');
    assert.equal(wrong.status === 'needsPassword' && wrong.reason, 'wrong');
    assert.match((wrong as { message: string }).message, /password authentication failed for user "postgres"/);
    assert.ok(!JSON.stringify(wrong).includes(WRONG));
    assert.equal(pgwardenSessions(), 0);
  });

  it('reports an unreachable server as one clear error', async () => {
    const r = await client.conn.sendRequest(DbConnectRequest, { id: 'down', profile: { ...profile(), port: 1 }, password: pg.password });
    assert.equal(r.status, 'error');
    assert.equal(r.status === 'error' && r.kind, 'refused');
    assert.match((r as { message: string }).message, /cannot reach postgres@127\.0\.0\.1:1\/postgres/);
    assert.ok(!JSON.stringify(r).includes(pg.password));
  });

  it('lints without the catalog first: no superuser-use for an unknown superuser, no unknown-role', async () => {
    client.open(sqlUri(), 'sql', 'SET ROLE root_like;\nGRANT SELECT ON app.notes TO ghost_role;\nGRANT SELECT ON app.notes TO alice;\n');
    const ds = await client.pull(sqlUri());
    assert.deepEqual(ds.map((d) => d.code).filter((c) => c === 'superuser-use' || c === 'unknown-role'), []);
  });

  it('connects with the right password: a read-only pgwarden session', async () => {
    const r = await connectRight();
    assert.equal(r.status, 'connected', JSON.stringify(r));
    if (r.status !== 'connected') return;
    assert.equal(r.currentUser, 'postgres');
    assert.equal(r.isSuperuser, true);
    assert.equal(Math.floor(r.serverVersion / 10000), pg.version);
    assert.equal(r.tlsWarning, undefined);
    assert.equal(r.fingerprint, (await client.conn.sendRequest(DbResolveRequest, { profile: profile() })).fingerprint);
    assert.equal(pgwardenSessions(), 1);
  });

  it('uses the catalog in SQL rules: a database superuser in SET ROLE, a GRANT to a role that exists nowhere', async () => {
    const ds = await until(async () => {
      const d = await client.pull(sqlUri());
      return d.some((x) => x.code === 'unknown-role') ? d : undefined;
    }, 'unknown-role after connecting');
    const at = (d: Diagnostic) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`;
    assert.deepEqual(ds.filter((d) => d.code === 'superuser-use' || d.code === 'unknown-role').map(at), ['superuser-use@0:9-18', 'unknown-role@1:29-39']);
    assert.match(String(ds.find((d) => d.code === 'superuser-use')!.message), /a superuser in the connected database/);
  });

  it('says on a postgresql.conf line where the connected server runs another value (conf-server-differs)', async () => {
    const uri = 'file:///virtual/postgresql.conf';
    // fsync = off is what the test cluster runs (its postgresql.auto.conf); log_min_messages is at its default.
    client.open(uri, 'pg-conf', 'fsync = off\nlog_min_messages = panic\n');
    const ds = await until(async () => {
      const d = await client.pull(uri);
      return d.some((x) => x.code === 'conf-server-differs') ? d : undefined;
    }, 'conf-server-differs after connecting');
    const differs = ds.filter((d) => d.code === 'conf-server-differs');
    assert.deepEqual(differs.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`), ['1:19-24']);
    assert.equal(
      differs[0].message,
      // The editor's postgresVersion (pgwarden.json's, default DEFAULT_POSTGRES_VERSION) is named when the server's differs.
      `The file says log_min_messages = panic, the server postgres@127.0.0.1:${pg.port}/postgres${pg.version === DEFAULT_POSTGRES_VERSION ? '' : ` (PostgreSQL ${pg.version})`} runs warning: the server did not read this line: this is not its configuration file, or it was not reloaded since the line changed.`,
    );
    // The file's own judgement of the line is there too, with its fix.
    assert.ok(ds.some((d) => d.code === 'conf-logging' && d.range.start.line === 1));
  });

  it("offers the connected database's roles and the table's own columns in a placeholder fix", async () => {
    // app.docs exists only in the database: its columns come from there, its role names quoted.
    const uri = 'file:///virtual/docs.sql';
    client.open(uri, 'sql', 'ALTER TABLE app.docs ENABLE ROW LEVEL SECURITY;\n');
    const ds = (await client.pull(uri)).filter((d) => d.code === 'rls-no-policy');
    assert.equal(ds.length, 1);
    const [template] = await client.codeActions(uri, ds[0].range, ds);
    const value = (template.edit!.documentChanges![0] as { edits: Array<{ snippet: { value: string } }> }).edits[0].snippet.value;
    const m = /^\nCREATE POLICY docs_owner ON app\.docs FOR ALL TO \$\{1\|(.*)\|\} USING \(\$\{2\|(.*)\|\}\);$/.exec(value);
    assert.ok(m, value);
    const roles = m[1].split(',');
    assert.equal(roles[0], 'app_role');
    for (const r of ['readers', 'alice', 'carol', 'app_owner', '"r""; drop table x; --"']) assert.ok(roles.includes(r), `${r} in ${m[1]}`);
    assert.ok(!roles.some((r) => r.startsWith('pg_')), m[1]);
    assert.deepEqual(m[2].split(','), ['false', 'id = current_user', 'owner_name = current_user', 'body = current_user']);
    client.close(uri);
  });

  it('opens the Sessions node: a summary, what to look at, the counts and this session among all', async () => {
    const top = await children({ kind: 'sessions' });
    assert.match(top.items[0].label, /^\d+ client sessions?, \d+ of \d+ connections$/);
    assert.deepEqual(top.items.filter((n) => n.contextValue === 'sessionGroup').map((n) => n.label), ['To look at', 'By role', 'By database', 'By client', 'By application', 'All sessions']);
    const all = await children({ kind: 'sessionGroup', group: 'list' });
    const mine = pg.psql(`SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND usename = 'postgres'`).trim();
    assert.ok(all.items.filter((n) => / postgres@postgres$/.test(n.label)).length >= 1, all.items.map((n) => n.label).join('; '));
    assert.ok(Number(mine) >= 1);
    const byRole = await children({ kind: 'sessionGroup', group: 'role' });
    assert.ok(byRole.items.some((n) => n.label === 'postgres' && Number(n.description) >= 1));
  });

  it('shows the first level of the tree and pages long role lists', async () => {
    const top = await children();
    assert.deepEqual(top.items.map((n) => n.label), ['Roles', 'Tables', 'Findings', 'Sessions', 'Drift']);
    const groups = await children({ kind: 'roles' });
    const count = (where: string) => Number(pg.psql(`SELECT count(*) FROM pg_roles r WHERE ${where}`).trim());
    const expect = {
      Superusers: count('rolsuper'),
      'Login roles': count("NOT rolsuper AND rolcanlogin AND NOT (oid < 16384 AND rolname LIKE 'pg\\_%')"),
      'Group roles': count("NOT rolsuper AND NOT rolcanlogin AND NOT (oid < 16384 AND rolname LIKE 'pg\\_%')"),
      'Predefined roles (pg_*)': count("NOT rolsuper AND oid < 16384 AND rolname LIKE 'pg\\_%'"),
    };
    assert.deepEqual(Object.fromEntries(groups.items.map((g) => [g.label, Number(g.description)])), expect);
    assert.equal(expect['Login roles'], LOGIN_ROLES + 3);
    const superusers = groups.items.find((g) => g.label === 'Superusers')!;
    assert.equal(superusers.warning, true, 'two superusers are flagged');
    assert.equal(groups.items.find((g) => g.label === 'Predefined roles (pg_*)')!.expanded, false);

    const ordered = pg.psql(`SELECT rolname FROM pg_roles WHERE rolcanlogin AND NOT rolsuper ORDER BY rolname COLLATE "C"`).trim().split('\n');
    const seen: string[] = [];
    for (let offset = 0; ; ) {
      const page = await children({ kind: 'roleGroup', group: 'login' }, offset, 200);
      assert.equal(page.total, ordered.length);
      assert.equal(page.offset, offset);
      seen.push(...page.items.map((i) => i.label));
      offset += page.items.length;
      if (!page.items.length || offset >= page.total) break;
    }
    assert.deepEqual(seen, ordered);

    const root = (await children({ kind: 'roleGroup', group: 'superuser' })).items.find((i) => i.label === 'root_like')!;
    assert.equal(root.warning, true);
    assert.match(root.description!, /SUPERUSER/);
    assert.match(root.tooltip!, /bypasses every permission check/);
  });

  it("shows a role's memberships with their options, its privileges and PUBLIC grants", async () => {
    const memberOf = await children({ kind: 'roleSection', role: 'carol', section: 'memberOf' });
    assert.deepEqual(
      memberOf.items.map((n) => [n.label, n.description]),
      [['writers', 'ADMIN, INHERIT, SET']],
    );
    assert.deepEqual(memberOf.items[0].sql, { kind: 'membership', role: 'writers', member: 'carol', admin: true });
    const bob = await children({ kind: 'roleSection', role: 'bob', section: 'memberOf' });
    assert.deepEqual(bob.items.map((n) => [n.label, n.description]), [['readers', 'NOINHERIT, SET']]);
    const members = await children({ kind: 'roleSection', role: 'readers', section: 'members' });
    assert.deepEqual(members.items.map((n) => n.label), ['alice', 'bob', 'writers']);
    const privs = await children({ kind: 'roleSection', role: 'readers', section: 'privileges' });
    const labels = privs.items.map((n) => `${n.label}${n.description?.startsWith('PUBLIC') ? ' [PUBLIC]' : ''}`);
    assert.ok(labels.includes('SELECT on table app.notes'), labels.join('\n'));
    assert.ok(labels.includes('USAGE on schema app'), labels.join('\n'));
    assert.ok(labels.includes('SELECT on table public.open_t [PUBLIC]'), labels.join('\n'));
  });

  it('agrees with has_table_privilege for every role, table and privilege', async () => {
    const roles = ['alice', 'bob', 'carol', 'readers', 'writers', 'app_owner', HOSTILE, 'u0001'];
    const tables = pg
      .psql(`SELECT n.nspname || '|' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname IN ('app', 'public')`)
      .trim()
      .split('\n');
    for (const role of roles) {
      const r = ok(await client.conn.sendRequest(DbEffectivePrivilegesRequest, { id: 'test', role })) as { ok: true; privileges: Array<{ schema: string; table: string; privilege: string; via: string[] }> };
      const ours = new Set(r.privileges.filter((p) => tables.includes(`${p.schema}|${p.table}`)).map((p) => `${p.schema}.${p.table}:${p.privilege}`));
      const lit = role.replace(/'/g, "''");
      const theirs = new Set(
        pg
          .psql(
            tables
              .flatMap((t) => {
                const [s, n] = t.split('|');
                return PRIVS.map((p) => `SELECT '${s}.${n}:${p}' WHERE has_table_privilege('${lit}', '${s}.${n}', '${p}');`);
              })
              .join('\n'),
          )
          .trim()
          .split('\n')
          .filter(Boolean),
      );
      assert.deepEqual([...ours].sort(), [...theirs].sort(), `effective privileges of ${role}`);
    }
    const carol = ok(await client.conn.sendRequest(DbEffectivePrivilegesRequest, { id: 'test', role: 'carol' })) as { privileges: Array<{ schema: string; table: string; privilege: string; via: string[] }> };
    assert.deepEqual(carol.privileges.find((p) => p.table === 'notes' && p.privilege === 'SELECT')!.via, ['writers', 'readers']);
    const tree = await children({ kind: 'roleSection', role: 'carol', section: 'effective' });
    const sel = tree.items.find((n) => n.label === 'SELECT on app.notes')!;
    assert.equal(sel.description, 'via writers → readers · RLS off: every row');
    const acc = (await children({ kind: 'roleSection', role: 'carol', section: 'effective' })).items.find((n) => n.label === 'SELECT on app.accounts')!;
    assert.equal(acc.description, 'via writers → readers · filtered: own_rows');
  });

  it('answers who can access a table, superusers included, with the membership path', async () => {
    const r = ok(await client.conn.sendRequest(DbWhoCanAccessRequest, { id: 'test', schema: 'app', table: 'notes' })) as { holders: Array<{ role: string; privilege: string; via: string[]; superuser: boolean }> };
    const select = r.holders.filter((h) => h.privilege === 'SELECT');
    const by = (role: string) => select.find((h) => h.role === role);
    assert.deepEqual(by('alice'), { role: 'alice', privilege: 'SELECT', via: ['readers'], superuser: false });
    assert.deepEqual(by('carol'), { role: 'carol', privilege: 'SELECT', via: ['writers', 'readers'], superuser: false });
    assert.deepEqual(by(HOSTILE), { role: HOSTILE, privilege: 'SELECT', via: [], superuser: false });
    assert.equal(by('root_like')?.superuser, true);
    assert.equal(by('bob'), undefined, 'NOINHERIT bob does not use readers');
    assert.equal(by('u0001'), undefined);
  });

  it('draws the role graph with superusers marked and an escalation path in red, names escaped', async () => {
    const graph = async () => ok(await client.conn.sendRequest(DbRoleGraphRequest, { id: 'test' })) as { svg: string; drawn: number; omitted: number; paths: string[] };
    const before = await graph();
    assert.deepEqual(before.paths, []);
    assert.match(before.svg, /<g class="role superuser" data-role="root_like"><title>root_like: SUPERUSER, NOLOGIN<\/title>/);
    assert.match(before.svg, /<line class="edge" [^>]*><title>carol is a member of writers \(ADMIN, INHERIT, SET\)<\/title>/);
    assert.doesNotMatch(before.svg, /<script|\sstyle=|\son\w+=/i);
    pg.psql(`CREATE ROLE ops NOLOGIN; GRANT root_like TO ops; CREATE ROLE mallory LOGIN IN ROLE ops; GRANT ops TO "r""; drop table x; --";`);
    try {
      ok(await client.conn.sendRequest(DbRefreshRequest, { id: 'test' }));
      const after = await graph();
      assert.deepEqual(after.paths, ['mallory -> ops (SET ROLE) -> root_like (SET ROLE)']);
      const hot = [...after.svg.matchAll(/<line class="edge escalation"[^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1]);
      assert.deepEqual(hot.sort(), ['mallory is a member of ops (INHERIT, SET)', 'ops is a member of root_like (INHERIT, SET)']);
      // A hostile name is text in the picture, never markup.
      assert.match(after.svg, /<g class="role" data-role="r&quot;; drop table x; --"><title>r&quot;; drop table x; --: NOLOGIN<\/title>/);
    } finally {
      pg.psql(`DROP ROLE mallory; DROP ROLE ops;`);
      ok(await client.conn.sendRequest(DbRefreshRequest, { id: 'test' }));
    }
  });

  it('shows tables by schema with RLS, policies and grantees', async () => {
    const app = await child({ kind: 'tables' }, 'app');
    assert.deepEqual(app.ref, { kind: 'schema', schema: 'app' });
    const accounts = await child({ kind: 'schema', schema: 'app' }, 'accounts');
    assert.match(accounts.description!, /^RLS on · 1 policy · /);
    const rls = await child(accounts.ref, /^Row-level security/);
    assert.equal(rls.label, 'Row-level security: on');
    const policy = await child({ kind: 'tableSection', schema: 'app', table: 'accounts', section: 'policies' }, 'own_rows');
    assert.equal(policy.description, 'SELECT · permissive · to readers');
    assert.match(policy.tooltip!, /USING \(\(owner = CURRENT_USER\)\)|USING \(\(owner = \(CURRENT_USER\)::text\)\)/);
    const openT = await child({ kind: 'schema', schema: 'public' }, 'open_t');
    const grantees = await children({ kind: 'tableSection', schema: 'public', table: 'open_t', section: 'grantees' });
    const pub = grantees.items.find((n) => n.label === 'PUBLIC: SELECT')!;
    assert.equal(pub.warning, true);
    assert.deepEqual(grantees.items.map((n) => n.label), ['PUBLIC: SELECT', 'postgres (owner)']);
    assert.equal((await child(openT.ref, /^Row-level security/)).warning, true, 'RLS off with grants to others');
  });

  it("shows who can access a table and which rows, and exports the same as Markdown and CSV", async () => {
    const access = await children({ kind: 'tableSection', schema: 'app', table: 'accounts', section: 'access' });
    const by = (label: string) => access.items.find((n) => n.label === label);
    assert.equal(by('alice')?.description, 'SELECT · via readers · filtered: own_rows');
    assert.equal(by('carol')?.description, 'SELECT · via writers → readers · filtered: own_rows');
    // NOINHERIT: the policy for readers is not bob's until he sets the role.
    assert.equal(by('bob')?.description, 'SELECT · only after SET ROLE readers (not inherited), then granted to it · filtered: own_rows');
    assert.match(by('root_like')?.description ?? '', /^SELECT, INSERT, .* · superuser · bypassed \(superuser\): every row$/);
    assert.equal(by('u0001'), undefined, 'a role without a privilege is not listed');
    const leaves = await children({ kind: 'accessRole', schema: 'app', table: 'accounts', role: 'alice' });
    assert.deepEqual(leaves.items.map((n) => [n.label, n.description, n.icon]), [['SELECT', 'via readers · filtered: own_rows', 'filter']]);

    const md = ok(await client.conn.sendRequest(DbAccessReportRequest, { id: 'test', schema: 'app', table: 'accounts', format: 'markdown' })) as { text: string };
    assert.equal(md.text.split('\n')[0], '# Who can access app.accounts (RLS on, 1 policy, owner postgres)');
    assert.ok(md.text.split('\n').includes('| alice | SELECT | via readers | filtered: own_rows |'), md.text);
    const csv = ok(await client.conn.sendRequest(DbAccessReportRequest, { id: 'test', schema: 'app', table: 'notes', format: 'csv' })) as { text: string };
    assert.ok(csv.text.split('\r\n').includes('"r""; drop table x; --",SELECT,granted to it,RLS off: every row'), csv.text);
    const who = ok(await client.conn.sendRequest(DbWhoCanAccessRequest, { id: 'test', schema: 'app', table: 'accounts' })) as { rows: Array<{ role: string; privilege: string; path: string; rowSecurity: string }> };
    assert.deepEqual(who.rows.find((r) => r.role === 'alice'), { role: 'alice', privilege: 'SELECT', path: 'via readers', rowSecurity: 'filtered: own_rows' });
  });

  it('writes REVOKE and GRANT text with hostile names quoted exactly, and the text does what it says', async () => {
    // Grantees are grouped by role; each privilege is a child of its grantee.
    const grantees = await children({ kind: 'grantee', schema: 'app', table: 'notes', grantee: HOSTILE });
    const node = grantees.items.find((n) => n.sql?.kind === 'privilege' && n.sql.grantee === HOSTILE && n.sql.privilege === 'DELETE')!;
    assert.ok(node, JSON.stringify(grantees.items.map((n) => n.label)));
    const revoke = await client.conn.sendRequest(DbGenerateSqlRequest, { action: 'revoke', target: node.sql! });
    assert.equal(revoke.ok, true);
    const text = (revoke as { sql: string }).sql;
    assert.equal(text.split('\n').filter((l) => l && !l.startsWith('--')).join('\n'), 'REVOKE DELETE ON TABLE "app"."notes" FROM "r""; drop table x; --";');
    const grant = await client.conn.sendRequest(DbGenerateSqlRequest, { action: 'grant', target: { ...node.sql!, grantable: true } as never });
    assert.match((grant as { sql: string }).sql, /^GRANT DELETE ON TABLE "app"\."notes" TO "r""; drop table x; --" WITH GRANT OPTION;$/m);

    // A name with a line break cannot turn a comment into a statement.
    const effective = await client.conn.sendRequest(DbGenerateSqlRequest, {
      action: 'revoke',
      target: { kind: 'effective', role: 'alice', schema: 'app', table: 'notes', privilege: 'SELECT', via: ['x\nDROP TABLE app.notes; --', 'readers'] },
    });
    const parsed = analyzeSql('file:///generated.sql', (effective as { sql: string }).sql);
    assert.deepEqual(parsed.doc.syntaxErrors, []);
    assert.deepEqual(
      parsed.doc.statements.map((st) => [st.type, st.node.is_grant ?? false, st.node.granted_roles?.[0]?.AccessPriv?.priv_name]),
      [['GrantRoleStmt', false, 'x\nDROP TABLE app.notes; --']],
      'one REVOKE of the membership, nothing else, even with a line break in a name',
    );

    const refused = await client.conn.sendRequest(DbGenerateSqlRequest, { action: 'revoke', target: { kind: 'privilege', objectType: 'table', object: 'app.notes; DROP TABLE x', privilege: 'SELECT', grantee: 'alice' } });
    assert.equal(refused.ok, false);
    const badPriv = await client.conn.sendRequest(DbGenerateSqlRequest, { action: 'revoke', target: { kind: 'privilege', objectType: 'table', object: 'app.notes', privilege: 'SELECT; DROP', grantee: 'alice' } });
    assert.equal(badPriv.ok, false);

    // The text is exact: run through psql (by the test, never by pgwarden) it revokes that one privilege.
    assert.equal(pg.psql(`SELECT has_table_privilege('${HOSTILE.replace(/'/g, "''")}', 'app.notes', 'DELETE')`).trim(), 't');
    pg.psql(text);
    assert.equal(pg.psql(`SELECT has_table_privilege('${HOSTILE.replace(/'/g, "''")}', 'app.notes', 'DELETE')`).trim(), 'f');
    assert.equal(pg.psql(`SELECT has_table_privilege('${HOSTILE.replace(/'/g, "''")}', 'app.notes', 'SELECT')`).trim(), 't');
    assert.equal(pg.psql(`SELECT count(*) FROM app.notes`).trim(), '0', 'the table is still there');

    const membership = await client.conn.sendRequest(DbGenerateSqlRequest, { action: 'revoke', target: { kind: 'membership', role: 'writers', member: 'carol', admin: true } });
    assert.match((membership as { sql: string }).sql, /^REVOKE "writers" FROM "carol";$/m);
  });

  it("writes a REVOKE for each of a role's own privileges (columns, functions, schemas, default privileges) that removes exactly it", async () => {
    const direct = async () => (await children({ kind: 'roleSection', role: 'alice', section: 'privileges' }, 0, 5000)).items.filter((n) => n.sql?.kind === 'privilege' && n.sql.grantee === 'alice');
    const before = await direct();
    assert.deepEqual(
      before.map((n) => n.label).sort(),
      [
        'CREATE on schema app',
        'EXECUTE on function app."Odd fn"(a integer, "B" text)',
        'SELECT on column app.notes.id',
        'SELECT on default on tables in schema app created by app_owner',
        'UPDATE on column app.notes.id',
      ],
    );
    const texts: string[] = [];
    for (const n of before) {
      const r = await client.conn.sendRequest(DbGenerateSqlRequest, { action: 'revoke', target: n.sql! });
      assert.ok(r.ok, `${n.label}: ${JSON.stringify(r)}`);
      texts.push((r as { sql: string }).sql);
    }
    const statements = texts.map((t) => t.split('\n').filter((l) => l && !l.startsWith('--')).join(' ')).sort();
    assert.deepEqual(statements, [
      'ALTER DEFAULT PRIVILEGES FOR ROLE "app_owner" IN SCHEMA "app" REVOKE SELECT ON TABLES FROM "alice";',
      'REVOKE CREATE ON SCHEMA "app" FROM "alice";',
      'REVOKE EXECUTE ON FUNCTION "app"."Odd fn"(a integer, "B" text) FROM "alice";',
      'REVOKE SELECT ("id") ON TABLE "app"."notes" FROM "alice";',
      'REVOKE UPDATE ("id") ON TABLE "app"."notes" FROM "alice";',
    ]);
    pg.psql(texts.join('\n'));
    await client.conn.sendRequest(DbRefreshRequest, { id: 'test' });
    assert.deepEqual((await direct()).map((n) => n.label), [], 'every direct privilege of alice is gone');
    assert.equal(pg.psql(`SELECT count(*) FROM pg_default_acl`).trim(), '0');
  });

  it('finds GRANT and CREATE statements for a role or table in the workspace files', async () => {
    const role = await client.conn.sendRequest(DbFindInWorkspaceRequest, { role: 'readers' });
    const uri02 = pathToFileURL(join(dir, 'migrations', '002_roles.sql')).toString();
    assert.deepEqual(
      role.map((l) => [l.uri === uri02 ? '002' : l.uri === sqlUri() ? '010' : l.uri, l.range.start.line, l.kind, l.preview]),
      [
        ['002', 0, 'CREATE ROLE', 'CREATE ROLE readers NOLOGIN;'],
        ['002', 1, 'GRANT', 'GRANT SELECT ON app.notes TO readers;'],
      ],
    );
    const table = await client.conn.sendRequest(DbFindInWorkspaceRequest, { table: { schema: 'app', name: 'notes' } });
    assert.deepEqual(
      table.map((l) => [l.uri.split('/').pop(), l.range.start.line, l.kind]),
      [
        ['001_tables.sql', 0, 'CREATE TABLE'],
        ['002_roles.sql', 1, 'GRANT'],
        ['010_grants.sql', 1, 'GRANT'],
        ['010_grants.sql', 2, 'GRANT'],
      ],
    );
  });

  it('puts db findings on the workspace file that creates the object', async () => {
    const uri01 = pathToFileURL(join(dir, 'migrations', '001_tables.sql')).toString();
    const ds = await until(() => {
      const list = client.pushed.get(uri01) ?? [];
      const last = list[list.length - 1];
      return last?.diagnostics.some((d) => d.code === 'db-public-table-privilege') ? last.diagnostics : undefined;
    }, 'db findings pushed for 001_tables.sql', 20_000);
    const pub = ds.find((d) => d.code === 'db-public-table-privilege')!;
    assert.deepEqual(pub.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 34 } });
    assert.match(String(pub.message), /PUBLIC holds SELECT on table public\.open_t/);
    assert.match(String(pub.message), /live database postgres@127\.0\.0\.1/);
    const findings = await children({ kind: 'findings' });
    assert.ok(findings.items.some((n) => n.description?.startsWith('db-public-table-privilege')), JSON.stringify(findings.items.map((n) => n.description)));
  });

  it('lists each finding once per database, however many profiles reach it, placed on the statement creating its object', async () => {
    const uri01 = pathToFileURL(join(dir, 'migrations', '001_tables.sql')).toString();
    const publicOf = (items: DbFindingItem[]) => items.filter((f) => f.ruleId === 'db-public-table-privilege' && f.object === 'public.open_t');
    const before = await client.conn.sendRequest(DbFindingsRequest);
    assert.equal(publicOf(before.items).length, 1);
    const pushes = (client.pushed.get(uri01) ?? []).length;
    // A second profile naming the same database as "localhost".
    const twin = await client.conn.sendRequest(DbConnectRequest, { id: 'twin', profile: { ...profile(), name: 'twin', host: 'localhost' }, password: pg.password });
    assert.equal(twin.status, 'connected', JSON.stringify(twin));
    const after = await client.conn.sendRequest(DbFindingsRequest);
    const [pub] = publicOf(after.items);
    assert.equal(publicOf(after.items).length, 1);
    assert.deepEqual(pub.connections, ['test', 'twin']);
    assert.equal(pub.label, 'PUBLIC holds SELECT on table public.open_t');
    assert.deepEqual(pub.table, { schema: 'public', name: 'open_t' });
    assert.equal(pub.location?.uri, uri01);
    assert.equal(pub.location?.range.start.line, 1);
    assert.equal(after.items.length, before.items.length);
    // The twin's audit publishes again: the file still carries the finding once.
    const ds = await until(() => {
      const list = client.pushed.get(uri01) ?? [];
      return list.length > pushes ? list[list.length - 1].diagnostics : undefined;
    }, 'a push after the second profile connected', 20_000);
    assert.equal(ds.filter((d) => d.code === 'db-public-table-privilege').length, 1);
    await client.conn.sendRequest(DbDisconnectRequest, { id: 'twin' });
  });

  it('shows a live finding once when a static rule reports it on the same statement', async () => {
    const uri = pathToFileURL(join(dir, 'migrations', '001_tables.sql')).toString();
    client.open(uri, 'sql', 'CREATE TABLE app.notes (id int);\nCREATE TABLE public.open_t (x int);\nGRANT SELECT ON public.open_t TO PUBLIC;\nALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;\n');
    const ds = await until(async () => {
      const d = await client.pull(uri);
      return d.some((x) => x.code === 'missing-rls') && d.some((x) => String(x.code).startsWith('db-')) ? d : undefined;
    }, 'grant-to-public and the live findings in the open file');
    // db-rls-off-granted on public.open_t repeats missing-rls on its CREATE TABLE: shown once,
    // as the static finding with its exact range and fix. app.notes has RLS in the files but
    // not in the database, so its live finding stays (the files do not report it).
    assert.deepEqual(
      ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`),
      ['missing-rls@1:13', 'grant-to-public@2:33', 'rls-no-policy@3:22', 'db-rls-off-granted@0:0', 'db-public-table-privilege@1:0'],
    );
    client.close(uri);
  });

  // How fast the first level shows is measured by `npm run bench` (test/bench/live.ts), not asserted here.
  it('shows the first level of a server with 10,000 more roles, paged', async () => {
    pg.psql(`DO $$ BEGIN FOR i IN 1..10000 LOOP EXECUTE format('CREATE ROLE %I NOLOGIN', 'scale_' || i); END LOOP; END $$;`);
    await client.conn.sendRequest(DbRefreshRequest, { id: 'test' });
    await children();
    const groups = await children({ kind: 'roles' });
    const first = await Promise.all(['superuser', 'login', 'group'].map((g) => children({ kind: 'roleGroup', group: g as 'login' }, 0, 200)));
    assert.equal(Number(groups.items.find((g) => g.label === 'Group roles')!.description), 10_000 + 4);
    assert.equal(first[2].items.length, 200);
    assert.equal(first[2].total, 10_000 + 4);
  });

  it('shows a killed session as disconnected and answers the tree with notConnected', async () => {
    assert.equal(pgwardenSessions(), 1);
    pg.psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgwarden (VS Code)'`);
    const n = await until(() => lostEvents[0], 'the lost notification', 20_000);
    assert.equal(n.id, 'test');
    assert.match(n.message, /lost: terminating connection due to administrator command/);
    const r = await client.conn.sendRequest(DbChildrenRequest, { id: 'test', ref: { kind: 'roles' } });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.kind, 'notConnected');
    const ds = await until(async () => {
      const d = await client.pull(sqlUri());
      return d.some((x) => x.code === 'unknown-role') ? undefined : d;
    }, 'unknown-role gone after the session ended');
    assert.deepEqual(ds.filter((d) => d.code === 'superuser-use'), []);
  });

  it('reconnects, then disconnects on request and takes the catalog out of the rules', async () => {
    assert.equal((await connectRight()).status, 'connected');
    await until(async () => ((await client.pull(sqlUri())).some((x) => x.code === 'unknown-role') ? true : undefined), 'catalog back');
    await client.conn.sendRequest(DbDisconnectRequest, { id: 'test' });
    await until(async () => ((await client.pull(sqlUri())).some((x) => x.code === 'unknown-role') ? undefined : true), 'catalog gone');
    await until(() => (pgwardenSessions() === 0 ? true : undefined), 'the session closed on the server');
  });

  it('answers a stalled network with a timeout within the statement timeout, then treats the session as gone', async () => {
    const proxy = await startProxy(pg.port);
    try {
      const r = await client.conn.sendRequest(DbConnectRequest, { id: 'slow', profile: { ...profile(), port: proxy.port }, password: pg.password, statementTimeoutMs: 1000 });
      assert.equal(r.status, 'connected', JSON.stringify(r));
      void proxy.armAfterNextQuery({ kind: 'stall' });
      const res = await client.conn.sendRequest(DbChildrenRequest, { id: 'slow', ref: { kind: 'roles' } });
      assert.equal(res.ok, false);
      assert.equal(!res.ok && res.kind, 'timeout');
      assert.match(!res.ok ? res.message : '', /no answer from postgres@127\.0\.0\.1:\d+\/postgres \(sslmode=disable\) within 3000 ms/);
      const lost = await until(() => lostEvents.find((e) => e.id === 'slow'), 'the lost notification for the stalled session');
      assert.match(lost.message, /no answer/);
      const after = await client.conn.sendRequest(DbChildrenRequest, { id: 'slow' });
      assert.equal(!after.ok && after.kind, 'notConnected');
    } finally {
      await proxy.close();
    }
  });

  it('accepts a password sealed under the key from its environment, and refuses one sealed under another', async () => {
    const key = newSealKey();
    process.env[SEAL_ENV] = key;
    const second = await LspClient.start({ mode: 'push' });
    delete process.env[SEAL_ENV];
    try {
      await second.conn.sendNotification(DbTrustNotification, { trusted: true });
      const good = await second.conn.sendRequest(DbConnectRequest, { id: 'sealed', profile: profile(), sealedPassword: seal(key, pg.password) });
      assert.equal(good.status, 'connected', JSON.stringify(good));
      const bad = await second.conn.sendRequest(DbConnectRequest, { id: 'sealed', profile: profile(), sealedPassword: seal(newSealKey(), pg.password) });
      assert.deepEqual([bad.status, bad.status === 'error' && bad.kind], ['error', 'config']);
      const wrong = await second.conn.sendRequest(DbConnectRequest, { id: 'sealed', profile: profile(), sealedPassword: seal(key, WRONG) });
      assert.equal(wrong.status === 'needsPassword' && wrong.reason, 'wrong');
    } finally {
      await second.stop();
    }
  });

  it('never writes a password to its output or notifications', () => {
    const everything = client.stderr + JSON.stringify(client.notifications) + JSON.stringify([...client.pushed.values()]);
    assert.ok(!everything.includes(pg.password), 'the right password leaked');
    assert.ok(!everything.includes(WRONG), 'the wrong password leaked');
  });
});
