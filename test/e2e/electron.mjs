#!/usr/bin/env node
// `npm run test:vscode`: the same extension-host suite under @vscode/test-electron, for
// machines that can download VS Code (this one cannot; run.mjs drives code-server here).
// It installs the packaged pgwarden.vsix into a temporary extensions dir with VS Code's
// own CLI, then runs the suite twice: trusted, and in Restricted Mode. On a machine
// without a display, run it under xvfb-run.
//
//   node test/e2e/electron.mjs            (VS Code version: PGWARDEN_VSCODE_VERSION, default 1.100.3)
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath } from '@vscode/test-electron';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageVsix } from '../../scripts/package.mjs';
import { USER_SETTINGS } from './codeserver.mjs';
import { compileSuite, copyWorkspace, HOST_EXTENSION } from './prepare.mjs';

/**
 * Starts VS Code with the test arguments and resolves with its exit code (the suite's).
 * runTests() from @vscode/test-electron always adds --disable-workspace-trust, so the
 * Restricted Mode run needs its own launch; both runs use this one for symmetry.
 */
function launch(executable, args, env) {
  return new Promise((resolveCode) => {
    const child = spawn(executable, args, { env: { ...process.env, ...env }, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolveCode(code ?? (signal ? 1 : 0)));
  });
}

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
    const code = await launch(vscodeExecutablePath, [
      folder,
      `--extensions-dir=${extensionsDir}`,
      `--user-data-dir=${userData}`,
      `--extensionDevelopmentPath=${HOST_EXTENSION}`,
      `--extensionTestsPath=${testsIndex}`,
      '--no-sandbox',
      '--disable-gpu-sandbox',
      '--disable-updates',
      '--skip-welcome',
      '--skip-release-notes',
      ...(trust === 'trusted' ? ['--disable-workspace-trust'] : []),
    ], { PGWARDEN_E2E_TRUST: trust, PGWARDEN_E2E_EXTENSIONS_DIR: extensionsDir });
    console.log(`${trust}: exit code ${code}`);
    if (code !== 0) failed = true;
  }
} catch (err) {
  console.error(`test:vscode FAILED: ${err instanceof Error ? err.stack ?? err.message : err}`);
  failed = true;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
