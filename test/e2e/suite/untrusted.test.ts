// Restricted Mode: the workspace is not trusted. pgwarden still lints (it declares
// limited support for untrusted workspaces) but must never connect to a database; the
// runner counts connections on a canary port named in the workspace settings and
// fails the run if anything reached it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, closeAll, EXTENSION_ID, expectDiagnostics, fileUri, open } from './util';

/** Whether the installed manifest has the live-database view (the feature may land later). */
function hasLiveDatabase(): boolean {
  const views = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON?.contributes?.views ?? {};
  return Object.values(views as Record<string, Array<{ id: string }>>).some((list) => list.some((v) => v.id === 'pgwarden.roles'));
}

describe('untrusted workspace (Restricted Mode)', () => {
  after(closeAll);

  it('is really untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('still lints SQL files', async () => {
    await open('migrations/001_grants.sql');
    await activeExtension();
    await expectDiagnostics(fileUri('migrations/001_grants.sql'), ['grant-to-public@1:38-1:44']);
  });

  it('still lints pg_hba.conf', async () => {
    await open('pg_hba.conf');
    await expectDiagnostics(fileUri('pg_hba.conf'), [
      'hba-no-ssl@2:0-2:4',
      'hba-superuser-remote@2:18-2:21',
      'hba-open-address@2:24-2:33',
      'hba-trust@2:38-2:43',
      'hba-shadowed@3:0-3:51',
    ]);
  });

  it('refuses to connect, even to a connection from user settings', async function () {
    if (!hasLiveDatabase()) this.skip();
    const r = (await vscode.commands.executeCommand('pgwarden.connect', 'canary-user')) as { status: string; kind?: string } | undefined;
    assert.equal(r?.status, 'error', JSON.stringify(r));
    assert.equal(r?.kind, 'untrusted');
    // The workspace's own profile ("canary") is not even read in Restricted Mode; the
    // runner's connection counter on the canary port covers it.
    // The runner also checks that no TCP connection reached the canary port.
  });
});
