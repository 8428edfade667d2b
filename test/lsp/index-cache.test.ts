// The editor's workspace index keeps each file's facts in the cache file the extension
// names (its workspace storage): a server started again over unchanged files parses none
// of them, and its findings still count every file's facts. Parses are counted, not timed.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, until } from '../support/lsp';

interface Status {
  indexedFiles: number;
  parses: number;
  indexCacheHits: number;
}

/** accounts gets RLS and a policy for app; notes is granted to app without RLS. */
const RLS_002 = 'ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON accounts TO app USING (id > 0);\nGRANT SELECT ON accounts, notes TO app;\n';

const summary = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`).sort();

describe('language server: the workspace index cache', function () {
  this.timeout(60_000);
  let dir: string;
  let root: string;
  let cacheFile: string;
  let c: LspClient | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-index-'));
    root = join(dir, 'project');
    cacheFile = join(dir, 'storage', 'index.pgwardencache');
    mkdirSync(join(root, 'migrations'), { recursive: true });
    writeFileSync(join(root, 'migrations', '001_tables.sql'), 'CREATE TABLE accounts (id int);\nCREATE TABLE notes (id int);\n');
    writeFileSync(join(root, 'migrations', '002_rls.sql'), RLS_002);
    writeFileSync(join(root, 'migrations', '003_fn.sql'), "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;\n");
  });
  afterEach(async () => {
    await c?.stop();
    c = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts a server on the project and waits until it has indexed its files. */
  async function start(): Promise<Status> {
    c = await LspClient.start({ mode: 'pull', rootUri: pathToFileURL(root).toString(), initializationOptions: { indexCache: cacheFile } });
    return until(async () => {
      const s = (await c!.conn.sendRequest('pgwarden/status')) as Status;
      return s.indexedFiles === 3 ? s : undefined;
    }, 'the workspace indexed');
  }

  /** 001_tables.sql's diagnostics: accounts has RLS in 002 (from the index), notes has none. */
  async function tablesDiagnostics(): Promise<string[]> {
    const uri = pathToFileURL(join(root, 'migrations', '001_tables.sql')).toString();
    c!.open(uri, 'sql', 'CREATE TABLE accounts (id int);\nCREATE TABLE notes (id int);\n');
    return summary(await until(async () => ((await c!.pull(uri)).length ? c!.pull(uri) : undefined), 'diagnostics of 001_tables.sql'));
  }

  it('a second start over unchanged files parses nothing and finds the same', async () => {
    const first = await start();
    assert.ok(first.parses >= 3, `parsed ${first.parses}`);
    assert.equal(first.indexCacheHits, 0);
    assert.deepEqual(await tablesDiagnostics(), ['missing-rls@1:13']);
    await c!.stop();
    assert.ok(existsSync(cacheFile));

    const second = await start();
    assert.equal(second.parses, 0);
    assert.equal(second.indexCacheHits, 3);
    // Opening a file parses that file only; the facts of 002 come from the cache.
    assert.deepEqual(await tablesDiagnostics(), ['missing-rls@1:13']);
  });

  it('a changed file is parsed again and its new facts count', async () => {
    await start();
    await c!.stop();
    // RLS no longer enabled on accounts: 001 reports both tables.
    writeFileSync(join(root, 'migrations', '002_rls.sql'), RLS_002.replace('ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;\n', ''));
    const again = await start();
    assert.equal(again.indexCacheHits, 2);
    assert.ok(again.parses >= 1);
    assert.deepEqual(await tablesDiagnostics(), ['missing-rls@0:13', 'missing-rls@1:13']);
  });

  it('a damaged cache file is started afresh', async () => {
    mkdirSync(join(dir, 'storage'));
    writeFileSync(cacheFile, '{"pgwarden":"lint-cache", broken');
    const s = await start();
    assert.equal(s.indexCacheHits, 0);
    assert.deepEqual(await tablesDiagnostics(), ['missing-rls@1:13']);
    await c!.stop();
    assert.equal((await start()).parses, 0);
  });
});
