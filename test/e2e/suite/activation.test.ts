// The packaged extension, installed from pgwarden.vsix, activates on a SQL file and
// registers its commands.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeExtension, closeAll, EXTENSION_ID, open } from './util';

describe('activation', () => {
  after(closeAll);

  it('activates the installed .vsix when a SQL file opens', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    await open('migrations/001_grants.sql');
    await activeExtension();
    // The packaged extension carries the bundles, not the sources: this is the .vsix
    // from the extensions directory, not the repository folder.
    assert.ok(fs.existsSync(path.join(ext.extensionPath, 'dist', 'server.js')), 'dist/server.js is packaged');
    assert.ok(fs.existsSync(path.join(ext.extensionPath, 'dist', 'libpg-query.wasm')), 'the parser .wasm is packaged');
    assert.equal(fs.existsSync(path.join(ext.extensionPath, 'client', 'src')), false, 'no client sources in the package');
    assert.equal(fs.existsSync(path.join(ext.extensionPath, 'node_modules')), false, 'no node_modules in the package');
    if (process.env.PGWARDEN_E2E_EXTENSIONS_DIR) {
      assert.ok(ext.extensionPath.startsWith(process.env.PGWARDEN_E2E_EXTENSIONS_DIR), `${ext.extensionPath} is under the test extensions dir`);
    }
  });

  it('registers its commands', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of ['pgwarden.showOutput', 'pgwarden.restartServer']) assert.ok(all.has(id), `${id} is registered`);
  });
});
