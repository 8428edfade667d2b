// dist/replay.js: what bin/pgwarden.js runs before it loads the linter's bundle. When the
// command is a `pgwarden lint --cache` run whose previous run with the same arguments saw
// exactly what is on disk now (./replay.ts), it prints that run's report and sets its exit
// code, and the bundle is never loaded. PGWARDEN_REPLAY=off always runs the linter.

import { closeSync, fstatSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { findReplay } from './replay';
import { VERSION } from './version';

/** The build hash stamped on the bundle's first line by scripts/build.mjs, or undefined. */
function bundleStamp(bundle: string): string | undefined {
  const head = Buffer.alloc(80);
  const fd = openSync(bundle, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return /^\/\/ pgwarden build ([0-9a-f]{40})\r?\n/.exec(head.toString('latin1'))?.[1];
}

/** Replays the report for this command line, if it can; `bundle` is the linter's bundle (dist/cli.js) that would otherwise run. */
export function replay(bundle: string, argv = process.argv.slice(2)): boolean {
  const off = process.env.PGWARDEN_REPLAY;
  if (argv[0] !== 'lint' || !argv.includes('--cache') || off === 'off' || off === '0' || off === 'false') return false;
  try {
    const stamp = bundleStamp(bundle);
    if (!stamp) return false;
    // The same build answer as pgwardenBuild gives inside the bundle.
    const found = findReplay(argv.slice(1), { cwd: process.cwd(), env: process.env, tty: stdoutIsTerminal(), build: `${VERSION}:${stamp}` });
    if (!found) return false;
    process.exitCode = found.code;
    writeOut(found.stdout);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether stdout is a terminal, as process.stdout.isTTY says inside the bundle. Node's tty
 * module loads its net and stream modules, which cost more than the rest of a replay; a
 * pipe, a file or /dev/null (not character devices, or /dev/null's) is told without it.
 */
function stdoutIsTerminal(): boolean {
  if (process.platform !== 'win32') {
    const out = fstatSync(1);
    if (!out.isCharacterDevice() || out.rdev === statSync('/dev/null').rdev) return false;
  }
  return (require('node:tty') as typeof import('node:tty')).isatty(1);
}

/**
 * Writes the report to fd 1 directly: process.stdout would load Node's stream machinery,
 * a good part of a replay's time. Once writing has begun the replay is committed (the
 * linter must not print the report a second time); a stdout that would block (a
 * non-blocking pipe) gets the rest through process.stdout.
 */
function writeOut(text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let done = 0;
  try {
    while (done < buf.length) done += writeSync(1, buf, done, buf.length - done);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EAGAIN') process.stdout.write(buf.subarray(done));
    // Otherwise the reader is gone (EPIPE): there is no one left to print for.
  }
}
