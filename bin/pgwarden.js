#!/usr/bin/env node
// The `pgwarden` command: the bundled CLI (run `npm run build` first in a checkout).
'use strict';
const path = require('node:path');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
// A `lint --cache` run over what the previous identical run saw prints that run's report
// again without loading the bundle (server/src/cli/replay.ts); a missing or older
// dist/replay.js just means no replay.
let replayed = false;
try {
  replayed = require('../dist/replay.js').replay(bundle);
} catch {
  replayed = false;
}
if (!replayed) {
  // A one-shot process would spend ~150 ms letting V8 optimise the parser's 1.7 MB of
  // WASM; the baseline compiler alone is fast enough for one run, so use only that, and
  // only for the functions a run calls (lazily, on their first call). Set before the bundle
  // loads: V8 keys its code cache (./load-bundle.js) by the flags.
  require('v8').setFlagsFromString('--liftoff-only');
  require('v8').setFlagsFromString('--wasm-lazy-compilation');
  require('./load-bundle').loadBundle(bundle);
}
