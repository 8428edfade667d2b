// Workspace-wide results in the real workbench: a file nobody opened has its findings in
// Problems (the server's workspace diagnostic report), exactly once, and
// "pgwarden: Lint Workspace" answers totals that agree with what Problems holds.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, closeAll, codeOf, expectDiagnostics, fileUri, waitFor, workspaceRoot } from './util';

describe('workspace diagnostics', () => {
  before(async () => {
    await activeExtension();
    await closeAll();
  });

  it('shows a closed file\'s findings in Problems without opening it', async () => {
    const uri = fileUri('migrations/003_suppressed.sql');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'the file is not open');
    const [d] = await expectDiagnostics(uri, ['grant-to-public@3:39-3:45']);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(d.message, /GRANT to PUBLIC/);
    assert.ok(!vscode.workspace.textDocuments.some((doc) => doc.uri.toString() === uri.toString()), 'reading its findings did not open it');
  });

  it('pgwarden.lintWorkspace lints every file and its totals match Problems', async () => {
    const files = await vscode.workspace.findFiles('**/{*.sql,pg_hba.conf,pg_ident.conf,postgresql.conf,pgwarden.json}');
    const r = await vscode.commands.executeCommand<{ files: number; errors: number; warnings: number }>('pgwarden.lintWorkspace');
    assert.ok(r, 'the command answers its totals');
    assert.equal(r.files, files.length);
    const counted = await waitFor('Problems to hold the totals Lint Workspace reported', () => {
      let errors = 0;
      let warnings = 0;
      for (const [, list] of vscode.languages.getDiagnostics()) {
        for (const d of list.filter((x) => x.source === 'pgwarden')) {
          if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
          else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++;
        }
      }
      return errors === r.errors && warnings === r.warnings && { errors, warnings };
    });
    assert.ok(counted.errors + counted.warnings > 0);
    // Every file with findings is in the report, SQL and server configuration alike, none of them opened.
    const root = `${workspaceRoot().path}/`;
    const reported = vscode.languages
      .getDiagnostics()
      .filter(([, list]) => list.some((d) => d.source === 'pgwarden'))
      .map(([u]) => u.path.slice(root.length))
      .sort();
    assert.deepEqual(reported, ['migrations/001_grants.sql', 'migrations/002_fixall.sql', 'migrations/003_suppressed.sql', 'migrations/004_config.sql', 'pg_hba.conf', 'pg_ident.conf', 'postgresql.conf']);
    assert.deepEqual(
      vscode.languages.getDiagnostics(fileUri('migrations/001_grants.sql')).filter((d) => d.source === 'pgwarden').map(codeOf),
      ['grant-to-public'],
    );
  });
});
