// The Drift node against a real PostgreSQL, over stdio, for what only the analysis worker's
// parser can read and for edits: a policy's USING changed by hand in the database is listed
// (and the CodeLens on its CREATE POLICY says so), as `pgwarden drift` lists it; an edit of
// the migration that makes the declared expression what the database has takes the entry
// away without a Refresh, the server telling the client to redraw the node (also when an
// edit only moves the statement its entry opens); the database is not read again for an
// edit (a later hand change shows only after Refresh).

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { DbChildrenRequest, DbChildrenResult, DbConnectRequest, DbDriftChangedNotification, DbNodeRef, DbRefreshRequest, DbTreeNode, DbTrustNotification } from '../../server/src/shared/protocol';
import { LspClient, until } from '../support/lsp';
import { startCluster, TestCluster } from '../support/postgres';

const INIT = `CREATE ROLE app_reader NOLOGIN;
CREATE SCHEMA app;
CREATE TABLE app.notes (id int, owner text);
GRANT USAGE ON SCHEMA app TO app_reader;
GRANT SELECT ON app.notes TO app_reader;
ALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON app.notes FOR SELECT TO app_reader USING (owner = current_user);
`;

describe('drift in the editor: policy expressions, and the Drift node following edits', function () {
  this.timeout(120_000);
  let pg: TestCluster;
  let client: LspClient;
  let dir: string;
  const redraws: string[] = [];
  const file = () => pathToFileURL(join(dir, 'migrations', '001_init.sql')).toString();

  const children = async (ref?: DbNodeRef): Promise<DbTreeNode[]> => {
    const r = (await client.conn.sendRequest(DbChildrenRequest, { id: 'follow', ref, offset: 0, limit: 5000 })) as DbChildrenResult;
    assert.ok(r.ok, JSON.stringify(r));
    return r.items;
  };
  /** The Drift node's groups, then each group's entries, as `label | description`. */
  const listing = async (): Promise<string[]> => {
    const drift = (await children()).find((n) => n.label === 'Drift');
    assert.ok(drift?.ref);
    const out: string[] = [];
    for (const g of await children(drift.ref)) {
      out.push(`${g.label}${g.description ? ` ${g.description}` : ''}`);
      if (g.expandable && g.ref) for (const e of await children(g.ref)) out.push(`  ${e.label} | ${e.description}`);
    }
    return out;
  };
  const lens = async (line: number): Promise<string | undefined> => {
    const r = (await client.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: file() } })) as CodeLens[];
    return r.find((l) => l.range.start.line === line)?.command?.title;
  };
  /** Edits the migration and waits for the server to say the Drift node changed. */
  const edit = async (text: string): Promise<void> => {
    const before = redraws.length;
    client.change(file(), text);
    await client.pull(file());
    await until(() => (redraws.length > before ? true : undefined), 'the server telling the client to redraw the Drift node');
    assert.deepEqual(redraws.slice(before), ['follow']);
  };

  before(async () => {
    pg = await startCluster();
    pg.psql('CREATE DATABASE follow_app');
    pg.psql(INIT, 'follow_app');
    // By hand: the policy now lets every app_reader read every row.
    pg.psql('ALTER POLICY own ON app.notes USING (true);', 'follow_app');
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-drift-follow-'));
    mkdirSync(join(dir, 'migrations'));
    writeFileSync(join(dir, 'migrations', '001_init.sql'), INIT);
    client = await LspClient.start({ mode: 'pull', rootUri: pathToFileURL(dir).toString() });
    client.conn.onNotification(DbDriftChangedNotification.method, (p: { id: string }) => void redraws.push(p.id));
    await client.conn.sendNotification(DbTrustNotification, { trusted: true });
    const r = await client.conn.sendRequest(DbConnectRequest, {
      id: 'follow',
      profile: { name: 'follow', host: '127.0.0.1', port: pg.port, database: 'follow_app', user: 'postgres', sslmode: 'disable' },
      password: pg.password,
    });
    assert.equal(r.status, 'connected', JSON.stringify(r));
    client.open(file(), 'sql', INIT);
    await client.pull(file());
  });

  after(async () => {
    await client?.stop();
    pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists a USING changed by hand, with both states, as `pgwarden drift` does', async () => {
    assert.deepEqual(await listing(), ['Policies 1', '  USING of policy own on table app.notes | declared: as written · live: true']);
    const drift = (await children()).find((n) => n.label === 'Drift')!;
    const [policies] = await children(drift.ref);
    const [entry] = await children(policies.ref);
    assert.equal(
      entry.tooltip,
      "USING of policy own on table app.notes: the database has true, not the migrations' expression (differs)\nDeclared at migrations/001_init.sql:7",
    );
    assert.equal(entry.location?.range.start.line, 6);
    assert.equal(await lens(6), 'live: differs: USING of policy own is true in the database');
    // A grant the database has says so: only the policy's expression differs.
    assert.equal(await lens(4), 'live: has it');
  });

  it('follows an edit of the migration without a Refresh, and tells the client to redraw the node', async () => {
    await edit(INIT.replace('USING (owner = current_user)', 'USING (true)'));
    assert.deepEqual(await listing(), ['No drift: the database has the access the migrations declare']);
    assert.equal(await lens(6), 'live: has it');
    // A WITH CHECK the database does not have is declared, not live (and FOR ALL is not FOR SELECT).
    await edit(INIT.replace('FOR SELECT TO app_reader USING (owner = current_user)', 'TO app_reader USING (true) WITH CHECK (id > 0)'));
    assert.deepEqual(await listing(), [
      'Policies 2',
      '  policy own on table app.notes | declared: permissive for all to app_reader · live: permissive for select to app_reader',
      '  WITH CHECK of policy own on table app.notes | declared: as written · live: none',
    ]);
    await edit(INIT);
    assert.deepEqual(await listing(), ['Policies 1', '  USING of policy own on table app.notes | declared: as written · live: true']);
    // An edit that only moves the statement: the entry opens it where it stands now.
    await edit(`-- moved down a line\n${INIT}`);
    const drift = (await children()).find((n) => n.label === 'Drift')!;
    const [entry] = await children((await children(drift.ref))[0].ref);
    assert.equal(entry.location?.range.start.line, 7);
    assert.match(entry.tooltip!, /\nDeclared at migrations\/001_init\.sql:8$/);
  });

  it('compares an edit with the database as last read; Refresh reads it again', async () => {
    pg.psql('ALTER POLICY own ON app.notes USING (id > 0);', 'follow_app');
    await edit(INIT.replace('USING (owner = current_user)', 'USING (true)'));
    // The database as read on connect has USING (true): an edit does not read it again.
    assert.deepEqual(await listing(), ['No drift: the database has the access the migrations declare']);
    const refreshed = await client.conn.sendRequest(DbRefreshRequest, { id: 'follow' });
    assert.ok(refreshed.ok);
    assert.deepEqual(await listing(), ['Policies 1', '  USING of policy own on table app.notes | declared: as written · live: (id > 0)']);
  });
});
