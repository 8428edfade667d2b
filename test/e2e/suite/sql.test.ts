// SQL linting in the real workbench: exact diagnostics, quick fixes through the code
// action provider, fix-all on save, suppression comments and pgwarden.json changes.
// The runner gives every run a fresh copy of test/e2e/workspace, so tests may edit it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, closeAll, expectDiagnostics, fileUri, open, pgwardenDiagnostics, waitFor } from './util';

const DOCS = 'https://github.com/pgwarden/pgwarden/blob/main/docs/rules/';

async function codeActions(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
  return actions.filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
}

async function writeConfig(json: unknown): Promise<void> {
  await vscode.workspace.fs.writeFile(fileUri('pgwarden.json'), Buffer.from(JSON.stringify(json, null, 2) + '\n'));
}

describe('SQL linting', () => {
  before(async () => {
    await open('migrations/001_grants.sql');
    await activeExtension();
  });
  afterEach(closeAll);

  it('reports each finding exactly once, with source, code, severity and docs link', async () => {
    const uri = fileUri('migrations/001_grants.sql');
    await open('migrations/001_grants.sql');
    const [d] = await expectDiagnostics(uri, ['grant-to-public@1:38-1:44']);
    assert.equal(d.source, 'pgwarden');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(d.message, /GRANT to PUBLIC/);
    const code = d.code as { value: string; target: vscode.Uri };
    assert.equal(typeof code, 'object', 'the code carries a docs link');
    assert.equal(code.target.toString(true), `${DOCS}grant-to-public.md`);
  });

  it('applies a quick fix from vscode.executeCodeActionProvider and the finding goes away', async () => {
    const uri = fileUri('migrations/001_grants.sql');
    const editor = await open('migrations/001_grants.sql');
    const [d] = await expectDiagnostics(uri, ['grant-to-public@1:38-1:44']);
    const actions = await codeActions(uri, d.range);
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.title.startsWith('Replace PUBLIC with a named role (unsafe: '));
    assert.ok(fix, `quick fix offered; got ${JSON.stringify(titles)}`);
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    // The replacement role is a placeholder the user must choose, so the fix is not
    // preferred (and fix-all skips it). executeCodeActionProvider drops
    // CodeAction.diagnostics on the way back, so that link cannot be checked here.
    assert.equal(fix.isPreferred, false, 'a placeholder fix is not preferred');
    assert.ok(titles.some((t) => /Disable grant-to-public for this line/.test(t)), `a suppression action is offered; got ${JSON.stringify(titles)}`);
    assert.ok(fix.edit, 'the fix carries its edit');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(editor.document.lineAt(1).text, 'GRANT SELECT ON TABLE app.accounts TO app_role;');
    await expectDiagnostics(uri, []);
  });

  it('applies only the safe fixes on an explicit save with editor.codeActionsOnSave source.fixAll.pgwarden', async () => {
    const uri = fileUri('migrations/002_fixall.sql');
    const editor = await open('migrations/002_fixall.sql');
    await expectDiagnostics(uri, ['grant-option@3:46-3:63', 'superuser-role@4:24-4:33', 'grant-to-public@5:38-5:44', 'weak-setting@6:35-6:38']);
    const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
    const fixAll = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, whole, 'source.fixAll.pgwarden');
    assert.deepEqual(
      fixAll.map((a) => a.kind?.value),
      ['source.fixAll.pgwarden'],
      'exactly one fix-all action is offered for the kind',
    );
    // An edit makes the save a real one; the explicit save command runs the participants.
    await editor.edit((b) => b.insert(new vscode.Position(editor.document.lineCount, 0), '-- reviewed\n'));
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor('the save to finish', () => !editor.document.isDirty);
    const onDisk = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    assert.equal(
      onDisk,
      '-- Saving this file with source.fixAll.pgwarden applies only safe fixes: logging connections\n' +
        '-- again changes nothing the server accepts, so fix-all turns it on. The other fixes can lock\n' +
        '-- a role or an application out (or need a role name chosen), so fix-all leaves them alone.\n' +
        'GRANT SELECT ON TABLE app.orders TO reporting WITH GRANT OPTION;\n' +
        'CREATE ROLE batch_admin SUPERUSER;\n' +
        'GRANT SELECT ON TABLE app.invoices TO PUBLIC;\n' +
        'ALTER SYSTEM SET log_connections = on;\n' +
        '-- reviewed\n',
    );
    await expectDiagnostics(uri, ['grant-option@3:46-3:63', 'superuser-role@4:24-4:33', 'grant-to-public@5:38-5:44']);
  });

  it('honours a pgwarden-disable-next-line comment and reports the statement it does not cover', async () => {
    const uri = fileUri('migrations/003_suppressed.sql');
    await open('migrations/003_suppressed.sql');
    await expectDiagnostics(uri, ['grant-to-public@3:39-3:45']);
  });

  it('adds a suppression comment through "Disable grant-to-public for this line"', async () => {
    const uri = fileUri('migrations/003_suppressed.sql');
    const editor = await open('migrations/003_suppressed.sql');
    const [d] = await expectDiagnostics(uri, ['grant-to-public@3:39-3:45']);
    const disable = (await codeActions(uri, d.range)).find((a) => /Disable grant-to-public for this line/.test(a.title));
    assert.ok(disable?.edit, 'the disable action carries an edit');
    assert.ok(await vscode.workspace.applyEdit(disable.edit));
    assert.match(editor.document.getText(), /pgwarden-disable-next-line grant-to-public[^\n]*\nGRANT SELECT ON TABLE app\.customers TO PUBLIC;/);
    await expectDiagnostics(uri, []);
  });

  it('re-lints open files when pgwarden.json changes', async () => {
    const uri = fileUri('migrations/004_config.sql');
    await open('migrations/004_config.sql');
    await expectDiagnostics(uri, ['grant-to-public@1:39-1:45']);
    try {
      await writeConfig({ rules: { 'grant-to-public': 'off' } });
      await expectDiagnostics(uri, []);
      await writeConfig({ rules: { 'grant-to-public': 'error' } });
      const [d] = await expectDiagnostics(uri, ['grant-to-public@1:39-1:45']);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    } finally {
      await writeConfig({ rules: {} });
    }
    await waitFor('the severity back to warning', () => pgwardenDiagnostics(uri).some((x) => x.severity === vscode.DiagnosticSeverity.Warning));
  });

  it('keeps linting after pgwarden.restartServer', async () => {
    const uri = fileUri('migrations/004_config.sql');
    const editor = await open('migrations/004_config.sql');
    await expectDiagnostics(uri, ['grant-to-public@1:39-1:45']);
    await vscode.commands.executeCommand('pgwarden.restartServer');
    await editor.edit((b) => b.insert(new vscode.Position(editor.document.lineCount, 0), 'GRANT USAGE ON SCHEMA app TO PUBLIC;\n'));
    await expectDiagnostics(uri, ['grant-to-public@1:39-1:45', 'grant-to-public@2:29-2:35']);
  });

  it('comes back after its server process is killed: the client restarts it and diagnostics return', async () => {
    const uri = fileUri('migrations/004_config.sql');
    const editor = await open('migrations/004_config.sql');
    await expectDiagnostics(uri, ['grant-to-public@1:39-1:45']);
    const api = (await activeExtension()).exports as { ctx: { client?: { sendRequest(method: string): Promise<{ pid: number }> } } };
    const status = () => api.ctx.client!.sendRequest('pgwarden/status');
    const before = (await status()).pid;
    process.kill(before, 'SIGKILL');
    const after = await waitFor('a new server process', async () => {
      try {
        const pid = (await status()).pid;
        return pid !== before ? pid : undefined;
      } catch {
        return undefined;
      }
    }, 60_000);
    assert.notEqual(after, before);
    await editor.edit((b) => b.insert(new vscode.Position(editor.document.lineCount, 0), 'GRANT USAGE ON SCHEMA app TO PUBLIC;\n'));
    await expectDiagnostics(uri, ['grant-to-public@1:39-1:45', 'grant-to-public@2:29-2:35']);
  });

  it('hovering a GRANT shows what it changes about access, with the members that inherit it', async () => {
    const rel = 'migrations/006_impact.sql';
    const uri = fileUri(rel);
    const sql = ['CREATE ROLE web_anon NOLOGIN;', 'CREATE ROLE api LOGIN IN ROLE web_anon;', 'CREATE TABLE orders (id int);', 'CREATE TABLE items (id int);', 'GRANT SELECT ON orders, items TO web_anon;'];
    await vscode.workspace.fs.writeFile(uri, Buffer.from(sql.join('\n') + '\n'));
    await open(rel);
    // The hover is Markdown with names escaped; the reader sees it unescaped.
    const shown = (c: vscode.MarkdownString | vscode.MarkedString) => (typeof c === 'string' ? c : c.value).replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1').replace(/\n+/g, '\n');
    const text = await waitFor('the impact hover', async () => {
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(4, 3))) ?? [];
      return hovers.flatMap((h) => h.contents.map(shown)).find((v) => v.startsWith('pgwarden: access'));
    });
    assert.equal(text, 'pgwarden: access\n- after this statement, role web_anon and 1 member (api) can SELECT table public.orders (+1 table)');
    await vscode.workspace.fs.delete(uri);
  });
});
