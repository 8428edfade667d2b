#!/usr/bin/env node
// `npm run demo`: the whole product on a fresh machine in one command.
//   1. builds and packages pgwarden.vsix;
//   2. starts the embedded PostgreSQL (PGlite, seeded with the insecure sample) on 127.0.0.1;
//   3. installs code-server on first use (scripts/install-code-server.mjs) and the .vsix into
//      a private extensions dir;
//   4. copies demo/ (SQL migrations, pg_hba.conf, postgresql.conf, pgwarden.json) to a
//      temporary folder with the connection configured, opens it in code-server on
//      127.0.0.1 only and prints the URL; stays up until Ctrl-C.
// `npm run demo -- --vscode` opens the folder in the desktop VS Code (`code` on PATH)
// instead, installing the .vsix there.
//
//   node scripts/demo.mjs [--vscode] [--port N] [--no-db]
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer } from './install-code-server.mjs';
import { packageVsix, ROOT } from './package.mjs';

const argv = process.argv.slice(2);
const useVscode = argv.includes('--vscode');
const portArg = argv.includes('--port') ? Number(argv[argv.indexOf('--port') + 1]) : undefined;
const withDb = !argv.includes('--no-db');
const say = (m) => console.log(`[demo] ${m}`);

const cleanups = [];
let cleaning = false;
async function shutdown(code) {
  if (cleaning) return;
  cleaning = true;
  for (const fn of cleanups.reverse()) {
    try {
      await fn();
    } catch {
      // Keep releasing the rest.
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

/** The connection profile the demo workspace uses (the extension's pgwarden.connections). */
function connectionSettings(port) {
  return {
    'pgwarden.connections': [
      {
        name: 'demo (PGlite)',
        host: '127.0.0.1',
        port,
        database: 'postgres',
        user: 'postgres',
        sslmode: 'disable',
      },
    ],
  };
}

function writeJson(file, extra) {
  let current = {};
  try {
    current = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // A missing file starts empty.
  }
  writeFileSync(file, JSON.stringify({ ...current, ...extra }, null, 2) + '\n');
}

async function main() {
  say('building and packaging pgwarden.vsix ...');
  const pkg = packageVsix();
  say(`packaged ${pkg.vsix} (${(pkg.bytes / 1024).toFixed(0)} KiB)`);

  let db;
  if (withDb) {
    // The embedded PostgreSQL: PGlite over the wire protocol, 127.0.0.1 only.
    const { startPgliteServer } = await import('./pglite-server.mjs');
    db = await startPgliteServer({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => db.stop());
    say(`embedded PostgreSQL (PGlite, seeded with test/fixtures/seed/insecure.sql) on 127.0.0.1:${db.port}`);
  }

  const tmp = mkdtempSync(join(tmpdir(), 'pgwarden-demo-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const folder = join(tmp, 'workspace');
  cpSync(join(ROOT, 'demo'), folder, { recursive: true });

  if (useVscode) {
    const code = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim();
    if (!code) throw new Error('`code` is not on PATH; run `npm run demo` without --vscode to use code-server in the browser');
    // Desktop VS Code: the user's own profile, so the connection goes in the workspace
    // settings (the folder is trusted by the user when VS Code asks).
    if (db) writeJson(join(folder, '.vscode', 'settings.json'), connectionSettings(db.port));
    const install = spawnSync(code, ['--install-extension', pkg.vsix, '--force'], { stdio: 'inherit' });
    if (install.status !== 0) throw new Error('code --install-extension failed');
    spawnSync(code, ['--new-window', folder], { stdio: 'inherit' });
    say(`opened ${folder} in VS Code. The database stays up until Ctrl-C.`);
    return;
  }

  const cs = ensureCodeServer();
  if (cs.installed) say(`installed code-server in ${cs.seconds.toFixed(0)} s (cached in ${cs.dir})`);
  const { freePort, installVsix, sandbox, startCodeServer } = await import('../test/e2e/codeserver.mjs');
  // The connection goes in the private user settings of this sandbox: user settings are
  // honoured for every setting scope, and the demo folder is opened as trusted.
  const dirs = sandbox(join(tmp, 'sandbox'), db ? connectionSettings(db.port) : {});
  installVsix(cs.entry, pkg.vsix, dirs);
  const port = portArg ?? (await freePort());
  const server = await startCodeServer({ entry: cs.entry, dirs, folder, port, trusted: true, deadline: Date.now() + 120_000 });
  cleanups.push(() => server.stop());
  server.proc.on('exit', (c) => {
    say(`code-server exited (${c})`);
    void shutdown(1);
  });
  const url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  console.log('');
  say('pgwarden demo is ready. Open this URL in a browser on this machine:');
  console.log(`\n    ${url}\n`);
  say(`workspace: ${folder} (a copy of demo/; edits are discarded on exit)`);
  if (db) say(`database:  postgresql://postgres@127.0.0.1:${db.port}/postgres (PGlite accepts any password)`);
  say('press Ctrl-C to stop code-server and the database.');
}

try {
  await main();
} catch (err) {
  console.error(`[demo] FAILED: ${err instanceof Error ? err.message : err}`);
  await shutdown(1);
}
