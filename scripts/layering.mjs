#!/usr/bin/env node
// The layering check of `npm test`: the dependency rules in .dependency-cruiser.cjs (core
// is pure, the client imports only the shared module, the CLI reaches no LSP library,
// db is I/O only), and the size rule: no file in server/src longer than 400 lines unless
// its opening comment says why (a sentence naming "400 lines").
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_LINES = 400;
let failed = false;

const cruise = spawnSync(process.execPath, [join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'server/src', 'client/src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {
  cwd: ROOT,
  encoding: 'utf8',
});
process.stdout.write(cruise.stdout);
process.stderr.write(cruise.stderr);
if (cruise.status !== 0) failed = true;

/** The comment lines a file opens with. */
function openingComment(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!/^\s*(\/\/|\/\*|\*)/.test(line)) break;
    out.push(line);
  }
  return out.join('\n');
}

function* tsFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* tsFiles(p);
    else if (e.name.endsWith('.ts')) yield p;
  }
}

const long = [];
for (const file of tsFiles(join(ROOT, 'server/src'))) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_LINES && !/\b400 lines\b/.test(openingComment(text))) long.push(`${relative(ROOT, file)}: ${lines} lines`);
}
if (long.length) {
  failed = true;
  console.error(`\nfiles over ${MAX_LINES} lines whose opening comment does not say why (a sentence naming "${MAX_LINES} lines"):\n  ${long.join('\n  ')}`);
} else {
  console.log(`layering: no file in server/src over ${MAX_LINES} lines without a stated reason`);
}
process.exit(failed ? 1 : 0);
