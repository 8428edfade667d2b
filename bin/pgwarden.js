#!/usr/bin/env node
// The `pgwarden` command: the bundled CLI (run `npm run build` first in a checkout).
'use strict';
// A one-shot process would spend ~150 ms letting V8 optimise the parser's 1.7 MB of
// WASM; the baseline compiler alone is fast enough for one run, so use only that, and
// only for the functions a run calls (lazily, on their first call). Set before the bundle
// loads: V8 keys its code cache (./load-bundle.js) by the flags.
require('v8').setFlagsFromString('--liftoff-only');
require('v8').setFlagsFromString('--wasm-lazy-compilation');
require('./load-bundle').loadBundle(require('node:path').join(__dirname, '..', 'dist', 'cli.js'));
