#!/usr/bin/env node
// The e2e layer: the packaged pgwarden.vsix in a real VS Code (code-server 4.100.3 =
// VS Code 1.100.3) driven through Debian's Chromium. Steps:
//   1. install code-server into the cache on first use (scripts/install-code-server.mjs);
//   2. build and package pgwarden.vsix (scripts/package.mjs) and compile the mocha suite;
//   3. install the .vsix into a temporary extensions dir, start code-server on
//      127.0.0.1 with a private HOME, load the workbench with the suite as
//      extensionTestsPath, and take the suite's exit code from codeAutomationExit;
//   4. Playwright UI checks on the same server (squiggle, hover, quick-fix menu), with a
//      screenshot each (kept with --keep; the README's pictures come from
//      test/e2e/screenshots.mjs, `npm run screenshots`);
//   5. every view-title, row and welcome command clicked in a fresh workbench with no
//      connection yet (commands.mjs);
//   6. `pgwarden audit --format html` against the same database, its page opened in
//      Chromium from disk (report.mjs);
//   7. the same suite in an untrusted workspace (Restricted Mode): linting still works
//      and nothing connects to the canary port the workspace settings name.
//
//   node test/e2e/run.mjs [--only trusted,ui,commands,report,untrusted] [--keep]
// Environment: PGWARDEN_E2E_TIMEOUT_MS (overall, default 600000), PGWARDEN_E2E_GREP,
// PGWARDEN_E2E_VERBOSE=1 (workbench console), PGWARDEN_CODE_SERVER_DIR.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { ensureCodeServer } from '../../scripts/install-code-server.mjs';
import { packageVsix } from '../../scripts/package.mjs';
import { answerPasswordPrompts, installVsix, launchChromium, sandbox, startCodeServer, workbenchUrl, writeUserSettings } from './codeserver.mjs';
import { compileSuite, copyWorkspace, HOST_EXTENSION, ROOT } from './prepare.mjs';
import { commandChecks } from './commands.mjs';
import { uiChecks } from './ui.mjs';
import { reportChecks } from './report.mjs';
import { startDatabase } from './database.mjs';

const argv = process.argv.slice(2);
const KEEP = argv.includes('--keep');
const onlyArg = argv.includes('--only') ? argv[argv.indexOf('--only') + 1].split(',') : undefined;
const phases = new Set(onlyArg ?? ['trusted', 'ui', 'commands', 'report', 'untrusted']);
const TOTAL_MS = Number(process.env.PGWARDEN_E2E_TIMEOUT_MS ?? 600_000);
const SUITE_MS = Number(process.env.PGWARDEN_E2E_SUITE_TIMEOUT_MS ?? 240_000);
const VERBOSE = process.env.PGWARDEN_E2E_VERBOSE === '1';

const started = Date.now();
const log = (msg) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);

// Everything started is registered here and torn down on any exit path, including the
// overall timeout and Ctrl-C.
const cleanups = [];
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const fn of cleanups.reverse()) {
    try {
      await fn();
    } catch {
      // Best effort: the next resource must still be released.
    }
  }
}
const hardTimeout = setTimeout(async () => {
  console.error(`\n[e2e] FAILED: the whole e2e run exceeded ${TOTAL_MS / 1000} s (PGWARDEN_E2E_TIMEOUT_MS); stopping code-server and chromium.`);
  await cleanup();
  process.exit(124);
}, TOTAL_MS);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    await cleanup();
    process.exit(130);
  });
}

/** Prints the tail of the extension host's logs, the first place to look after a failure. */
function dumpLogs(dirs) {
  const logs = join(dirs.userData, 'logs');
  if (!existsSync(logs)) return;
  const walk = (d) => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  for (const f of walk(logs).filter((f) => /exthost|pgwarden|remoteagent/i.test(f))) {
    const text = readFileSync(f, 'utf8').trim();
    if (!text) continue;
    console.error(`--- ${f.slice(logs.length + 1)} (tail) ---\n${text.split('\n').slice(-40).join('\n')}`);
  }
}

/**
 * Loads the workbench with the suite as extensionTestsPath and resolves with the exit
 * code the workbench reports through codeAutomationExit.
 */
