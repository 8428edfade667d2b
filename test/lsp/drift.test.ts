// Drift in the editor, driven over stdio against a real PostgreSQL: a database built from the
// workspace's migrations and then changed by hand shows each change under the Drift node,
// grouped by kind with counts, both states on each entry and the declaring statement to
// open; the CodeLens on each GRANT, REVOKE, CREATE POLICY and RLS statement says whether
// the database has it, and follows an edit and a refresh; the reconciling SQL, applied by
// the test (pgwarden never runs it), leaves no drift; the adopting SQL comes with the next
// migration's file name; pgwarden.json's drift.platformRoles keeps a platform's role out.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { DbChildrenRequest, DbChildrenResult, DbConnectRequest, DbDriftSqlRequest, DbNodeRef, DbRefreshRequest, DbTreeNode, DbTrustNotification } from '../../server/src/shared/protocol';
import { LspClient, until } from '../support/lsp';
import { startCluster, TestCluster } from '../support/postgres';

const INIT = `CREATE ROLE app_reader NOLOGIN;
CREATE ROLE app_writer NOLOGIN;
CREATE SCHEMA app;
CREATE TABLE app.orders (id int, owner text);
GRANT USAGE ON SCHEMA app TO app_reader;
GRANT SELECT ON app.orders TO app_reader;
ALTER TABLE app.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON app.orders FOR SELECT TO app_reader USING (owner = current_user);
GRANT app_reader TO app_writer;
`;

const BY_HAND = `
REVOKE SELECT ON app.orders FROM app_reader;
GRANT INSERT ON app.orders TO app_reader;
ALTER TABLE app.orders DISABLE ROW LEVEL SECURITY;
ALTER POLICY own ON app.orders TO app_reader, app_writer;
CREATE ROLE intruder LOGIN;
CREATE ROLE platform_admin NOLOGIN;
`;

