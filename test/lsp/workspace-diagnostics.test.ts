// Workspace diagnostics over stdio: a client that pulls them gets every indexed file's
// findings without opening it (exact rule ids and ranges, the same a document pull gives
// once the file opens), open documents stay with their own versioned pull, a pull with
// nothing new waits until a file changes, and "Lint Workspace" reports totals with progress.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, Diagnostic, WorkDoneProgress, WorkspaceDiagnosticReport } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp';

const summary = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();

describe('workspace diagnostics over stdio', function () {
  this.timeout(30_000);
  let dir: string;
  let c: LspClient;
  const uriOf = (rel: string) => pathToFileURL(join(dir, rel)).toString();
  const workspacePull = (previousResultIds: Array<{ uri: string; value: string }> = [], token?: CancellationTokenSource) =>
    (token
      ? c.conn.sendRequest('workspace/diagnostic', { previousResultIds }, token.token)
      : c.conn.sendRequest('workspace/diagnostic', { previousResultIds })) as Promise<WorkspaceDiagnosticReport>;
  /** A token cancelled shortly: a pull that would wait answers empty instead. */
  const cancelSoon = () => {
    const cts = new CancellationTokenSource();
    setTimeout(() => cts.cancel(), 1500);
    return cts;
  };
  const byUri = (r: WorkspaceDiagnosticReport) => new Map(r.items.map((i) => [i.uri, i]));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-wsdiag-'));
    mkdirSync(join(dir, 'migrations'));
    writeFileSync(join(dir, 'migrations', '001_grants.sql'), 'CREATE TABLE accounts (id int);\nGRANT SELECT ON accounts TO PUBLIC;\n');
    writeFileSync(join(dir, 'migrations', '002_roles.sql'), '-- roles\nCREATE ROLE admin WITH LOGIN SUPERUSER;\n');
    writeFileSync(join(dir, 'migrations', '003_clean.sql'), 'CREATE TABLE notes (id int);\n');
    writeFileSync(join(dir, 'pg_hba.conf'), '# local\nhostssl all all 10.0.0.0/8 trust\n');
    c = await LspClient.start({ mode: 'pull', rootUri: pathToFileURL(dir).toString() });
  });
  after(async () => {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('announces workspace diagnostics to a client that pulls', () => {
    assert.deepEqual(c.capabilities.diagnosticProvider, { interFileDependencies: true, workspaceDiagnostics: true });
  });

  it('reports closed files from disk with exact rule ids and ranges, each with a result id', async () => {
    const r = byUri(await workspacePull());
    const grants = r.get(uriOf('migrations/001_grants.sql'));
    const roles = r.get(uriOf('migrations/002_roles.sql'));
    const clean = r.get(uriOf('migrations/003_clean.sql'));
    assert.ok(grants && grants.kind === 'full' && roles && roles.kind === 'full' && clean && clean.kind === 'full', `reports for ${[...r.keys()].join(', ')}`);
    assert.deepEqual(summary(grants.items), ['grant-to-public@1:28-1:34']);
    assert.deepEqual(summary(roles.items), ['superuser-role@1:29-1:38']);
    assert.deepEqual(clean.items, []);
    // Not only SQL: a pg_hba.conf nobody opened.
    const hba = r.get(uriOf('pg_hba.conf'));
    assert.deepEqual(summary(hba?.kind === 'full' ? hba.items : []), ['hba-superuser-remote@1:12-1:15', 'hba-trust@1:27-1:32', 'hba-wide-network@1:16-1:26']);
    assert.equal(grants.version, null, 'a closed file has no editor version');
    assert.ok(grants.resultId && roles.resultId && grants.resultId !== roles.resultId);
    assert.equal(grants.items[0].source, 'pgwarden');
  });

  it('a file opened reports through its own versioned pull, the same findings for the same text', async () => {
    const uri = uriOf('migrations/001_grants.sql');
    const before = byUri(await workspacePull()).get(uri);
    c.open(uri, 'sql', 'CREATE TABLE accounts (id int);\nGRANT SELECT ON accounts TO PUBLIC;\n');
    const pulled = await c.pull(uri);
    assert.deepEqual(summary(pulled), summary(before && before.kind === 'full' ? before.items : []));
    // While it is open the workspace report leaves it to the document pull (which an edit changes).
    c.change(uri, 'GRANT SELECT ON accounts TO PUBLIC;\nGRANT INSERT ON accounts TO PUBLIC;\n');
    assert.deepEqual(summary(await c.pull(uri)), ['grant-to-public@0:28-0:34', 'grant-to-public@1:28-1:34']);
    const r = byUri(await workspacePull());
    assert.equal(r.has(uri), false, 'an open document is not in the workspace report');
    assert.ok(r.has(uriOf('migrations/002_roles.sql')));
    // Closed again, it reads from disk: the client's last document pull gets the disk's findings.
    c.close(uri);
    for (const deadline = Date.now() + 10_000; ; ) {
      const items = await c.pull(uri);
      if (JSON.stringify(summary(items)) === JSON.stringify(['grant-to-public@1:28-1:34'])) break;
      if (Date.now() > deadline) throw new Error(`after closing: ${JSON.stringify(summary(items))}`);
    }
  });

  it('a pull with nothing new waits, then answers only the file that changed on disk', async () => {
    const first = await workspacePull();
    const held = first.items.map((i) => ({ uri: i.uri, value: i.resultId! }));
    let answered = false;
    const pending = workspacePull(held).then((r) => {
      answered = true;
      return r;
    });
    // Nothing changed: the request stays open (the client would otherwise ask again and again).
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(answered, false, 'a pull with nothing new answered at once');
    const path = join(dir, 'migrations', '003_clean.sql');
    writeFileSync(path, 'CREATE TABLE notes (id int);\nGRANT SELECT ON notes TO PUBLIC;\n');
    void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('migrations/003_clean.sql'), type: 2 }] });
    const r = await pending;
    assert.deepEqual(r.items.map((i) => i.uri), [uriOf('migrations/003_clean.sql')]);
    assert.deepEqual(summary(r.items[0].kind === 'full' ? r.items[0].items : []), ['grant-to-public@1:25-1:31']);
  });

  it('a held pull ends when the client cancels it', async () => {
    const first = await workspacePull();
    const cts = new CancellationTokenSource();
    const pending = workspacePull(first.items.map((i) => ({ uri: i.uri, value: i.resultId! })), cts);
    cts.cancel();
    const r = await pending.catch((err: { code?: number }) => ({ cancelled: err.code }));
    assert.ok('cancelled' in r || r.items.length === 0, `answer after cancelling: ${JSON.stringify(r)}`);
  });

  it('a deleted file\'s findings are cleared', async () => {
    const first = await workspacePull();
    const held = first.items.map((i) => ({ uri: i.uri, value: i.resultId! }));
    const gone = uriOf('migrations/002_roles.sql');
    rmSync(join(dir, 'migrations', '002_roles.sql'));
    void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: gone, type: 3 }] });
    const r = await workspacePull(held);
    const reported = byUri(r);
    assert.deepEqual(reported.get(gone), { kind: 'full', uri: gone, version: null, resultId: reported.get(gone)?.resultId, items: [] });
    // The others are reported again only because the role their fixes offer left with the file.
    const grants = reported.get(uriOf('migrations/001_grants.sql'));
    assert.deepEqual(summary(grants?.kind === 'full' ? grants.items : []), ['grant-to-public@1:28-1:34']);
    // Now the client holds the empty report: it is not sent again.
    const again = await workspacePull(r.items.map((i) => ({ uri: i.uri, value: i.resultId! })).concat(held.filter((h) => !reported.has(h.uri))), cancelSoon());
    assert.deepEqual(again.items, []);
  });

  it('Lint Workspace answers the totals, open files included, and reports progress', async () => {
    const token = 'lint-1';
    const progress: string[] = [];
    c.conn.onProgress(WorkDoneProgress.type, token, (v) => void progress.push(v.kind));
    const open = uriOf('scratch.sql');
    c.open(open, 'sql', 'CREATE ROLE boss SUPERUSER;\n');
    assert.deepEqual(summary(await c.pull(open)), ['superuser-role@0:17-0:26']);
    const r = (await c.conn.sendRequest('pgwarden/lintWorkspace', { workDoneToken: token })) as { files: number; errors: number; warnings: number };
    // Closed: 001 and 003 (a grant-to-public warning each), pg_hba.conf (hba-trust error,
    // hba-superuser-remote warning, hba-wide-network info); open: scratch.sql (a superuser-role error).
    assert.deepEqual(r, { files: 4, errors: 2, warnings: 3 });
    assert.equal(progress[0], 'begin');
    assert.equal(progress.at(-1), 'end');
  });

  describe('a nested project\'s pgwarden.json nobody opened', () => {
    let root: string;
    let nc: LspClient;
    before(async () => {
      root = mkdtempSync(join(tmpdir(), 'pgwarden-wsdiag-config-'));
      for (const p of ['ok', 'typo', 'broken']) {
        mkdirSync(join(root, p));
        writeFileSync(join(root, p, 'package.json'), '{}\n');
        writeFileSync(join(root, p, 'schema.sql'), 'CREATE TABLE t (id int);\n');
      }
      writeFileSync(join(root, 'ok', 'pgwarden.json'), '{ "rules": { "grant-to-public": "off" } }\n');
      writeFileSync(join(root, 'typo', 'pgwarden.json'), '{\n  "rules": { "grant-to-pubilc": "off" }\n}\n');
      writeFileSync(join(root, 'broken', 'pgwarden.json'), '{\n  "rules": {\n');
      nc = await LspClient.start({ mode: 'pull', rootUri: pathToFileURL(root).toString() });
    });
    after(async () => {
      await nc.stop();
      rmSync(root, { recursive: true, force: true });
    });

    it('reports its problems at their place, syntax errors included (no JSON support looks at a closed file)', async () => {
      const r = (await nc.conn.sendRequest('workspace/diagnostic', { previousResultIds: [] })) as WorkspaceDiagnosticReport;
      const items = new Map(r.items.map((i) => [i.uri, i.kind === 'full' ? i.items : []]));
      const at = (p: string) => items.get(pathToFileURL(join(root, p, 'pgwarden.json')).toString());
      assert.deepEqual(at('ok'), [], [...items.keys()].join(' '));
      assert.deepEqual(
        at('typo')?.map((d) => [d.message, d.range.start.line, d.range.start.character, d.range.end.character, d.severity]),
        [['unknown rule "grant-to-pubilc"', 1, 13, 30, 1]],
      );
      const broken = at('broken') ?? [];
      assert.equal(broken.length, 1, JSON.stringify(broken));
      assert.match(String(broken[0].message), /pgwarden\.json|JSON/);
      assert.equal(broken[0].severity, 1);
    });

    it('an opened one reports through its document pull, and leaves the workspace report', async () => {
      const uri = pathToFileURL(join(root, 'typo', 'pgwarden.json')).toString();
      nc.open(uri, 'json', '{\n  "rules": { "grant-to-pubilc": "off" }\n}\n');
      assert.deepEqual((await nc.pull(uri)).map((d) => d.message), ['unknown rule "grant-to-pubilc"']);
      const r = (await nc.conn.sendRequest('workspace/diagnostic', { previousResultIds: [] })) as WorkspaceDiagnosticReport;
      assert.equal(r.items.some((i) => i.uri === uri), false);
    });
  });
});
