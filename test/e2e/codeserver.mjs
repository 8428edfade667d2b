// Starting and stopping a sandboxed code-server (VS Code 1.100.3's server and
// workbench) and Debian's Chromium. Shared by the e2e driver (run.mjs), the
// screenshots command and the demo, following ../shared/reference/vscode-offline-testing.md:
// a private HOME and XDG directories so nothing lands in ~/.config/code-server, the
// extension gallery pointed at a closed loopback port so no request leaves the machine,
// and 127.0.0.1 only.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const CHROMIUM = process.env.PGWARDEN_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** Settings that keep the workbench quiet and offline. */
export const USER_SETTINGS = {
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'git.enabled': false,
  'npm.autoDetect': 'off',
};

/** Gives an unused TCP port on 127.0.0.1 (asks the kernel, then releases it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns something truthy; throws `what` at the deadline. */
export async function poll(what, probe, deadline) {
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The directories of one sandbox under `root`: home, XDG, user data, extensions. */
export function sandbox(root, settings = {}) {
  const dirs = {
    root,
    home: join(root, 'home'),
    config: join(root, 'home', '.config'),
    data: join(root, 'home', '.local', 'share'),
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  writeUserSettings(dirs, settings);
  return dirs;
}

/** (Re)writes the sandbox's user settings: the quiet offline defaults plus `settings`. */
export function writeUserSettings(dirs, settings = {}) {
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2) + '\n');
}

/** The environment code-server (and through it the extension host) runs with. */
export function sandboxEnv(dirs, extra = {}) {
  return {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: join(dirs.home, '.cache'),
    // The workbench asks the gallery for recommendations; a closed loopback port keeps
    // that request on this machine.
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/items' }),
    VSCODE_PROXY_URI: '',
    ...extra,
  };
}

/** Installs a packaged .vsix into the sandbox's extensions dir; throws with code-server's output. */
export function installVsix(entry, vsix, dirs) {
  const r = spawnSync(process.execPath, [entry, '--install-extension', vsix, '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData, '--force'], {
    env: sandboxEnv(dirs),
    encoding: 'utf8',
    timeout: 120_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`installing ${vsix} failed (exit ${r.status ?? r.signal}):\n${out}`);
  }
  return out.trim();
}

/**
 * Starts code-server on 127.0.0.1:`port` for `folder` and waits for /healthz.
 * `trusted: false` leaves workspace trust on, so the folder opens in Restricted Mode.
 * Returns { url, port, proc, output(), stop() }.
 */
export async function startCodeServer({ entry, dirs, folder, port, trusted = true, env = {}, deadline }) {
  port ??= await freePort();
  const args = [
    entry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    ...(trusted ? ['--disable-workspace-trust'] : []),
    folder,
  ];
  // Its own process group, so stop() takes down the extension host and the server's
  // other children with it.
  const proc = spawn(process.execPath, args, { env: sandboxEnv(dirs, env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  proc.stdout.on('data', (b) => (output += b));
  proc.stderr.on('data', (b) => (output += b));
  let exited = false;
  proc.on('exit', () => (exited = true));
  const stop = () => {
    if (exited) return;
    try {
      process.kill(-proc.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await poll(`code-server on ${url}/healthz`, async () => {
      if (exited) throw new Error('exited');
      const res = await fetch(`${url}/healthz`);
      return res.ok;
    }, deadline ?? Date.now() + 60_000);
  } catch (err) {
    stop();
    throw new Error(`code-server did not come up (${err.message}${exited ? ', it exited' : ''}):\n${output.slice(-4000)}`);
  }
  return { url, port, proc, output: () => output, stop };
}

/**
 * The workbench URL for `folder`. With `tests`, the payload makes the workbench run
 * `tests.index` (its `run()` export) in the remote extension host, with
 * `tests.devExtension` as the development extension the run is attached to.
 */
export function workbenchUrl(server, folder, tests) {
  const q = new URLSearchParams({ folder });
  if (tests) {
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(tests.devExtension)],
      ['extensionTestsPath', remote(tests.index)],
      ['skipWelcome', 'true'],
    ];
    q.set('payload', JSON.stringify(payload));
  } else {
    q.set('payload', JSON.stringify([['skipWelcome', 'true']]));
  }
  return `${server.url}/?${q}`;
}

/**
 * Plays the user who types the database password when pgwarden asks for it: whenever a
 * password input shows in the workbench's quick input, fills it and presses Enter.
 * Counts the prompts, so the driver can check a stored password is not asked again.
 */
export function answerPasswordPrompts(page, password) {
  let prompts = 0;
  let dialogs = 0;
  let stopped = false;
  const loop = async () => {
    while (!stopped && !page.isClosed()) {
      // The user declines every "connect to this workspace's host?" confirmation, so the
      // runner can prove that a workspace profile alone never opens a connection.
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'workspace settings of this folder define the connection' });
      if (await dialog.isVisible().catch(() => false)) {
        await dialog.locator('.monaco-button', { hasText: 'Cancel' }).first().click().catch(() => {});
        dialogs++;
        await dialog.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
      }
      const input = page.locator('.quick-input-widget input[type="password"]');
      if (password !== undefined && (await input.isVisible().catch(() => false))) {
        await input.fill(password).catch(() => {});
        await page.keyboard.press('Enter').catch(() => {});
        prompts++;
        await input.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  void loop();
  return { count: () => prompts, dialogs: () => dialogs, stop: () => (stopped = true) };
}

/** Launches Debian's Chromium through playwright-core (no browser download). */
export async function launchChromium({ headless = true } = {}) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless, args: CHROMIUM_ARGS });
}
