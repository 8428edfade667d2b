#!/usr/bin/env node
// `npm run test:vscode`: the same extension-host suite under @vscode/test-electron, for
// machines that can download VS Code (this one cannot; run.mjs drives code-server here).
// It installs the packaged pgwarden.vsix into a temporary extensions dir with VS Code's
// own CLI, then runs the suite twice: trusted, and in Restricted Mode.
//
//   node test/e2e/electron.mjs            (VS Code version: PGWARDEN_VSCODE_VERSION, default 1.100.3)
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageVsix } from '../../scripts/package.mjs';
import { USER_SETTINGS } from './codeserver.mjs';
import { compileSuite, copyWorkspace, HOST_EXTENSION } from './prepare.mjs';

const version = process.env.PGWARDEN_VSCODE_VERSION ?? '1.100.3';
const tmp = mkdtempSync(join(tmpdir(), 'pgwarden-electron-'));
let failed = false;
try {
  const { vsix } = packageVsix();
  const testsIndex = await compileSuite();
  const vscodeExecutablePath = await downloadAndUnzipVSCode(version);
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
  const extensionsDir = join(tmp, 'extensions');
  const install = spawnSync(cli, [...cliArgs.filter((a) => !a.startsWith('--extensions-dir')), '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], {
    encoding: 'utf8',
    stdio: 'inherit',
  });
  if (install.status !== 0) throw new Error(`installing ${vsix} failed`);

  for (const trust of ['trusted', 'untrusted']) {
    const userData = join(tmp, `user-data-${trust}`);
    mkdirSync(join(userData, 'User'), { recursive: true });
    writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
    const folder = copyWorkspace(tmp, `ws-${trust}`);
    console.log(`\n=== @vscode/test-electron, ${trust} workspace ===`);
    try {
      await runTests({
        vscodeExecutablePath,
        extensionDevelopmentPath: HOST_EXTENSION,
        extensionTestsPath: testsIndex,
        extensionTestsEnv: { PGWARDEN_E2E_TRUST: trust, PGWARDEN_E2E_EXTENSIONS_DIR: extensionsDir },
        launchArgs: [
          folder,
          '--extensions-dir',
          extensionsDir,
          '--user-data-dir',
          userData,
          '--disable-gpu',
          ...(trust === 'trusted' ? ['--disable-workspace-trust'] : []),
        ],
      });
    } catch (err) {
      console.error(`${trust}: ${err instanceof Error ? err.message : err}`);
      failed = true;
    }
  }
} catch (err) {
  console.error(`test:vscode FAILED: ${err instanceof Error ? err.stack ?? err.message : err}`);
  failed = true;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
