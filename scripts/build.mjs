#!/usr/bin/env node
// Bundles the client, the language server and the CLI with esbuild, and ships the
// libpg-query WASM beside them (the module looks for it next to its own file).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: process.argv.includes('--sourcemap') ? 'linked' : false,
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
  legalComments: 'none',
};
mkdirSync('dist', { recursive: true });
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/lsp/worker.ts'], outfile: 'dist/worker.js' }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' }),
]);
const wasm = join(dirname(require.resolve('libpg-query')), 'libpg-query.wasm');
copyFileSync(wasm, 'dist/libpg-query.wasm');
if (!watch) console.log('built dist/client.js, dist/server.js, dist/cli.js, dist/libpg-query.wasm');
