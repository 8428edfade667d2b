// pg_hba.conf and postgresql.conf in the real workbench: the manifest's languages pick
// them up by file name, each finding arrives exactly once, and the suppression action
// writes a `#` comment that the server honours.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, closeAll, expectDiagnostics, fileUri, open } from './util';

const HBA = [
  'hba-no-ssl@2:0-2:4',
  'hba-superuser-remote@2:18-2:21',
  'hba-open-address@2:24-2:33',
  'hba-trust@2:38-2:43',
  'hba-shadowed@3:0-3:51',
];

describe('pg_hba.conf and postgresql.conf', () => {
  before(async () => {
    await open('migrations/001_grants.sql');
    await activeExtension();
  });
  afterEach(closeAll);

  it('lints pg_hba.conf (language pg-hba) with each finding exactly once', async () => {
    const editor = await open('pg_hba.conf');
    assert.equal(editor.document.languageId, 'pg-hba');
    const diags = await expectDiagnostics(fileUri('pg_hba.conf'), HBA);
    const trust = diags.find((d) => d.range.start.character === 38);
    assert.equal(trust?.severity, vscode.DiagnosticSeverity.Error, 'trust over TCP is an error');
  });

  it('lints pg_ident.conf (language pg-ident)', async () => {
    const editor = await open('pg_ident.conf');
    assert.equal(editor.document.languageId, 'pg-ident');
    const [d] = await expectDiagnostics(fileUri('pg_ident.conf'), ['ident-any-superuser@1:11-1:14']);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error, 'a catch-all map to postgres is an error');
  });

  it('lints postgresql.conf (language pg-conf)', async () => {
    const editor = await open('postgresql.conf');
    assert.equal(editor.document.languageId, 'pg-conf');
    await expectDiagnostics(fileUri('postgresql.conf'), ['conf-ssl@1:6-1:9']);
  });

  it('suppresses an hba finding with a # comment through "Disable hba-trust for this line"', async () => {
    const uri = fileUri('pg_hba.conf');
    const editor = await open('pg_hba.conf');
    const diags = await expectDiagnostics(uri, HBA);
    const trust = diags.find((d) => d.range.start.character === 38)!;
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, trust.range)) ?? [];
    const disable = actions.find((a) => a.title === 'Disable hba-trust for this line');
    assert.ok(disable?.edit, `offered: ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.ok(await vscode.workspace.applyEdit(disable.edit));
    assert.equal(editor.document.lineAt(2).text, '# pgwarden-disable-next-line hba-trust');
    // Every other finding stays, one line further down.
    await expectDiagnostics(uri, ['hba-no-ssl@3:0-3:4', 'hba-superuser-remote@3:18-3:21', 'hba-open-address@3:24-3:33', 'hba-shadowed@4:0-4:51']);
  });
});
