// Opening a large workspace: the server indexes it in batches and gives the documents
// already open provisional diagnostics (from the facts indexed so far) before the index is
// complete, then the final ones, which must equal what the whole project gives (the CLI
// over the same folder). A small workspace is indexed first, so its first diagnostics are
// final. Pushes and files are counted, nothing is timed.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, until } from '../support/lsp';

const CLI = resolve(__dirname, '../../dist/cli.js');

/** The opened file: a policy on docs, which does nothing until a later migration enables RLS on it. */
const DOCS = 'CREATE TABLE docs (id int, owner text);\nCREATE POLICY own ON docs TO app USING (owner = current_user);\nGRANT SELECT ON docs TO app;\n';
/** The last migration, indexed last. */
const RLS = 'ALTER TABLE docs ENABLE ROW LEVEL SECURITY;\n';

const summary = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`).sort();

describe('language server: opening a large workspace', function () {
  this.timeout(120_000);
  let dir: string;
  let c: LspClient | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-large-'));
  });
  afterEach(async () => {
    await c?.stop();
    c = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A project of `files` migrations: docs first, RLS on it last, small tables between. */
  function project(files: number): { root: string; docs: string } {
    const migrations = join(dir, 'project', 'migrations');
    mkdirSync(migrations, { recursive: true });
    const name = (i: number) => join(migrations, `${String(i).padStart(4, '0')}_m.sql`);
    writeFileSync(name(0), DOCS);
    for (let i = 1; i < files - 1; i++) writeFileSync(name(i), `CREATE TABLE t${i} (id int);\n`);
    writeFileSync(name(files - 1), RLS);
    return { root: join(dir, 'project'), docs: name(0) };
  }

  /** The CLI's findings for one file of the project, linted as a whole. */
  function cliFindings(root: string, file: string): string[] {
    const r = spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', root], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    const out = JSON.parse(r.stdout) as { findings: Array<{ file: string; ruleId: string; line: number; column: number }> };
    return out.findings
      .filter((f) => resolve(root, f.file) === file || resolve(f.file) === file)
      .map((f) => `${f.ruleId}@${f.line - 1}:${f.column - 1}`)
      .sort();
  }

  /** Opens `docs` right after the start, as an editor restoring its tabs does; returns its pushes once the index is complete. */
  async function openDuringIndex(root: string, docs: string, files: number): Promise<string[][]> {
    c = await LspClient.start({ mode: 'push', rootUri: pathToFileURL(root).toString() });
    const uri = pathToFileURL(docs).toString();
    c.open(uri, 'sql', DOCS);
    await until(async () => ((await c!.conn.sendRequest('pgwarden/status')) as { indexedFiles: number }).indexedFiles === files || undefined, 'the workspace indexed', 90_000);
    const final = cliFindings(root, docs);
    // The push after the index is complete is the last one and equals the whole project's findings.
    await until(async () => {
      const pushes = c!.pushed.get(uri) ?? [];
      return pushes.length > 0 && JSON.stringify(summary(pushes[pushes.length - 1].diagnostics)) === JSON.stringify(final) ? true : undefined;
    }, 'the final diagnostics', 30_000);
    return (c.pushed.get(uri) ?? []).map((p) => summary(p.diagnostics));
  }

  it('510 files: provisional diagnostics first, then exactly the whole project\'s', async () => {
    const { root, docs } = project(510);
    const final = cliFindings(root, docs);
    // With RLS enabled by the last migration, the policy is in force: no missing-rls.
    assert.ok(!final.includes('missing-rls@0:13'), final.join(' '));
    const pushes = await openDuringIndex(root, docs, 510);
    // The first push came before the last migration was indexed: the policy looked idle.
    assert.ok(pushes[0].includes('missing-rls@0:13'), `first push: ${pushes[0].join(' ')}`);
    assert.deepEqual(pushes[pushes.length - 1], final);
  });

  it('a small workspace: the first diagnostics are already final', async () => {
    const { root, docs } = project(20);
    const pushes = await openDuringIndex(root, docs, 20);
    const final = cliFindings(root, docs);
    assert.deepEqual(pushes[0], final);
    assert.ok(pushes.every((p) => JSON.stringify(p) === JSON.stringify(final)), pushes.map((p) => p.join(' ')).join(' | '));
  });
});
