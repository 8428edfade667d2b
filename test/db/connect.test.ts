// Connections against a real PostgreSQL: SCRAM, every sslmode against a TLS server and a
// plain one, certificate and host-name failures, pgpass, and each fault with its kind
// and a message that never contains the password.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { connect, DbError, roleDetails, Session } from '../../server/src/db';
import { startCluster, TestCluster } from '../support/postgres';
import { blackHole, cleanEnv, closedPort, corruptingProxy, target, waitFor } from './helpers';

const PASSWORD_ALICE = 'Alice-Only-7f3a';

async function failure(p: Promise<unknown>): Promise<DbError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DbError, `expected a DbError, got ${err}`);
    return err;
  }
  assert.fail('expected the promise to fail');
}

describe('db: connections to a real server', function () {
  this.timeout(60_000);
  let tls: TestCluster;
  let plain: TestCluster;
  let work: string;
  const open: Session[] = [];
  const track = (s: Session) => {
    open.push(s);
    return s;
  };

  before(async function () {
    // Two clusters, one with fresh certificates: initdb alone takes seconds on a busy machine.
    this.timeout(180_000);
    tls = await startCluster({ ssl: true });
    plain = await startCluster();
    for (const c of [tls, plain]) c.psql(`CREATE ROLE alice LOGIN PASSWORD '${PASSWORD_ALICE}'; CREATE TABLE t (x int); GRANT SELECT ON t TO alice;`);
    work = mkdtempSync(join(tmpdir(), 'pgwarden-connect-'));
  });
  after(async () => {
    for (const s of open) await s.close();
    tls?.stop();
    plain?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('authenticates with SCRAM and sets up a read-only session with timeouts and application_name', async () => {
    const s = track(await connect(target(plain.port, { user: 'alice' }), async () => PASSWORD_ALICE, { statementTimeoutMs: 4321, lockTimeoutMs: 1234 }));
    assert.equal(s.currentUser, 'alice');
    assert.equal(s.major, plain.version);
    assert.equal(s.isSuperuser, false);
    const [row] = await s.query<Record<string, string>>(
      `SELECT current_setting('default_transaction_read_only') AS ro, current_setting('statement_timeout') AS st,
              current_setting('lock_timeout') AS lt, current_setting('application_name') AS app`,
    );
    assert.deepEqual(row, { ro: 'on', st: '4321ms', lt: '1234ms', app: 'pgwarden' });
    const method = plain.psql(`SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'alice'`).trim();
    assert.equal(method, 't');
    const seen = plain.psql(`SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgwarden' AND usename = 'alice'`).trim();
    assert.equal(seen, '1');
  });

  it('refuses writes in the session: 25006, kind readonly', async () => {
    const s = track(await connect(target(plain.port), async () => plain.password));
    const e = await failure(s.query('INSERT INTO t VALUES (1)'));
    assert.equal(e.kind, 'readonly');
    assert.equal(e.code, '25006');
    assert.equal(plain.psql('SELECT count(*) FROM t').trim(), '0');
  });

  it('wrong password: 28P01, kind auth, and the password is in no message', async () => {
    const wrong = 'Wrong-Pass-Zq81';
    const e = await failure(connect(target(plain.port, { user: 'alice' }), async () => wrong));
    assert.equal(e.kind, 'auth');
    assert.equal(e.code, '28P01');
    assert.match(e.message, /password authentication failed for user "alice"/);
    assert.ok(!e.message.includes(wrong) && !String(e.stack).includes(wrong));
  });

  it('no password available: kind auth, the callback was asked once', async () => {
    let asked = 0;
    const e = await failure(
      connect(target(plain.port, { user: 'alice' }), async () => {
        asked++;
        return undefined;
      }),
    );
    assert.equal(e.kind, 'auth');
    assert.match(e.message, /no password supplied/);
    assert.equal(asked, 1);
  });

  it('reads the password from the PGPASSFILE pgpass file before asking', async () => {
    const file = join(work, 'pgpass');
    writeFileSync(file, `# comment\n127.0.0.1:${plain.port}:*:alice:${PASSWORD_ALICE.replace(/:/g, '\\:')}\n`);
    chmodSync(file, 0o600);
    let asked = 0;
    const s = track(
      await connect(
        target(plain.port, { user: 'alice' }),
        async () => {
          asked++;
          return 'not-this-one';
        },
        { env: cleanEnv({ PGPASSFILE: file }) },
      ),
    );
    assert.equal(s.currentUser, 'alice');
    assert.equal(asked, 0);
  });

  it('ignores a pgpass file others can read, as libpq does, and asks instead', async () => {
    const file = join(work, 'pgpass-open');
    writeFileSync(file, `127.0.0.1:${plain.port}:*:alice:${PASSWORD_ALICE}\n`);
    chmodSync(file, 0o644);
    let asked = 0;
    const s = track(
      await connect(
        target(plain.port, { user: 'alice' }),
        async () => {
          asked++;
          return PASSWORD_ALICE;
        },
        { env: cleanEnv({ PGPASSFILE: file }) },
      ),
    );
    assert.equal(s.currentUser, 'alice');
    assert.equal(asked, 1);
  });

  it('server down: kind refused', async () => {
    const e = await failure(connect(target(await closedPort()), async () => 'x'));
    assert.equal(e.kind, 'refused');
    assert.equal(e.code, 'ECONNREFUSED');
  });

  it('a server that never answers: kind timeout within the connect timeout', async () => {
    const hole = await blackHole();
    try {
      const t0 = Date.now();
      const e = await failure(connect(target(hole.port), async () => 'x', { connectTimeoutMs: 500 }));
      assert.equal(e.kind, 'timeout');
      assert.ok(Date.now() - t0 < 5000);
    } finally {
      hole.close();
    }
  });

  it('statement timeout: 57014, kind timeout, and the query no longer runs on the server', async () => {
    const s = track(await connect(target(plain.port), async () => plain.password, { statementTimeoutMs: 300 }));
    const e = await failure(s.query('SELECT pg_sleep(30)'));
    assert.equal(e.kind, 'timeout');
    assert.equal(e.code, '57014');
    const running = plain.psql(`SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'`).trim();
    assert.equal(running, '0');
    // The session stays usable after a server-side timeout.
    assert.deepEqual(await s.query('SELECT 1 AS one'), [{ one: 1 }]);
  });

  it('client-side deadline: when the server does not answer in time the connection is destroyed, and the server stops the query', async () => {
    const s = track(await connect(target(plain.port), async () => plain.password, { statementTimeoutMs: 300, applicationName: 'pgwarden-deadline' }));
    // Take away the server-side limit (SET is allowed in a read-only session) so only the client's deadline is left.
    await s.query(`SELECT set_config('statement_timeout', '0', false)`);
    const t0 = Date.now();
    const e = await failure(s.query('SELECT pg_sleep(60)'));
    assert.equal(e.kind, 'timeout');
    assert.equal(e.code, 'client-timeout');
    assert.ok(Date.now() - t0 < 10_000);
    assert.equal(s.closed, true);
    await waitFor(
      () => plain.psql(`SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgwarden-deadline'`).trim() === '0',
      10_000,
      'the server to notice the closed connection',
    );
  });

  it('connection lost mid-session: kind lost, and onLost fires once', async () => {
    const s = track(await connect(target(plain.port), async () => plain.password, { applicationName: 'pgwarden-lost' }));
    const lost: DbError[] = [];
    s.onLost((e) => lost.push(e));
    plain.psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgwarden-lost'`);
    const e = await failure(s.query('SELECT 1'));
    assert.equal(e.kind, 'lost');
    await waitFor(() => lost.length === 1, 5000, 'the lost event');
    assert.equal(lost[0].kind, 'lost');
    assert.equal(s.closed, true);
    assert.equal((await failure(s.query('SELECT 1'))).kind, 'lost');
  });

  it('a broken protocol stream ends the session at once (kind lost) instead of hanging the next query', async () => {
    const proxy = await corruptingProxy(plain.port);
    try {
      const s = track(await connect(target(proxy.port), async () => plain.password, { statementTimeoutMs: 5000 }));
      const lost: DbError[] = [];
      s.onLost((e) => lost.push(e));
      proxy.corruptNextAnswer();
      const e = await failure(s.query('SELECT 1'));
      assert.equal(e.kind, 'lost');
      assert.match(e.message, /broken: .*received invalid response/);
      assert.equal(s.closed, true);
      const t0 = Date.now();
      assert.equal((await failure(s.query('SELECT 2'))).kind, 'lost');
      assert.ok(Date.now() - t0 < 1000, 'the next query fails at once');
    } finally {
      proxy.close();
    }
  });

  it('passes inputs as bind parameters: a hostile role name is only data', async () => {
    const s = track(await connect(target(plain.port), async () => plain.password));
    assert.equal(await roleDetails(s, `alice'; DROP TABLE t; --`), undefined);
    assert.equal((await roleDetails(s, 'alice'))?.role.name, 'alice');
    assert.equal(plain.psql(`SELECT count(*) FROM pg_class WHERE relname = 't'`).trim(), '1');
  });

  describe('sslmode', () => {
    const tlsOf = async (port: number, over: object) => track(await connect(target(port, over), async () => (port === tls.port ? tls.password : plain.password))).tls;

    it('verify-full with the CA: encrypted, certificate and host name verified', async () => {
      assert.equal(await tlsOf(tls.port, { sslmode: 'verify-full', sslrootcert: tls.caFile }), true);
      assert.equal(await tlsOf(tls.port, { host: 'localhost', sslmode: 'verify-full', sslrootcert: tls.caFile }), true);
    });

    it('require, prefer and verify-ca use TLS; disable does not', async () => {
      assert.equal(await tlsOf(tls.port, { sslmode: 'require' }), true);
      assert.equal(await tlsOf(tls.port, { sslmode: 'prefer' }), true);
      assert.equal(await tlsOf(tls.port, { sslmode: 'verify-ca', sslrootcert: tls.caFile }), true);
      assert.equal(await tlsOf(tls.port, { sslmode: 'disable' }), false);
    });

    it('prefer falls back to plain text when the server has no SSL; allow stays plain', async () => {
      assert.equal(await tlsOf(plain.port, { sslmode: 'prefer' }), false);
      assert.equal(await tlsOf(plain.port, { sslmode: 'allow' }), false);
    });

    it('allow retries with TLS when the server accepts only hostssl', async () => {
      const strict = await startCluster({ ssl: true, hba: 'local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n' });
      try {
        const s = track(await connect(target(strict.port, { sslmode: 'allow' }), async () => strict.password));
        assert.equal(s.tls, true);
        const e = await failure(connect(target(strict.port, { sslmode: 'disable' }), async () => strict.password));
        assert.equal(e.kind, 'auth');
        assert.equal(e.code, '28000');
      } finally {
        await Promise.all(open.splice(0).map((s) => s.close()));
        strict.stop();
      }
    });

    it('require, verify-ca and verify-full fail with kind tls on a server without SSL', async () => {
      for (const mode of ['require', 'verify-ca', 'verify-full']) {
        const e = await failure(connect(target(plain.port, { sslmode: mode as any, sslrootcert: tls.caFile }), async () => plain.password));
        assert.equal(e.kind, 'tls', mode);
        assert.match(e.message, /does not support SSL/);
      }
    });

    it('a certificate from another CA fails verify-ca, verify-full and require-with-root; plain require accepts it', async () => {
      const otherCa = join(work, 'other-ca');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=other CA', '-keyout', `${otherCa}.key`, '-out', `${otherCa}.crt`], { stdio: 'pipe' });
      for (const mode of ['verify-ca', 'verify-full', 'require']) {
        const e = await failure(connect(target(tls.port, { sslmode: mode as any, sslrootcert: `${otherCa}.crt` }), async () => tls.password));
        assert.equal(e.kind, 'tls', mode);
        assert.match(e.message, /TLS verification of .* failed/);
      }
      assert.equal(await tlsOf(tls.port, { sslmode: 'require' }), true);
    });

    it('host name mismatch: verify-full fails, verify-ca (chain only) succeeds', async () => {
      // Re-issue the server certificate from the same CA for another name, and reload.
      const base = dirname(tls.caFile as string);
      const csr = join(work, 'wrong.csr');
      const crt = join(work, 'wrong.crt');
      execFileSync('openssl', ['req', '-new', '-key', join(tls.dataDir, 'server.key'), '-subj', '/CN=wrong.example', '-out', csr], { stdio: 'pipe' });
      writeFileSync(join(work, 'wrong.ext'), 'subjectAltName=DNS:wrong.example\n');
      execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', join(base, 'ca.crt'), '-CAkey', join(base, 'ca.key'), '-CAcreateserial', '-days', '1', '-extfile', join(work, 'wrong.ext'), '-out', crt], { stdio: 'pipe' });
      const original = readFileSync(join(tls.dataDir, 'server.crt'), 'utf8');
      tls.writeDataFile('server.crt', readFileSync(crt, 'utf8'));
      tls.reload();
      try {
        // The reload is asynchronous: wait until new connections present the new certificate.
        await waitFor(
          async () => {
            try {
              (await connect(target(tls.port, { sslmode: 'verify-full', sslrootcert: tls.caFile }), async () => tls.password)).close();
              return false;
            } catch {
              return true;
            }
          },
          10_000,
          'the reloaded certificate',
        );
        const e = await failure(connect(target(tls.port, { sslmode: 'verify-full', sslrootcert: tls.caFile }), async () => tls.password));
        assert.equal(e.kind, 'tls');
        assert.equal(e.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
        assert.equal(await tlsOf(tls.port, { sslmode: 'verify-ca', sslrootcert: tls.caFile }), true);
      } finally {
        tls.writeDataFile('server.crt', original);
        tls.reload();
      }
    });
  });
});
