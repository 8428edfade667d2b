#!/usr/bin/env node
// Bundles the client, the language server and the CLI with esbuild, and ships the
// libpg-query WASM beside them (the module looks for it next to its own file).
//
// Each bundle is stamped with the SHA-1 of its own text: the first line reads
// `// pgwarden build <hash>` and the placeholder BUILD_HASH_PLACEHOLDER (server/src/build-id.ts)
// becomes the same hash. The caches key on it (a rebuilt pgwarden never reads the results
// or the compiled code of another build) without hashing a megabyte-sized bundle at every start.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
/** Must match server/src/build-id.ts; as long as a hash, so a source map's columns stay right. */
const PLACEHOLDER = 'pgwarden-build-hash-placeholder-00000000';
const stamp = {
  name: 'stamp-build-hash',
  setup(b) {
    b.onEnd((result) => {
      for (const out of result.outputFiles ?? []) {
        let text = out.text;
        if (out.path.endsWith('.js')) {
          const hash = createHash('sha1').update(text).digest('hex');
          text = text.split(PLACEHOLDER).join(hash);
        }
        mkdirSync(dirname(out.path), { recursive: true });
        writeFileSync(out.path, text);
      }
    });
  },
};
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: process.argv.includes('--sourcemap') ? 'linked' : false,
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
  legalComments: 'none',
  banner: { js: `// pgwarden build ${PLACEHOLDER}` },
  write: false,
  plugins: [stamp],
};
mkdirSync('dist', { recursive: true });
const bundles = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/lsp/worker.ts'], outfile: 'dist/worker.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' },
  // What bin/pgwarden.js tries before it loads dist/cli.js: a report replayed from the lint cache.
  { entryPoints: ['server/src/cli/replay-main.ts'], outfile: 'dist/replay.js' },
];
const wasm = join(dirname(require.resolve('libpg-query')), 'libpg-query.wasm');
copyFileSync(wasm, 'dist/libpg-query.wasm');
await Promise.all(bundles.map((b) => build({ ...common, ...b })));
if (!watch) console.log('built dist/client.js, dist/server.js, dist/cli.js, dist/replay.js, dist/libpg-query.wasm');
