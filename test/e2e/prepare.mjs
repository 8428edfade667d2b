// Steps both runners share (code-server here, @vscode/test-electron where VS Code can
// be downloaded): compiling the extension-host suite and copying the fixture workspace.
import { build } from 'esbuild';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(E2E_DIR, '..', '..');
export const HOST_EXTENSION = join(E2E_DIR, 'host-extension');

/**
 * Bundles the suite (mocha included, `vscode` left to the extension host) into
 * out/e2e/index.js and returns that path: the extensionTestsPath of both runners.
 */
export async function compileSuite() {
  const outdir = join(ROOT, 'out', 'e2e');
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [join(E2E_DIR, 'suite', 'index.ts')],
    outfile: join(outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
    // Mocha's parallel mode resolves worker files at run time; the suite runs serially.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return join(outdir, 'index.js');
}

/**
 * A fresh copy of test/e2e/workspace under `parent`/`name`, so tests may edit and save
 * files, with `settings` merged into its .vscode/settings.json.
 */
export function copyWorkspace(parent, name, settings) {
  const dest = join(parent, name);
  cpSync(join(E2E_DIR, 'workspace'), dest, { recursive: true });
  if (settings) {
    const file = join(dest, '.vscode', 'settings.json');
    const current = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 2) + '\n');
  }
  return dest;
}