async function runSuite(browser, server, folder, testsIndex, label, password) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  let settle;
  const exited = new Promise((r) => (settle = r));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    // The workbench forwards console calls with their printf-style format string.
    const text = format(...(Array.isArray(args) ? args : [args]));
    // The gallery lookups fail against the closed loopback port on purpose; that is
    // the proof nothing leaves the machine, not news.
    if (/127\.0\.0\.1:9\b/.test(text) && !VERBOSE) return;
    if (type === 'error' || type === 'warn') console.error(`  [${label}] ${text}`);
    else console.log(`  [${label}] ${text}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));
  if (VERBOSE) page.on('console', (m) => console.log(`  [${label} console.${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => console.error(`  [${label} pageerror] ${e.message}`));
  const url = workbenchUrl(server, folder, { devExtension: HOST_EXTENSION, index: testsIndex });
  const responder = answerPasswordPrompts(page, password);
  // A loaded machine (several test runs at once) can take minutes to serve the workbench.
  await page.goto(url, { timeout: 180_000 });
  let timer;
  const timeout = new Promise((r) => (timer = setTimeout(() => r('timeout'), SUITE_MS)));
  const code = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  responder.stop();
  await context.close();
  if (code === 'timeout') {
    console.error(`[e2e] the ${label} suite did not report an exit code within ${SUITE_MS / 1000} s`);
    return { code: 1, prompts: responder.count(), dialogs: responder.dialogs() };
  }
  return { code, prompts: responder.count(), dialogs: responder.dialogs() };
}

/** Whether the installed manifest contributes the live-database role tree yet. */
function hasRoleTree() {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return Object.values(manifest.contributes?.views ?? {}).some((views) => views.some((v) => v.id === 'pgwarden.roles'));
}

/** Counts TCP connections to a port nobody should reach in Restricted Mode. */
function canary() {
  return new Promise((resolvePort) => {
    let connections = 0;
    const s = createServer((sock) => {
      connections++;
      sock.destroy();
    });
    s.listen(0, '127.0.0.1', () => resolvePort({ port: s.address().port, count: () => connections, close: () => new Promise((r) => s.close(r)) }));
  });
}

async function main() {
  const results = [];
  let t = Date.now();
  const cs = ensureCodeServer();
  log(cs.installed ? `installed code-server in ${cs.seconds.toFixed(1)} s` : `code-server ready (${cs.dir})`);

  t = Date.now();
  const pkg = packageVsix();
  const testsIndex = await compileSuite();
  log(`packaged ${pkg.vsix} (${(pkg.bytes / 1024).toFixed(0)} KiB) and compiled the suite in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const tmp = mkdtempSync(join(tmpdir(), 'pgwarden-e2e-'));
  cleanups.push(() => (KEEP ? log(`kept ${tmp}`) : rmSync(tmp, { recursive: true, force: true })));
  const dirs = sandbox(join(tmp, 'sandbox'));
  installVsix(cs.entry, pkg.vsix, dirs);
  const installed = readdirSync(dirs.extensions).filter((n) => n.startsWith('pgwarden.pgwarden-'));
  if (installed.length !== 1) throw new Error(`expected one pgwarden.pgwarden-* in ${dirs.extensions}, found ${JSON.stringify(readdirSync(dirs.extensions))}`);
  log(`installed ${installed[0]} into ${dirs.extensions}`);

  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const env = { PGWARDEN_E2E_EXTENSIONS_DIR: dirs.extensions };

  // The live-database checks need the role tree in the manifest; without it they are
  // reported as NOT RUN rather than silently passing.
  let db;
  if (phases.has('trusted') || phases.has('ui') || phases.has('commands') || phases.has('report')) {
    if (hasRoleTree()) {
      t = Date.now();
      db = await startDatabase();
      cleanups.push(() => db.stop());
      log(`PostgreSQL ${db.version} (seeded) on 127.0.0.1:${db.port} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    } else {
      // With CI=true a check that cannot run fails the run.
      const ci = process.env.CI === 'true' || process.env.CI === '1';
      results.push({ name: 'live database: role tree', ok: !ci, seconds: 0, note: 'NOT RUN: package.json has no pgwarden.roles view yet' });
    }
  }
  const dbProfile = db && { name: 'e2e', host: '127.0.0.1', port: db.port, database: 'postgres', user: db.user, sslmode: 'disable' };

  if (phases.has('trusted') || phases.has('ui')) {
    const trustedFolder = copyWorkspace(tmp, 'ws-trusted');
    // Even in a trusted workspace, a connection defined by the folder's own settings is
    // used only after the user confirms its host; the responder declines, and nothing may
    // reach this canary.
    const wsCanary = await canary();
    cleanups.push(() => wsCanary.close());
    const wsSettingsPath = join(trustedFolder, '.vscode', 'settings.json');
    const wsSettings = JSON.parse(readFileSync(wsSettingsPath, 'utf8'));
    wsSettings['pgwarden.connections'] = [{ name: 'ws-canary', host: '127.0.0.1', port: wsCanary.port, database: 'postgres', user: 'postgres', sslmode: 'disable' }];
    writeFileSync(wsSettingsPath, JSON.stringify(wsSettings, null, 2));
    env.PGWARDEN_E2E_WS_CANARY = 'ws-canary';
    // The connection lives in user settings, the way a user would keep a host they confirmed.
    writeUserSettings(dirs, dbProfile ? { 'pgwarden.connections': [dbProfile] } : {});
    if (db) env.PGWARDEN_E2E_DB = JSON.stringify({ profile: dbProfile, password: db.password, roles: db.roles });
    const server = await startCodeServer({ entry: cs.entry, dirs, folder: trustedFolder, trusted: true, env: { ...env, PGWARDEN_E2E_TRUST: 'trusted' } });
    cleanups.push(() => server.stop());
    log(`code-server (trusted) on ${server.url}`);
    if (phases.has('trusted')) {
      t = Date.now();
      const { code, prompts, dialogs } = await runSuite(browser, server, trustedFolder, testsIndex, 'trusted', db?.password);
      results.push({ name: 'extension-host suite, trusted workspace', ok: code === 0, seconds: (Date.now() - t) / 1000 });
      results.push({ name: 'trusted: a workspace profile without a confirmed host reached nothing', ok: wsCanary.count() === 0, seconds: 0, note: `${wsCanary.count()} connection(s), ${dialogs} dialog(s) declined` });
      if (db) {
        // The suite connects twice; the second time the password comes from SecretStorage.
        results.push({ name: 'live database: the password was asked exactly once', ok: prompts === 1, seconds: 0, note: `${prompts} prompt(s)` });
      }
      if (code !== 0) dumpLogs(dirs);
    }
    if (phases.has('ui')) {
      t = Date.now();
      const shots = join(tmp, 'screenshots');
      const demoFolder = join(tmp, 'demo');
      cpSync(join(ROOT, 'demo'), demoFolder, { recursive: true });
      const ui = await uiChecks(browser, server, copyWorkspace(tmp, 'ws-ui'), { screenshotsDir: shots, failuresDir: join(ROOT, 'test-results', 'e2e'), demoFolder, db, log });
      for (const r of ui) results.push({ name: `ui: ${r.name}`, ok: r.ok, seconds: r.seconds, note: r.error });
    }
    server.stop();
  }

  if (phases.has('commands') && db) {
    // A workbench of its own: no profile in any settings and an empty secret storage, as
    // on a user's first day, so the welcome view shows.
    const cdirs = sandbox(join(tmp, 'sandbox-commands'));
    installVsix(cs.entry, pkg.vsix, cdirs);
    const folder = copyWorkspace(tmp, 'ws-commands');
    const server = await startCodeServer({ entry: cs.entry, dirs: cdirs, folder, trusted: true });
    cleanups.push(() => server.stop());
    log(`code-server (commands) on ${server.url}`);
    const failuresDir = join(ROOT, 'test-results', 'e2e');
    mkdirSync(failuresDir, { recursive: true });
    for (const r of await commandChecks(browser, server, folder, { db, failuresDir, log })) results.push({ name: `commands: ${r.name}`, ok: r.ok, seconds: r.seconds, note: r.error });
    server.stop();
  }

  if (phases.has('report') && db) {
    const failuresDir = join(ROOT, 'test-results', 'e2e');
    mkdirSync(failuresDir, { recursive: true });
    for (const r of await reportChecks(browser, { db, dir: join(tmp, 'report'), failuresDir, log })) results.push({ name: `report: ${r.name}`, ok: r.ok, seconds: r.seconds, note: r.error });
  }

  if (phases.has('untrusted')) {
    const can = await canary();
    cleanups.push(() => can.close());
    // The workspace names a database on the canary port; in Restricted Mode pgwarden
    // must ignore it (pgwarden.connections is a restricted configuration).
    const folder = copyWorkspace(tmp, 'ws-untrusted', {
      'pgwarden.connections': [{ name: 'canary', host: '127.0.0.1', port: can.port, database: 'postgres', user: 'postgres' }],
    });
    // The canary is in the user settings too: Restricted Mode must stop the connection
    // itself, not only ignore the workspace's (restricted) pgwarden.connections.
    writeUserSettings(dirs, { 'pgwarden.connections': [{ name: 'canary-user', host: '127.0.0.1', port: can.port, database: 'postgres', user: 'postgres' }] });
    const server = await startCodeServer({ entry: cs.entry, dirs, folder, trusted: false, env: { ...env, PGWARDEN_E2E_TRUST: 'untrusted', PGWARDEN_E2E_CANARY_PORT: String(can.port) } });
    cleanups.push(() => server.stop());
    log(`code-server (untrusted) on ${server.url}`);
    t = Date.now();
    const { code, prompts } = await runSuite(browser, server, folder, testsIndex, 'untrusted', 'canary-password-never-sent');
    results.push({ name: 'extension-host suite, untrusted workspace', ok: code === 0, seconds: (Date.now() - t) / 1000 });
    if (code !== 0) dumpLogs(dirs);
    results.push({
      name: 'untrusted: no connection reached the canary port',
      ok: can.count() === 0,
      seconds: 0,
      note: can.count() ? `${can.count()} connection(s) to 127.0.0.1:${can.port}` : undefined,
    });
    results.push({ name: 'untrusted: no password prompt', ok: prompts === 0, seconds: 0, note: prompts ? `${prompts} prompt(s)` : undefined });
    server.stop();
  }

  console.log('\n=== e2e summary ===');
  for (const r of results) console.log(`${r.ok ? (r.note?.startsWith('NOT RUN') ? 'SKIP' : 'PASS') : 'FAIL'}  ${r.name} (${r.seconds.toFixed(1)} s)${r.note ? `  ${r.note}` : ''}`);
  console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return results.length > 0 && results.every((r) => r.ok) ? 0 : 1;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  console.error(`[e2e] FAILED: ${err instanceof Error ? err.stack ?? err.message : err}`);
} finally {
  clearTimeout(hardTimeout);
  await cleanup();
}
process.exit(exitCode);
