#!/usr/bin/env node
// Installs code-server 4.100.3 (VS Code 1.100.3, the last line that runs on Node 20)
// into a cache directory outside the repository, so the e2e suite and the demo can run
// a real VS Code workbench and extension host without downloading VS Code itself.
//
// The recipe is the one measured in ../shared/reference/vscode-offline-testing.md:
// code-server's postinstall is skipped because @vscode/ripgrep would download `rg`
// from GitHub; the native modules are rebuilt against the system headers instead and
// Debian's /usr/bin/rg is linked in. A marker file written after the last step makes
// the script idempotent: a second run returns at once, a failed run starts over.
//
//   node scripts/install-code-server.mjs            install (or confirm) and print the entry path
//   PGWARDEN_CODE_SERVER_DIR=/somewhere node ...    install somewhere else
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
const MARKER = '.pgwarden-installed';

/** The directory the installer uses: PGWARDEN_CODE_SERVER_DIR or the per-user cache. */
export function codeServerDir() {
  return resolve(process.env.PGWARDEN_CODE_SERVER_DIR ?? join(homedir(), '.cache', 'pgwarden', `code-server-${CODE_SERVER_VERSION}`));
}

/** The script that starts code-server (run it with the current `node`). */
export function codeServerEntry(dir = codeServerDir()) {
  return join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const pkgConfig = (name) => spawnSync('pkg-config', ['--exists', name], { stdio: 'ignore' }).status === 0;

/**
 * Lists the Debian packages whose absence would make the install fail, each with the
 * thing we looked for, so the error names exactly what to `apt-get install`.
 */
export function missingPrerequisites() {
  const missing = [];
  const need = (ok, pkg, what) => {
    if (!ok) missing.push({ pkg, what });
  };
  need(existsSync('/usr/bin/rg'), 'ripgrep', '/usr/bin/rg');
  need(has('make') && has('g++'), 'build-essential', 'make and g++');
  need(has('python3'), 'python3', 'python3 (node-gyp)');
  const pc = has('pkg-config');
  need(pc, 'pkg-config', 'pkg-config');
  if (pc) {
    need(pkgConfig('krb5-gssapi'), 'libkrb5-dev', 'pkg-config krb5-gssapi (kerberos module)');
    need(pkgConfig('x11'), 'libx11-dev', 'pkg-config x11 (native-keymap)');
    need(pkgConfig('xkbfile'), 'libxkbfile-dev', 'pkg-config xkbfile (native-keymap)');
    need(pkgConfig('libsecret-1'), 'libsecret-1-dev', 'pkg-config libsecret-1 (keytar)');
  }
  return missing;
}

function run(cmd, args, cwd, env = {}) {
  const t0 = Date.now();
  process.stderr.write(`[install-code-server] ${cwd}$ ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed in ${cwd} (exit ${r.status ?? r.signal}):\n${tail}`);
  }
  process.stderr.write(`[install-code-server]   done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

/** Creates (or replaces) a symbolic link; `ln -sf` semantics without a shell. */
function link(target, path) {
  try {
    lstatSync(path);
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Nothing there yet.
  }
  symlinkSync(target, path);
}

/**
 * Ensures code-server is installed and returns { dir, entry, seconds, installed }.
 * `installed` is false when the marker showed a finished earlier install.
 */
export function ensureCodeServer({ dir = codeServerDir() } = {}) {
  const entry = codeServerEntry(dir);
  const marker = join(dir, MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === CODE_SERVER_VERSION && existsSync(entry)) {
    return { dir, entry, seconds: 0, installed: false };
  }
  const missing = missingPrerequisites();
  if (missing.length) {
    throw new Error(
      `code-server cannot be installed: missing ${missing.map((m) => m.what).join(', ')}.\n` +
        `Install them with:\n  apt-get install -y ${[...new Set(missing.map((m) => m.pkg))].join(' ')}`,
    );
  }
  const t0 = Date.now();
  mkdirSync(dir, { recursive: true });
  rmSync(marker, { force: true });
  // A package.json of its own stops npm from walking up into an unrelated project.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'pgwarden-code-server-cache', private: true }, null, 2) + '\n');

  run('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--ignore-scripts', '--no-save'], dir);
  const vscode = join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  run('npm', ['install', '--omit=dev', '--ignore-scripts'], vscode);
  run('npm', ['rebuild', '@parcel/watcher', '@vscode/spdlog', 'kerberos', 'native-watchdog', '@vscode/deviceid'], vscode);
  // node-pty's install script runs `npx node-gyp`, which would stop at a prompt.
  run('npm', ['rebuild', 'node-pty'], vscode, { npm_config_yes: 'true' });
  // Debian's ripgrep stands in for the binary @vscode/ripgrep would have downloaded.
  mkdirSync(join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin'), { recursive: true });
  link('/usr/bin/rg', join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'));
  // The server resolves some modules through the Electron-style `node_modules.asar` path.
  link('node_modules', join(vscode, 'node_modules.asar'));
  link('code-linux.sh', join(vscode, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', join(vscode, 'bin', 'helpers', 'browser.sh'));
  run('npm', ['install', '--omit=dev'], join(vscode, 'extensions'));
  run('npm', ['rebuild', 'argon2'], dir, { npm_config_yes: 'true' });

  if (!existsSync(entry)) throw new Error(`code-server installed but ${entry} is missing`);
  writeFileSync(marker, CODE_SERVER_VERSION + '\n');
  return { dir, entry, seconds: (Date.now() - t0) / 1000, installed: true };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const r = ensureCodeServer();
    console.log(r.installed ? `installed code-server ${CODE_SERVER_VERSION} in ${r.seconds.toFixed(1)} s` : `code-server ${CODE_SERVER_VERSION} already installed`);
    console.log(r.entry);
  } catch (e) {
    console.error(String(e instanceof Error ? e.message : e));
    process.exit(1);
  }
}
