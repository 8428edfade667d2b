// The Sessions judgement (core/live/activity.ts) on hand-made pg_stat_activity rows: what is
// flagged, what is counted, and that hidden rows are said to be hidden, never guessed.

import assert from 'node:assert/strict';
import { ActivityRead, ActivityRow, isLoopbackAddress, judgeSessions } from '../../../server/src/core/live/activity';

const NOW = '2026-12-05T10:00:00.000Z';
const ago = (s: number) => new Date(Date.parse(NOW) - s * 1000).toISOString();

function row(pid: number, over: Partial<ActivityRow> = {}): ActivityRow {
  return { pid, role: 'app', database: 'shop', clientAddr: '127.0.0.1', application: 'api', backendType: 'client backend', state: 'idle', stateChange: ago(1), ssl: false, sslVersion: null, visible: true, superuser: false, ...over };
}

function read(rows: ActivityRow[], over: Partial<ActivityRead> = {}): ActivityRead {
  return { rows, now: NOW, maxConnections: 100, reservedConnections: 3, roleLimits: {}, seesAll: true, currentUser: 'postgres', ...over };
}

describe('sessions judgement', () => {
  it('loopback addresses', () => {
    assert.deepEqual(['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1', '10.0.0.1', '::ffff:10.0.0.1', '2001:db8::1'].map(isLoopbackAddress), [true, true, true, true, false, false, false]);
  });

  it('counts client sessions by role, database, client and application; other processes apart', () => {
    const r = judgeSessions(read([row(1), row(2, { role: 'etl', application: '' }), row(3, { clientAddr: null }), row(4, { backendType: 'autovacuum launcher', role: null, database: null })]));
    assert.equal(r.clients, 3);
    assert.equal(r.others, 1);
    assert.deepEqual(r.byRole, [{ key: 'app', count: 2 }, { key: 'etl', count: 1 }]);
    assert.deepEqual(r.byClient, [{ key: '127.0.0.1', count: 2 }, { key: 'local', count: 1 }]);
    assert.deepEqual(r.byApplication, [{ key: 'api', count: 2 }, { key: '(none)', count: 1 }]);
    assert.deepEqual(r.flags, []);
    assert.deepEqual(r.capacity, { used: 3, max: 97 });
  });

  it('flags no TLS and superusers from another machine, not from loopback or a socket', () => {
    const r = judgeSessions(read([row(1, { clientAddr: '10.1.2.3' }), row(2, { clientAddr: '10.1.2.4', ssl: true, superuser: true, role: 'postgres' }), row(3, { superuser: true, role: 'postgres' }), row(4, { clientAddr: null, superuser: true })]));
    assert.deepEqual(r.flags.map((f) => `${f.kind} ${f.pid}`), ['no-tls 1', 'superuser-remote 2']);
    assert.match(r.flags[0].message, /^Session 1 of "app" from 10\.1\.2\.3 is not encrypted \(no TLS\)/);
  });

  it('flags idle in transaction past the configured limit only', () => {
    const rows = [row(1, { state: 'idle in transaction', stateChange: ago(600) }), row(2, { state: 'idle in transaction (aborted)', stateChange: ago(30) }), row(3, { state: 'active', stateChange: ago(9000) })];
    assert.deepEqual(judgeSessions(read(rows)).flags.map((f) => `${f.kind} ${f.pid}`), ['idle-in-transaction 1']);
    const strict = judgeSessions(read(rows), { idleInTransactionSeconds: 10, nearLimitRatio: 0.8 });
    assert.deepEqual(strict.flags.map((f) => f.pid), [1, 2]);
    assert.match(strict.flags[0].message, /has been idle in transaction for 10 min \(limit 10 s\)/);
  });

  it('flags a role near or at its CONNECTION LIMIT, and the server near max_connections', () => {
    const rows = [row(1), row(2), row(3), row(4, { role: 'etl' })];
    const r = judgeSessions(read(rows, { roleLimits: { app: 3, etl: 10 }, maxConnections: 7, reservedConnections: 2 }));
    assert.deepEqual(r.flags.map((f) => `${f.kind} ${f.severity} ${f.role ?? ''}`), ['role-limit warning app', 'server-limit info ']);
    assert.equal(r.flags[1].message, '4 of the 5 connections open to ordinary roles are in use (max_connections 7, 2 reserved).');
  });

  it('hidden rows are counted as hidden, never judged or guessed', () => {
    const hidden = row(7, { visible: false, role: 'other', backendType: 'unknown', clientAddr: null, state: null, stateChange: null, ssl: null, application: null });
    const r = judgeSessions(read([row(1), hidden], { seesAll: false, currentUser: 'app' }));
    assert.equal(r.hidden.count, 1);
    assert.match(r.hidden.why ?? '', /^PostgreSQL shows "app" only its own sessions in full: the address, application, state and TLS of 1 other session are hidden\. Members of pg_read_all_stats/);
    assert.deepEqual(r.byClient, [{ key: '127.0.0.1', count: 1 }, { key: 'hidden', count: 1 }]);
    assert.deepEqual(r.byApplication, [{ key: 'api', count: 1 }]);
    assert.deepEqual(r.flags, []);
    assert.deepEqual(r.rows.map((x) => x.pid), [1, 7]);
  });
});
