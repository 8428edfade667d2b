// Database faults between node-postgres and a real PostgreSQL, made by a TCP proxy in the
// middle (test/support/tcp-proxy.ts): a connection cut mid-query or while idle, a stalled
// network, a delayed one, a corrupted stream (plain and TLS), a server shut down under a
// live session and a server behind a tunnel that is down, a wrong password, TLS refused
// and a certificate for another name, and a catalog the role may not read. Each fault
// must give one DbError of the right kind with a clear message, within the statement
// timeout plus the client's margin, without an unhandled rejection or an uncaught
// exception, and a reconnect must work afterwards. The last part drives the same faults
// through the language server over stdio: the tree answers with a failure, the session
// is dropped, and the server keeps answering everything else.

import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import {
  audit,
  connect,
  DbError,
  listRoles,
  loadRoles,
  roleDetails,
  Session,
  tableDetails,
} from '../../server/src/db';
import {
  DbAuditRequest,
  DbChildrenRequest,
  DbChildrenResult,
  DbConnectRequest,
  DbConnectResult,
  DbDisconnectRequest,
  DbLostNotification,
  DbResolveRequest,
  DbTrustNotification,
} from '../../server/src/shared/protocol';
import { LspClient, until } from '../support/lsp';
import { startCluster, TestCluster } from '../support/postgres';
import { FaultProxy, flipAll, startProxy } from '../support/tcp-proxy';
import { cleanEnv, closedPort, target, waitFor } from './helpers';

/** How much longer than statement_timeout the session waits (server/src/db/session.ts CLIENT_MARGIN_MS). */
const CLIENT_MARGIN_MS = 2000;
/** Scheduling slack on a 2-core machine running other tests. */
const SLACK_MS = 1500;
const ALICE_PASSWORD = 'Alice-Faults-5d1e';
const LIMITED_PASSWORD = 'Limited-Faults-0c4b';

async function failure(p: Promise<unknown>): Promise<DbError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DbError, `expected a DbError, got ${err instanceof Error ? err.stack : String(err)}`);
    return err;
  }
  assert.fail('expected the promise to fail');
}

/** Milliseconds a promise took to settle, and its failure. */
async function timedFailure(p: Promise<unknown>): Promise<{ e: DbError; ms: number }> {
  const t0 = Date.now();
  const e = await failure(p);
  return { e, ms: Date.now() - t0 };
}

