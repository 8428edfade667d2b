// `pgwarden sessions` and its judgement on a real PostgreSQL with other sessions open: as a
// superuser, as a pg_monitor member (both see every session in full) and as an ordinary
// role (other roles' sessions are counted as hidden, never guessed).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { judgeSessions } from '../../server/src/core/live/activity';
import { main } from '../../server/src/cli/main';
import { connect, readActivity } from '../../server/src/db';
import { startCluster, TestCluster } from '../support/postgres';
import { captureIo, cleanEnv, target } from './helpers';

describe('db: sessions on a real server', function () {
  this.timeout(120_000);
  let c: TestCluster;
  const clients: Client[] = [];
  const open = async (user: string, password: string, application: string) => {
    const cl = new Client({ host: '127.0.0.1', port: c.port, user, password, database: 'postgres', application_name: application });
    await cl.connect();
    clients.push(cl);
    return cl;
  };
  before(async () => {
    c = await startCluster();
    c.psql(`CREATE ROLE web LOGIN PASSWORD 'pw-web' CONNECTION LIMIT 2;
            CREATE ROLE plain LOGIN PASSWORD 'pw-plain';
            CREATE ROLE watcher LOGIN PASSWORD 'pw-watcher';
            GRANT pg_monitor TO watcher;`);
    await open('web', 'pw-web', 'shop-api');
    const idle = await open('web', 'pw-web', 'shop-worker');
    await idle.query('BEGIN');
    await idle.query('SELECT 1');
    await open('postgres', c.password, 'admin-console');
  });
  after(async () => {
    for (const cl of clients) await cl.end().catch(() => undefined);
    c?.stop();
  });

  const as = async (user: string, password: string) => {
    const s = await connect(target(c.port, { user }), async () => password);
    try {
      return { read: await readActivity(s), report: judgeSessions(await readActivity(s), { idleInTransactionSeconds: 0, nearLimitRatio: 0.8 }) };
    } finally {
      await s.close();
    }
  };

  for (const who of [
    { user: 'postgres', label: 'a superuser', password: () => c.password },
    { user: 'watcher', label: 'a pg_monitor member', password: () => 'pw-watcher' },
  ]) {
    it(`as ${who.label}: every session in full, with what to look at`, async () => {
      const { read, report } = await as(who.user, who.password());
      assert.equal(read.seesAll, true);
      assert.equal(report.hidden.count, 0);
      assert.ok(report.byRole.some((r) => r.key === 'web' && r.count === 2), JSON.stringify(report.byRole));
      assert.ok(report.byApplication.some((r) => r.key === 'shop-worker'));
      assert.deepEqual(report.byClient.filter((r) => r.key === 'hidden'), []);
      const kinds = report.flags.map((f) => `${f.kind} ${f.role ?? ''}`);
      assert.ok(kinds.includes('role-limit web'), kinds.join('; '));
      assert.ok(kinds.includes('idle-in-transaction web'), kinds.join('; '));
      // All from 127.0.0.1: no TLS and superuser sessions from loopback are not flagged.
      assert.ok(!kinds.some((k) => k.startsWith('no-tls') || k.startsWith('superuser-remote')), kinds.join('; '));
      const limit = report.flags.find((f) => f.kind === 'role-limit');
      assert.equal(limit?.message, 'Role "web" has 2 of its 2 connections (CONNECTION LIMIT).');
      assert.equal(limit?.severity, 'warning');
    });
  }

  it('as an ordinary role: other roles\' sessions are hidden and said to be, never judged', async () => {
    const { read, report } = await as('plain', 'pw-plain');
    assert.equal(read.seesAll, false);
    // Other roles' sessions: PostgreSQL leaves the address, state, TLS and even the backend type empty.
    const others = read.rows.filter((r) => r.role !== null && r.role !== 'plain');
    assert.ok(others.length >= 3, JSON.stringify(read.rows));
    assert.ok(others.every((r) => !r.visible && r.clientAddr === null && r.state === null && r.ssl === null), JSON.stringify(others));
    assert.equal(report.hidden.count, others.length);
    assert.match(report.hidden.why ?? '', /^PostgreSQL shows "plain" only its own sessions in full/);
    assert.ok(report.byClient.some((r) => r.key === 'hidden' && r.count === others.length));
    // The role limit still shows: pg_roles and the role column are visible to every role.
    assert.deepEqual(report.flags.map((f) => f.kind), ['role-limit']);
  });

  it('pgwarden sessions prints text and JSON, read-only', async () => {
    const env = cleanEnv({ PGPASSWORD: 'pw-watcher' });
    const text = captureIo(env);
    const url = `postgresql://watcher@127.0.0.1:${c.port}/postgres?sslmode=disable`;
    assert.equal(await main(['sessions', '--db', url, '--format', 'text', '--idle-limit', '0s'], text), 0, text.err);
    assert.match(text.out, /^Sessions on watcher@127\.0\.0\.1:\d+\/postgres: \d+ client sessions, \d+ other process(es)?; \d+ of \d+ connections in use\n/);
    assert.match(text.out, /\nBy role: .*web 2/);
    assert.match(text.out, /warning idle-in-transaction +Session \d+ of "web" has been idle in transaction for/);
    const json = captureIo(env);
    assert.equal(await main(['sessions', '--db', url, '--format', 'json'], json), 0, json.err);
    const out = JSON.parse(json.out);
    assert.equal(out.hidden.count, 0);
    assert.ok(out.byRole.some((r: { key: string; count: number }) => r.key === 'web' && r.count === 2));
    const bad = captureIo(env);
    assert.equal(await main(['sessions', '--db', url, '--idle-limit', 'soon'], bad), 2);
    assert.match(bad.err, /--idle-limit "soon" is not a duration/);
  });

  it("takes the idle limit from pgwarden.json's sessions.idleInTransaction, which --idle-limit overrides", async () => {
    const env = cleanEnv({ PGPASSWORD: 'pw-watcher' });
    const url = `postgresql://watcher@127.0.0.1:${c.port}/postgres?sslmode=disable`;
    const dir = mkdtempSync(join(tmpdir(), 'pgwarden-sessions-'));
    const config = join(dir, 'pgwarden.json');
    writeFileSync(config, JSON.stringify({ sessions: { idleInTransaction: '0s' } }));
    const idleFlags = async (...extra: string[]) => {
      const io = captureIo(env);
      assert.equal(await main(['sessions', '--db', url, '--format', 'json', ...extra], io), 0, io.err);
      return (JSON.parse(io.out).flags as Array<{ kind: string; role?: string }>).filter((f) => f.kind === 'idle-in-transaction').map((f) => f.role);
    };
    try {
      // The default limit (300 s) does not reach the transaction opened a moment ago.
      assert.deepEqual(await idleFlags(), []);
      assert.deepEqual(await idleFlags('--config', config), ['web']);
      assert.deepEqual(await idleFlags('--config', config, '--idle-limit', '1h'), []);
      writeFileSync(config, JSON.stringify({ sessions: { idleInTransaction: 'soon' } }));
      const bad = captureIo(env);
      assert.equal(await main(['sessions', '--db', url, '--config', config], bad), 2);
      assert.match(bad.err, /"sessions\.idleInTransaction" must be a duration/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