describe('drift in the editor: the Drift node, the CodeLens and the generated SQL', function () {
  this.timeout(120_000);
  let pg: TestCluster;
  let client: LspClient;
  let dir: string;
  const uri = (name: string) => pathToFileURL(join(dir, 'migrations', name)).toString();

  const children = async (ref?: DbNodeRef): Promise<DbTreeNode[]> => {
    const r = (await client.conn.sendRequest(DbChildrenRequest, { id: 'drift', ref, offset: 0, limit: 5000 })) as DbChildrenResult;
    assert.ok(r.ok, JSON.stringify(r));
    return r.items;
  };
  const lenses = async (u: string): Promise<Array<{ line: number; title: string }>> => {
    const r = (await client.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: u } })) as CodeLens[];
    return r.map((l) => ({ line: l.range.start.line, title: l.command!.title })).sort((a, b) => a.line - b.line);
  };

  before(async () => {
    pg = await startCluster();
    pg.psql('CREATE DATABASE drift_app');
    pg.psql(INIT, 'drift_app');
    pg.psql(BY_HAND, 'drift_app');
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-drift-'));
    mkdirSync(join(dir, 'migrations'));
    writeFileSync(join(dir, 'migrations', '001_init.sql'), INIT);
    writeFileSync(join(dir, 'pgwarden.json'), JSON.stringify({ drift: { platformRoles: ['platform_admin'] } }));
    client = await LspClient.start({ mode: 'pull', rootUri: pathToFileURL(dir).toString() });
  });

  after(async () => {
    await client?.stop();
    pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has no lenses while no database is connected, and nothing connects untrusted', async () => {
    client.open(uri('001_init.sql'), 'sql', INIT);
    assert.deepEqual(await lenses(uri('001_init.sql')), []);
    const r = await client.conn.sendRequest(DbConnectRequest, { id: 'drift', profile: { name: 'drift', host: '127.0.0.1', port: pg.port, database: 'drift_app', user: 'postgres', sslmode: 'disable' }, password: pg.password });
    assert.equal(r.status === 'error' && r.kind, 'untrusted');
  });

  it('shows the hand changes under the Drift node, grouped by kind with counts', async () => {
    await client.conn.sendNotification(DbTrustNotification, { trusted: true });
    const r = await client.conn.sendRequest(DbConnectRequest, { id: 'drift', profile: { name: 'drift', host: '127.0.0.1', port: pg.port, database: 'drift_app', user: 'postgres', sslmode: 'disable' }, password: pg.password });
    assert.equal(r.status, 'connected', JSON.stringify(r));
    const top = await children();
    const drift = top.find((n) => n.label === 'Drift');
    assert.ok(drift?.ref, JSON.stringify(top.map((n) => n.label)));
    const groups = await children(drift.ref);
    assert.deepEqual(
      groups.map((g) => `${g.label} ${g.description}`),
      ['Grants 2', 'Roles and attributes 1', 'Row-level security 1', 'Policies 1'],
    );
    const grants = await children(groups[0].ref);
    assert.deepEqual(
      grants.map((g) => `${g.label} | ${g.description}`),
      ['INSERT on table app.orders to app_reader | declared: none · live: granted', 'SELECT on table app.orders to app_reader | declared: granted · live: none'],
    );
    // The declared-only grant opens its GRANT (line 6); the live-only one the CREATE TABLE (line 4).
    assert.deepEqual(grants.map((g) => g.location && `${g.location.uri.slice(-12)}:${g.location.range.start.line + 1}:${g.location.range.start.character + 1}`), ['001_init.sql:4:1', '001_init.sql:6:1']);
    assert.match(grants[1].tooltip!, /^SELECT on table app\.orders to app_reader is declared, but the database does not have it \(declared, not in the database\)\nDeclared at migrations\/001_init\.sql:6$/);
    const roles = await children(groups[1].ref);
    // The role is the finding (its attributes go with it); platform_admin is a platform role (pgwarden.json) and is not drift.
    assert.deepEqual(roles.map((g) => `${g.label} | ${g.description}`), ['role intruder | declared: none · live: exists']);
    assert.equal(roles[0].location, undefined, 'no workspace file creates intruder');
    const policies = await children(groups[3].ref);
    assert.deepEqual(policies.map((g) => `${g.label} | ${g.description}`), [
      'policy own on table app.orders | declared: permissive for select to app_reader · live: permissive for select to app_reader, app_writer',
    ]);
    assert.equal(policies[0].location?.range.start.line, 7);
  });

  it('puts a lens on each GRANT, REVOKE, CREATE POLICY and RLS statement saying whether the database has it', async () => {
    assert.deepEqual(await lenses(uri('001_init.sql')), [
      { line: 4, title: 'live: has it' },
      { line: 5, title: 'live: missing' },
      { line: 6, title: 'live: missing' },
      { line: 7, title: 'live: differs: policy own is permissive for select to app_reader, app_writer in the database, permissive for select to app_reader here' },
      { line: 8, title: 'live: has it' },
    ]);
  });

  it('follows an edit: a new REVOKE the database does not reflect differs', async () => {
    const text = `${INIT}REVOKE INSERT ON app.orders FROM app_reader;\nGRANT INSERT, UPDATE ON app.orders TO app_reader;\n`;
    client.change(uri('001_init.sql'), text);
    await client.pull(uri('001_init.sql'));
    const after = await lenses(uri('001_init.sql'));
    assert.deepEqual(after.slice(5), [
      { line: 9, title: 'live: differs: INSERT on table app.orders to app_reader is still granted' },
      { line: 10, title: 'live: differs: UPDATE on table app.orders to app_reader is not granted' },
    ]);
    client.change(uri('001_init.sql'), INIT);
    await client.pull(uri('001_init.sql'));
  });

  it('writes the reconciling SQL, which applied leaves no drift; the lenses follow the refresh', async () => {
    const r = await client.conn.sendRequest(DbDriftSqlRequest, { id: 'drift', mode: 'reconcile' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.findings, 5);
    assert.match(r.sql, /^-- Reconciling migration/);
    for (const line of [
      'GRANT SELECT ON TABLE app.orders TO app_reader;',
      'REVOKE INSERT ON TABLE app.orders FROM app_reader;',
      'ALTER TABLE app.orders ENABLE ROW LEVEL SECURITY;',
      'ALTER POLICY own ON app.orders TO app_reader;',
      'DROP ROLE intruder;',
    ])
      assert.ok(r.sql.split('\n').includes(line), `${line} in\n${r.sql}`);
    const adopt = await client.conn.sendRequest(DbDriftSqlRequest, { id: 'drift', mode: 'adopt' });
    assert.ok(adopt.ok);
    assert.equal(adopt.newFile, uri('002_adopt_live_access.sql'));
    assert.match(adopt.sql, /^CREATE ROLE intruder WITH .*\bLOGIN\b.*;$/m);
    assert.ok(adopt.sql.split('\n').includes('REVOKE SELECT ON TABLE app.orders FROM app_reader;'), adopt.sql);
    assert.ok(!adopt.sql.includes('platform_admin'));

    pg.psql(r.sql, 'drift_app');
    const before = client.lensRefreshes;
    const refreshed = await client.conn.sendRequest(DbRefreshRequest, { id: 'drift' });
    assert.ok(refreshed.ok);
    await until(() => (client.lensRefreshes > before ? true : undefined), 'a codeLens refresh after the database refresh');
    const drift = (await children()).find((n) => n.label === 'Drift')!;
    assert.deepEqual((await children(drift.ref)).map((n) => n.label), ['No drift: the database has the access the migrations declare']);
    assert.deepEqual((await lenses(uri('001_init.sql'))).map((l) => l.title), Array(5).fill('live: has it'));
  });
});