describe('db faults through a TCP proxy, against a real PostgreSQL', function () {
  this.timeout(120_000);
  let pg: TestCluster;
  let proxy: FaultProxy;
  const extraProxies: FaultProxy[] = [];
  const sessions: Session[] = [];
  const unhandled: string[] = [];
  const onUnhandled = (kind: string) => (err: unknown) => unhandled.push(`${kind}: ${err instanceof Error ? err.stack : String(err)}`);
  const onRejection = onUnhandled('unhandledRejection');
  const onException = onUnhandled('uncaughtException');

  const open = async (opts: { user?: string; password?: string; statementTimeoutMs?: number; applicationName?: string; port?: number } = {}) => {
    const s = await connect(
      target(opts.port ?? proxy.port, { user: opts.user ?? 'postgres' }),
      async () => opts.password ?? pg.password,
      { statementTimeoutMs: opts.statementTimeoutMs ?? 10_000, applicationName: opts.applicationName, env: cleanEnv() },
    );
    sessions.push(s);
    return s;
  };
  /** Rows of pg_stat_activity for an application name, read on the real server (not through the proxy). */
  const activity = (app: string) =>
    pg
      .psql(`SELECT state FROM pg_stat_activity WHERE application_name = '${app}' AND pid <> pg_backend_pid() ORDER BY pid`)
      .split('\n')
      .filter(Boolean);

  before(async () => {
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
    pg = await startCluster({ ssl: true });
    pg.psql(`
      CREATE ROLE alice LOGIN PASSWORD '${ALICE_PASSWORD}';
      CREATE ROLE limited LOGIN PASSWORD '${LIMITED_PASSWORD}';
      CREATE SCHEMA app;
      CREATE TABLE app.t (id int);
      GRANT USAGE ON SCHEMA app TO limited;
      GRANT SELECT ON app.t TO alice, limited;
    `);
  });

  beforeEach(async () => {
    proxy = await startProxy(pg.port);
  });

  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.close();
    await proxy.close();
    for (const p of extraProxies.splice(0)) await p.close();
    // A rejection nobody handled surfaces on a later turn of the event loop.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(unhandled.splice(0), [], 'no unhandled rejection or uncaught exception');
  });

  after(() => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
    pg?.stop();
  });

  it('passes a session through unchanged (the proxy itself is transparent)', async () => {
    const s = await open();
    const roles = await listRoles(s, { search: 'alice' });
    assert.deepEqual(roles.items.map((r) => r.name), ['alice']);
    assert.equal((await tableDetails(s, 'app', 't'))?.name, 't');
    assert.ok(proxy.queries >= 4, `queries seen: ${proxy.queries}`);
    assert.equal(proxy.open, 1);
  });

  it('connection cut mid-query: kind lost at once (not at the deadline), onLost once, and a reconnect works', async () => {
    const s = await open({ statementTimeoutMs: 5000 });
    const lost: DbError[] = [];
    s.onLost((e) => lost.push(e));
    const struck = proxy.armAfterNextQuery({ kind: 'cut' });
    const { e, ms } = await timedFailure(tableDetails(s, 'app', 't'));
    await struck;
    assert.equal(e.kind, 'lost');
    assert.match(e.message, /^connection to postgres@127\.0\.0\.1:\d+\/postgres \(sslmode=disable\) lost: Connection terminated unexpectedly$/);
    assert.ok(ms < 2000, `the failure took ${ms} ms; it must not wait for the 7 s deadline`);
    await waitFor(() => lost.length === 1, 5000, 'the lost event');
    assert.equal(lost[0].kind, 'lost');
    assert.equal(s.closed, true);
    const again = await timedFailure(listRoles(s));
    assert.equal(again.e.kind, 'lost');
    assert.match(again.e.message, /is closed$/);
    assert.ok(again.ms < 100);
    // Reconnect through the same proxy.
    const s2 = await open();
    assert.equal((await tableDetails(s2, 'app', 't'))?.name, 't');
    assert.equal(lost.length, 1, 'onLost fired exactly once');
  });

  it('connection cut while idle: onLost fires by itself and the next catalog call fails with kind lost', async () => {
    const s = await open();
    const lost: DbError[] = [];
    s.onLost((e) => lost.push(e));
    proxy.cutAll();
    await waitFor(() => lost.length === 1, 5000, 'the lost event');
    assert.match(lost[0].message, /lost/);
    assert.equal((await failure(roleDetails(s, 'alice'))).kind, 'lost');
  });

  it('stalled network: the client deadline fires at statement timeout + margin, the client is destroyed, nothing hangs', async () => {
    const s = await open({ statementTimeoutMs: 500 });
    proxy.stall();
    const { e, ms } = await timedFailure(listRoles(s));
    assert.equal(e.kind, 'timeout');
    assert.equal(e.code, 'client-timeout');
    assert.match(e.message, /no answer from postgres@127\.0\.0\.1:\d+\/postgres \(sslmode=disable\) within 2500 ms; the connection was closed/);
    assert.ok(ms >= 500 + CLIENT_MARGIN_MS - 50, `gave up after ${ms} ms, before the deadline`);
    assert.ok(ms < 500 + CLIENT_MARGIN_MS + SLACK_MS, `gave up after ${ms} ms`);
    assert.equal(s.closed, true);
    // The client destroyed its socket: the proxy sees its side closed.
    await waitFor(() => proxy.open === 0, 5000, 'the client socket to close');
    assert.equal((await timedFailure(listRoles(s))).e.kind, 'lost');
  });

  it('closing a session on a stalled network returns promptly instead of waiting for a goodbye that never comes', async () => {
    const s = await open({ statementTimeoutMs: 500 });
    proxy.stall();
    const t0 = Date.now();
    await s.close();
    const ms = Date.now() - t0;
    assert.ok(ms < 500 + CLIENT_MARGIN_MS + SLACK_MS, `close took ${ms} ms`);
    assert.equal(s.closed, true);
    await waitFor(() => proxy.open === 0, 5000, 'the client socket to close');
  });

  it("a query the network swallows mid-statement: the server's statement_timeout ends it though the server never learns the client left", async () => {
    const s = await open({ statementTimeoutMs: 800 });
    assert.deepEqual(activity('pgwarden'), ['idle']);
    // The query reaches the server; the first thing the server sends back (the 57014 error
    // at 800 ms) is held, and from then on the network is partitioned.
    const struck = proxy.armAfterNextQuery({ kind: 'stall' });
    const t0 = Date.now();
    const pending = timedFailure(s.query('SELECT pg_catalog.pg_sleep(30)'));
    await waitFor(() => activity('pgwarden')[0] === 'active', 5000, 'the query to run on the server');
    await struck;
    // statement_timeout fired on the server, well before the client's deadline.
    assert.ok(Date.now() - t0 < 800 + CLIENT_MARGIN_MS, 'the server answered before the client gave up');
    await waitFor(() => activity('pgwarden')[0] === 'idle', 2000, 'the query to stop running on the server');
    const { e, ms } = await pending;
    assert.equal(e.kind, 'timeout');
    assert.equal(e.code, 'client-timeout');
    assert.ok(ms < 800 + CLIENT_MARGIN_MS + SLACK_MS, `gave up after ${ms} ms`);
    // The backend is still connected (the partition hides the client's close) but runs nothing.
    assert.equal(proxy.upstreamOpen, 1);
    assert.deepEqual(activity('pgwarden'), ['idle']);
    // When the network heals the server learns the client is gone and the backend exits.
    proxy.pass();
    await waitFor(() => activity('pgwarden').length === 0, 10_000, 'the backend to exit');
  });

  it("server-side statement_timeout through a slow network: kind timeout (57014), and no pgwarden query keeps running on the server", async () => {
    const s = await open({ statementTimeoutMs: 500 });
    proxy.delay(300);
    const { e, ms } = await timedFailure(s.query('SELECT pg_catalog.pg_sleep(30)'));
    assert.equal(e.kind, 'timeout');
    assert.equal(e.code, '57014');
    assert.match(e.message, /^statement timed out \(statement_timeout\) on postgres@127\.0\.0\.1:\d+\/postgres \(sslmode=disable\): canceling statement due to statement timeout$/);
    assert.ok(ms >= 500 + 2 * 300 - 50 && ms < 500 + CLIENT_MARGIN_MS, `answered after ${ms} ms`);
    assert.deepEqual(activity('pgwarden'), ['idle'], 'connected, running nothing');
    // The session survives a server-side timeout.
    proxy.pass();
    assert.deepEqual(await s.query('SELECT 1 AS one'), [{ one: 1 }]);
  });

  it('delayed network: answers arrive late but right; a delay past the deadline gives kind timeout', async () => {
    const s = await open({ statementTimeoutMs: 3000 });
    proxy.delay(150);
    const t0 = Date.now();
    const roles = await listRoles(s, { search: 'ali' });
    const took = Date.now() - t0;
    assert.deepEqual(roles.items.map((r) => r.name), ['alice']);
    // Two queries, each a round trip through two delayed hops.
    assert.ok(took >= 4 * 150 - 20, `listRoles took only ${took} ms through a 150 ms delay`);
    proxy.pass();
    const fast = await open({ statementTimeoutMs: 200 });
    proxy.delay(200 + CLIENT_MARGIN_MS + 1000);
    const { e, ms } = await timedFailure(listRoles(fast));
    assert.equal(e.kind, 'timeout');
    assert.equal(e.code, 'client-timeout');
    assert.ok(ms < 200 + CLIENT_MARGIN_MS + SLACK_MS, `gave up after ${ms} ms`);
  });

  it('corrupted stream (every bit flipped): a clear timeout, no crash, the session closed, a reconnect works', async () => {
    const s = await open({ statementTimeoutMs: 300 });
    const struck = proxy.armAfterNextQuery({ kind: 'corrupt', transform: flipAll });
    // The flipped length announces a 2 GB message: the driver waits for it until the deadline.
    const { e, ms } = await timedFailure(listRoles(s));
    await struck;
    assert.equal(e.kind, 'timeout');
    assert.ok(ms < 300 + CLIENT_MARGIN_MS + SLACK_MS, `gave up after ${ms} ms`);
    assert.equal(s.closed, true);
    const s2 = await open();
    assert.equal((await listRoles(s2, { search: 'alice' })).total, 1);
  });

  for (const [what, at] of [
    ['the first message type', (c: Buffer) => 0],
    ['the ReadyForQuery message type', (c: Buffer) => c.length - 6],
  ] as const) {
    it(`a corrupted protocol message (${what}): kind lost at once, the session closed instead of hanging the next request`, async () => {
      const s = await open({ statementTimeoutMs: 2000 });
      const struck = proxy.armAfterNextQuery({
        kind: 'corrupt',
        transform: (chunk) => {
          const c = Buffer.from(chunk);
          c[at(c)] = 0x01;
          return c;
        },
      });
      const first = await timedFailure(s.query('SELECT 1 AS one'));
      await struck;
      assert.equal(first.e.kind, 'lost');
      assert.equal(first.e.code, 'protocol');
      assert.match(first.e.message, /^connection to postgres@127\.0\.0\.1:\d+\/postgres \(sslmode=disable\) .*received invalid response: 1/);
      assert.ok(first.ms < 1000, `took ${first.ms} ms`);
      assert.equal(s.closed, true);
      // The next request fails at once; before the fix it waited for the client deadline.
      const next = await timedFailure(s.query('SELECT 2 AS two'));
      assert.equal(next.e.kind, 'lost');
      assert.ok(next.ms < 500, `the next request took ${next.ms} ms`);
      await waitFor(() => proxy.open === 0, 5000, 'the connection to close');
      const s2 = await open();
      assert.deepEqual(await s2.query('SELECT 1 AS one'), [{ one: 1 }]);
    });
  }

  it('corrupted TLS stream: a clear error, no crash, a reconnect works', async () => {
    const tlsTarget = () => target(proxy.port, { sslmode: 'verify-full', sslrootcert: pg.caFile });
    const s = await connect(tlsTarget(), async () => pg.password, { statementTimeoutMs: 1000, env: cleanEnv() });
    sessions.push(s);
    assert.equal(s.tls, true);
    const struck = proxy.armNextServerChunk({ kind: 'corrupt', transform: flipAll });
    const { e, ms } = await timedFailure(s.query('SELECT 1 AS one'));
    await struck;
    // The certificate was verified at the handshake; a damaged record later is a broken
    // connection, not a failed verification, and must not send the user after the certificate.
    assert.equal(e.kind, 'lost', e.message);
    assert.match(e.message, /^connection to postgres@127\.0\.0\.1:\d+\/postgres \(sslmode=verify-full\) broken: the TLS stream failed: /);
    assert.doesNotMatch(e.message, /verification/);
    assert.ok(ms < 1000 + CLIENT_MARGIN_MS + SLACK_MS);
    assert.equal(s.closed, true);
    const s2 = await connect(tlsTarget(), async () => pg.password, { env: cleanEnv() });
    sessions.push(s2);
    assert.deepEqual(await s2.query('SELECT 1 AS one'), [{ one: 1 }]);
  });

  it('wrong password through the proxy: 28P01, kind auth, the password in no message', async () => {
    const wrong = 'Wrong-Through-Proxy-91c2';
    const e = await failure(open({ user: 'alice', password: wrong }));
    assert.equal(e.kind, 'auth');
    assert.equal(e.code, '28P01');
    assert.match(e.message, /^password authentication failed for user "alice" on alice@127\.0\.0\.1:\d+\/postgres \(sslmode=disable\)$/);
    for (const text of [e.message, String(e.stack), JSON.stringify(e)]) assert.ok(!text.includes(wrong));
    // The right one works through the same proxy.
    assert.equal((await open({ user: 'alice', password: ALICE_PASSWORD })).currentUser, 'alice');
  });

  it('TLS: a certificate that does not name the host fails verify-full with kind tls; verify-ca accepts the chain', async () => {
    // The server's certificate names localhost and 127.0.0.1; reached as 127.0.0.2 it names the wrong host.
    const other = await startProxy(pg.port, { listenHost: '127.0.0.2' });
    extraProxies.push(other);
    const full = target(other.port, { host: '127.0.0.2', sslmode: 'verify-full', sslrootcert: pg.caFile });
    const e = await failure(connect(full, async () => pg.password, { env: cleanEnv() }));
    assert.equal(e.kind, 'tls');
    assert.equal(e.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
    assert.match(e.message, /^TLS verification of postgres@127\.0\.0\.2:\d+\/postgres \(sslmode=verify-full\) failed: Hostname\/IP does not match certificate's altnames/);
    const ca = await connect(target(other.port, { host: '127.0.0.2', sslmode: 'verify-ca', sslrootcert: pg.caFile }), async () => pg.password, { env: cleanEnv() });
    sessions.push(ca);
    assert.equal(ca.tls, true);
  });

  it('server down: a closed port is refused; a tunnel to a stopped server is refused too, not "lost"', async () => {
    const port = await closedPort();
    const refused = await failure(connect(target(port), async () => 'x', { env: cleanEnv() }));
    assert.equal(refused.kind, 'refused');
    assert.equal(refused.code, 'ECONNREFUSED');
    // A proxy (pgbouncer, an SSH tunnel, a port-forward) accepts, then closes at once.
    const tunnel = await startProxy(await closedPort());
    extraProxies.push(tunnel);
    const { e, ms } = await timedFailure(connect(target(tunnel.port), async () => 'x', { env: cleanEnv() }));
    assert.equal(e.kind, 'refused');
    assert.match(e.message, /^cannot reach postgres@127\.0\.0\.1:\d+\/postgres \(sslmode=disable\): the server closed the connection before the session was set up/);
    assert.ok(ms < 2000);
  });

  it('a server shut down under a live session: kind lost, verify-full against it without SSL is tls, then refused once it is gone', async () => {
    const other = await startCluster();
    try {
      const viaProxy = await startProxy(other.port);
      extraProxies.push(viaProxy);
      const noSsl = await failure(connect(target(other.port, { sslmode: 'verify-full', sslrootcert: pg.caFile }), async () => other.password, { env: cleanEnv() }));
      assert.equal(noSsl.kind, 'tls');
      assert.match(noSsl.message, /the server does not support SSL connections/);
      const s = await connect(target(viaProxy.port), async () => other.password, { env: cleanEnv() });
      sessions.push(s);
      const lost: DbError[] = [];
      s.onLost((e) => lost.push(e));
      other.stop();
      await waitFor(() => lost.length === 1, 10_000, 'the lost event');
      assert.equal(lost[0].kind, 'lost');
      assert.equal((await failure(listRoles(s))).kind, 'lost');
      const direct = await failure(connect(target(other.port), async () => other.password, { env: cleanEnv() }));
      assert.equal(direct.kind, 'refused');
      const tunnelled = await failure(connect(target(viaProxy.port), async () => other.password, { env: cleanEnv() }));
      assert.equal(tunnelled.kind, 'refused');
    } finally {
      other.stop();
    }
  });

  it('a role that may not read pg_authid or pg_hba_file_rules: password types are null and the pg_hba audit is skipped with a note', async () => {
    const s = await open({ user: 'limited', password: LIMITED_PASSWORD });
    assert.equal(s.isSuperuser, false);
    const page = await listRoles(s);
    assert.ok(page.items.length >= 3);
    assert.deepEqual([...new Set(page.items.map((r) => r.passwordType))], [null]);
    assert.deepEqual([...new Set((await loadRoles(s)).map((r) => r.passwordType))], [null]);
    const result = await audit(s, {});
    assert.ok(Array.isArray(result.findings));
    // What pg_settings hides from this role is asserted in settings.test.ts.
    assert.deepEqual(result.skipped.filter((x) => !x.startsWith('db-settings: ')), [
      'db-md5-password: pg_authid is readable only by superusers',
      'pg_hba rules: this role lacks SELECT on pg_catalog.pg_hba_file_rules and EXECUTE on function pg_catalog.pg_hba_file_rules() (superusers have both; GRANT them to let this role audit pg_hba.conf)',
      ...(s.major >= 15 ? ['pg_ident rules: this role lacks SELECT on pg_catalog.pg_ident_file_mappings and EXECUTE on function pg_catalog.pg_ident_file_mappings() (superusers have both; GRANT them to let this role audit pg_ident.conf)'] : []),
      "db-database-public-connect: whether PUBLIC's CONNECT lets every role in depends on pg_hba.conf, and pg_hba_file_rules is not readable",
    ]);
    // The superuser sees them.
    const su = await open();
    assert.equal((await loadRoles(su)).find((r) => r.name === 'alice')?.passwordType, 'scram-sha-256');
  });

  it('a hardened catalog (SELECT on pg_policy revoked): tables still load, policies marked unreadable, the policy checks skipped with a note', async () => {
    pg.psql('ALTER TABLE app.t ENABLE ROW LEVEL SECURITY; REVOKE SELECT ON pg_catalog.pg_policy FROM PUBLIC');
    try {
      const s = await open({ user: 'limited', password: LIMITED_PASSWORD });
      const t = await tableDetails(s, 'app', 't');
      assert.equal(t?.rls, true);
      assert.equal(t?.policiesUnreadable, true);
      assert.deepEqual(t?.policies, []);
      const result = await audit(s, {});
      assert.ok(result.skipped.some((x) => /pg_policy is not readable/.test(x)), JSON.stringify(result.skipped));
      // No policy is known, so "RLS on with no policy" must not be claimed.
      assert.deepEqual(result.findings.filter((f) => f.ruleId === 'db-rls-no-policy'), []);
      assert.equal(s.closed, false);
      assert.deepEqual((await listRoles(s, { search: 'alice' })).items.map((r) => r.name), ['alice']);
    } finally {
      pg.psql('GRANT SELECT ON pg_catalog.pg_policy TO PUBLIC; ALTER TABLE app.t DISABLE ROW LEVEL SECURITY');
    }
  });

  describe('through the language server over stdio', () => {
    let client: LspClient;
    const lostEvents: Array<{ id: string; message: string }> = [];
    const uri = 'file:///virtual/faults.sql';
    const connectLsp = (statementTimeoutMs = 10_000) =>
      client.conn.sendRequest(DbConnectRequest, {
        id: 'c',
        profile: { name: 'c', host: '127.0.0.1', port: proxy.port, database: 'postgres', user: 'postgres', sslmode: 'disable' },
        password: pg.password,
        statementTimeoutMs,
      }) as Promise<DbConnectResult>;
    const tree = (ref: unknown) => client.conn.sendRequest(DbChildrenRequest, { id: 'c', ref: ref as never }) as Promise<DbChildrenResult>;
    /** The server answers other work: a resolve request and a diagnostics pull. */
    const stillAnswers = async () => {
      const r = await client.conn.sendRequest(DbResolveRequest, { profile: { name: 'x', host: 'db.example.com', sslmode: 'disable' } });
      assert.equal(r.ok, true);
      assert.deepEqual((await client.pull(uri)).map((d) => d.code), ['grant-to-public']);
    };

    before(async () => {
      client = await LspClient.start({ mode: 'pull', env: { PGPASSFILE: '/nonexistent/pgpass' } });
      client.conn.onNotification(DbLostNotification, (p) => {
        lostEvents.push(p);
      });
      await client.conn.sendNotification(DbTrustNotification, { trusted: true });
      client.open(uri, 'sql', 'GRANT SELECT ON app.t TO PUBLIC;\n');
    });

    afterEach(async () => {
      // Close the session before the proxy goes, so no stale lost notification reaches the next test.
      await client.conn.sendRequest(DbDisconnectRequest, { id: 'c' });
      lostEvents.length = 0;
    });

    after(async () => {
      await client?.stop();
    });

    it('a connection cut mid-request: the tree answers kind lost, the client is told, the server keeps answering, reconnect works', async () => {
      assert.equal((await connectLsp()).status, 'connected');
      // Wait for the background audit, so the cut strikes the tree's own query.
      assert.equal((await client.conn.sendRequest(DbAuditRequest, { id: 'c' })).ok, true);
      const roles = await tree({ kind: 'roles' });
      assert.equal(roles.ok, true);
      void proxy.armAfterNextQuery({ kind: 'cut' });
      const r = await tree({ kind: 'roleGroup', group: 'login' });
      assert.deepEqual(r.ok ? r : { ok: r.ok, kind: r.kind }, { ok: false, kind: 'lost' });
      assert.match(!r.ok ? r.message : '', /lost: Connection terminated unexpectedly/);
      const n = await until(() => lostEvents.shift(), 'the lost notification');
      assert.equal(n.id, 'c');
      const after = await tree({ kind: 'roles' });
      assert.equal(!after.ok && after.kind, 'notConnected');
      await stillAnswers();
      assert.equal((await connectLsp()).status, 'connected');
      const back = await tree({ kind: 'roleGroup', group: 'login' });
      assert.ok(back.ok && back.items.some((i) => i.label === 'alice'));
    });

    it('a stalled network: the tree answers kind timeout within the deadline while diagnostics keep flowing', async () => {
      assert.equal((await connectLsp(500)).status, 'connected');
      assert.equal((await client.conn.sendRequest(DbAuditRequest, { id: 'c' })).ok, true);
      proxy.stall();
      const t0 = Date.now();
      const pending = tree({ kind: 'roleGroup', group: 'login' });
      let settled = false;
      void pending.then(() => (settled = true));
      await stillAnswers();
      assert.equal(settled, false, 'the diagnostics answered while the database request was still waiting');
      const r = await pending;
      const ms = Date.now() - t0;
      assert.equal(!r.ok && r.kind, 'timeout');
      assert.match(!r.ok ? r.message : '', /within 2500 ms; the connection was closed/);
      assert.ok(ms < 500 + CLIENT_MARGIN_MS + SLACK_MS, `answered after ${ms} ms`);
      const n = await until(() => lostEvents.shift(), 'the lost notification');
      assert.equal(n.id, 'c');
      assert.equal((await tree({ kind: 'roles' }).then((x) => !x.ok && x.kind)), 'notConnected');
      proxy.pass();
      assert.equal((await connectLsp()).status, 'connected');
      assert.equal((await tree({ kind: 'roles' })).ok, true);
      assert.ok(!client.stderr.includes(pg.password), 'the password never reaches the server log');
    });

    it('disconnecting while the network is stalled answers within the client margin, and a connect afterwards works', async () => {
      assert.equal((await connectLsp(500)).status, 'connected');
      assert.equal((await client.conn.sendRequest(DbAuditRequest, { id: 'c' })).ok, true);
      proxy.stall();
      // The server never acknowledges the goodbye through the partition: the close must give up on it.
      const t0 = Date.now();
      await client.conn.sendRequest(DbDisconnectRequest, { id: 'c' });
      const ms = Date.now() - t0;
      assert.ok(ms < CLIENT_MARGIN_MS + SLACK_MS, `disconnect took ${ms} ms`);
      assert.equal((await tree({ kind: 'roles' }).then((x) => !x.ok && x.kind)), 'notConnected');
      proxy.pass();
      assert.equal((await connectLsp()).status, 'connected');
      assert.equal((await tree({ kind: 'roles' })).ok, true);
    });

    it('a stall while connecting (reading the catalog facts): connect answers kind timeout, not "connected" with a dead session', async () => {
      void proxy.armAfterNextQuery({ kind: 'stall' }, /r\.rolsuper AS superuser FROM pg_catalog\.pg_roles r ORDER BY/);
      const t0 = Date.now();
      const r = await connectLsp(500);
      const ms = Date.now() - t0;
      assert.equal(r.status, 'error', JSON.stringify(r));
      assert.equal(r.status === 'error' && r.kind, 'timeout');
      assert.match(r.status === 'error' ? r.message : '', /within 2500 ms; the connection was closed/);
      assert.ok(ms < 500 + CLIENT_MARGIN_MS + SLACK_MS, `answered after ${ms} ms`);
      assert.equal((await tree({ kind: 'roles' }).then((x) => !x.ok && x.kind)), 'notConnected');
      proxy.pass();
      assert.equal((await connectLsp()).status, 'connected');
    });

    it('a stall during the background audit: the client is told the session ended within the deadline, without asking', async () => {
      void proxy.armAfterNextQuery({ kind: 'stall' }, /password_encryption/);
      const t0 = Date.now();
      assert.equal((await connectLsp(500)).status, 'connected');
      const n = await until(() => lostEvents.shift(), 'the lost notification', 500 + CLIENT_MARGIN_MS + SLACK_MS);
      assert.equal(n.id, 'c');
      assert.match(n.message, /within 2500 ms; the connection was closed/);
      assert.ok(Date.now() - t0 < 500 + CLIENT_MARGIN_MS + SLACK_MS);
      const a = await client.conn.sendRequest(DbAuditRequest, { id: 'c' });
      assert.equal(!a.ok && a.kind, 'notConnected');
    });

    it('a corrupted stream: one clear failure, the session dropped, no internal error reported', async () => {
      assert.equal((await connectLsp(2000)).status, 'connected');
      assert.equal((await client.conn.sendRequest(DbAuditRequest, { id: 'c' })).ok, true);
      void proxy.armAfterNextQuery({
        kind: 'corrupt',
        transform: (chunk) => {
          const c = Buffer.from(chunk);
          c[0] = 0x01;
          return c;
        },
      });
      const r = await tree({ kind: 'roleGroup', group: 'group' });
      assert.deepEqual(r.ok ? r : { ok: r.ok, kind: r.kind }, { ok: false, kind: 'lost' });
      assert.match(!r.ok ? r.message : '', /received invalid response: 1/);
      await until(() => lostEvents.shift(), 'the lost notification');
      await stillAnswers();
      assert.deepEqual(client.notifications, [], 'a database fault is not an internal error');
    });
  });
});
