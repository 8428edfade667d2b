#!/usr/bin/env node
// `npm run package`: builds the bundles (minified, no source maps) and packages them
// with vsce into pgwarden.vsix. Dependencies are bundled by esbuild, so vsce runs with
// --no-dependencies and .vscodeignore keeps sources, tests, maps and node_modules out.
//
//   node scripts/package.mjs [--out FILE]
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const VSIX = join(ROOT, 'pgwarden.vsix');
const VSCE = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`\`${[cmd, ...args].join(' ')}\` failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Builds and packages; returns { vsix, bytes, seconds }. */
export function packageVsix(out = VSIX) {
  const t0 = Date.now();
  run(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--minify']);
  run(process.execPath, [VSCE, 'package', '--no-dependencies', '-o', out]);
  return { vsix: out, bytes: statSync(out).size, seconds: (Date.now() - t0) / 1000 };
}

/** The packaged file list as `vsce ls` reports it (paths relative to the extension root). */
export function listPackage() {
  return run(process.execPath, [VSCE, 'ls', '--no-dependencies'])
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  try {
    const r = packageVsix(i > 0 ? resolve(process.argv[i + 1]) : VSIX);
    console.log(`packaged ${r.vsix} (${(r.bytes / 1024).toFixed(0)} KiB) in ${r.seconds.toFixed(1)} s`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
