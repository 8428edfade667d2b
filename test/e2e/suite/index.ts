// The entry point the extension host loads as `extensionTestsPath`. It exports `run()`
// the way @vscode/test-electron expects, so the same bundle serves both the code-server
// driver (run.mjs) and the Electron runner (electron.mjs).
//
// Mocha is bundled into this file and the test modules are required lazily after
// mocha's globals exist, so nothing has to be resolved from the extension host's
// module path (mocha 12 is an ES module, which the host's loader may not accept).
import * as vscode from 'vscode';
import Mocha from 'mocha';

/** Which tests run in which workspace trust mode. */
function loadTests(trusted: boolean): void {
  if (trusted) {
    require('./activation.test');
    require('./workspace.test');
    require('./sql.test');
    require('./conf.test');
    require('./config.test');
    // The live-database tests need the real PostgreSQL the code-server runner starts.
    if (process.env.PGWARDEN_E2E_DB) require('./db.test');
  } else {
    require('./untrusted.test');
  }
}

export function run(): Promise<void> {
  // The driver says which mode it started; the workbench must agree, or the untrusted
  // run would silently test a trusted workspace.
  const expected = process.env.PGWARDEN_E2E_TRUST;
  const trusted = vscode.workspace.isTrusted;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const grep = process.env.PGWARDEN_E2E_GREP;
  if (grep) mocha.grep(grep);
  mocha.suite.emit('pre-require', globalThis, 'pgwarden-e2e', mocha);
  if (expected && expected !== (trusted ? 'trusted' : 'untrusted')) {
    return Promise.reject(new Error(`the runner started a ${expected} workspace but vscode.workspace.isTrusted is ${trusted}`));
  }
  console.log(`pgwarden e2e: workspace is ${trusted ? 'trusted' : 'untrusted (Restricted Mode)'}, VS Code ${vscode.version}`);
  loadTests(trusted);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} e2e test(s) failed`)) : resolve()));
  });
}
