#!/usr/bin/env node
// The `pgwarden` command: the bundled CLI (run `npm run build` first in a checkout).
require('../dist/cli.js');
