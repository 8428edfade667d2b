// A `pgwarden lint --cache` run whose inputs are all as the previous run with the same
// command line saw them prints that run's report again, without loading the linter. The
// record (kept in the cache file, lint-cache.ts) holds the report and exit code, what the
// report depends on besides the disk (the pgwarden build, Node's version and platform,
// the working directory, the arguments, the environment variables the report reads,
// whether stdout is a terminal), and every path the run looked at (inputs.ts): each file
// it read or trusted by its metadata, each folder it listed (a new, deleted or renamed
// file changes its entries), each pgwarden.json or other file looked for, found or not.
//
// bin/pgwarden.js asks first, through the small dist/replay.js (./replay-main.ts); on any
// doubt the real run goes ahead and records anew. A run records only when nothing about it
// was uncertain: no --fix or --diff, nothing said on stderr, nothing changed while it was
// read (then the metadata and hashes seen twice differ).

import { closeSync, openSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { cachePath, readHeader, readReplaySection } from '../lint-cache';
import { basename, dirname } from 'node:path';
import { entriesText, InputLog, namesHash, readEntries, Seen, settledBefore, Stamp, stampOf, statOf, textHash } from '../inputs';
import { parseArgs } from './args';

/** `pgwarden lint`'s options: the run and the replay read the command line alike. */
export const LINT_OPTIONS = {
  values: ['format', 'config', 'max-warnings', 'lang', 'cache-location', 'cache-strategy', 'threads'],
  flags: ['fix', 'unsafe-fixes', 'diff', 'cache'],
};

/** The environment variables a report depends on: colour, the pool's trace on stderr, the locale (ICU's default, which orders the projects). */
const ENV = ['NO_COLOR', 'FORCE_COLOR', 'PGWARDEN_TRACE', 'LANG', 'LC_ALL', 'LC_COLLATE', 'LC_MESSAGES'];

const FORMAT = 1;

/** Where and how a command runs; `build` is pgwardenBuild's answer for the linter that would run. */
export interface RunContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  tty: boolean;
  build: string;
}

interface ReplayRecord {
  format: number;
  /** Everything but the disk that the report depends on (keyOf). */
  key: string;
  /** When the run started (InputLog.at): metadata changed within racyWindowMs of it is not trusted. */
  at: number;
  inputs: Array<[path: string, seen: Seen]>;
  stdout: string;
  code: number;
}

const keyOf = (argv: readonly string[], ctx: RunContext): string =>
  JSON.stringify({ build: ctx.build, node: process.version, platform: process.platform, cwd: ctx.cwd, argv, env: ENV.map((n) => ctx.env[n] ?? null), tty: ctx.tty });

/** The cache strategy when a run with these arguments keeps a log of its inputs (--cache, no --fix or --diff); undefined otherwise. */
export function recordedStrategy(argv: string[]): 'metadata' | 'content' | undefined {
  try {
    const args = parseArgs(argv, LINT_OPTIONS, '');
    if (!args.flags.cache || args.flags.fix || args.flags.diff) return undefined;
    const strategy = args.values['cache-strategy'] ?? 'metadata';
    return strategy === 'metadata' || strategy === 'content' ? strategy : undefined;
  } catch {
    return undefined;
  }
}

/** The record of a run that printed `stdout` and exits with `code`, to keep in its cache file: the one kept already when it says the same and is replayable as it is (the file is then not written again). */
export function replayRecord(kept: string | undefined, argv: readonly string[], ctx: RunContext, log: InputLog, stdout: string, code: number): string {
  const record: ReplayRecord = { format: FORMAT, key: keyOf(argv, ctx), at: log.at, inputs: [...log.seen], stdout, code };
  // The first "at" of the text is the record's own: inside the key and the report, quotes are escaped.
  const keptAt = kept === undefined ? undefined : /,"at":(\d+(?:\.\d+)?),/.exec(kept)?.[1];
  if (keptAt !== undefined) {
    const at = Number(keptAt);
    // The same record but for its time, whose stamps were old enough at that time: replayable as it is.
    if (JSON.stringify({ ...record, at }) === kept && record.inputs.every(([, seen]) => !seen.stamp || settledBefore(seen.stamp, at))) return kept!;
  }
  return JSON.stringify(record);
}

/** What the previous run with these arguments printed, when everything it depended on is as it was; undefined otherwise. */
export function findReplay(argv: string[], ctx: RunContext): { stdout: string; code: number } | undefined {
  try {
    if (recordedStrategy(argv) === undefined) return undefined;
    const location = parseArgs(argv, LINT_OPTIONS, '').values['cache-location'];
    const text = readReplayRecord(cachePath(location, ctx.cwd), ctx.build);
    if (text === undefined) return undefined;
    const r = JSON.parse(text) as ReplayRecord;
    if (r.format !== FORMAT || r.key !== keyOf(argv, ctx) || typeof r.stdout !== 'string' || !Number.isInteger(r.code) || !Array.isArray(r.inputs)) return undefined;
    const listed = new Map(r.inputs.filter(([, seen]) => typeof seen.entries === 'string').map(([path, seen]) => [path, seen.entries!]));
    return r.inputs.every(([path, seen]) => holds(path, seen, r.at, listed)) ? { stdout: r.stdout, code: r.code } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a path is still as the run saw it: each part it recorded is looked at again. A
 * folder with its stamp unchanged has the same entries; one whose stamp changed (its
 * cache file was rewritten) is listed again. Either way it is still a folder, and a name
 * absent from its recorded entries is still absent: that needs no stat of its own.
 * (`listed`: the recorded entries of each folder, which are checked too.)
 */
function holds(path: string, seen: Seen, at: number, listed: ReadonlyMap<string, string>): boolean {
  const { kind, stamp, text, entries, names } = seen;
  if (entries !== undefined && entries !== null && (kind === undefined || kind === 'd')) {
    return (stampHolds(statOf(path)?.stats, stamp, at) || entriesText(readEntries(path)) === entries) && holdsNames(path, names);
  }
  if (kind === '-' && !stamp && text === undefined && entries === undefined && names === undefined && absentFrom(listed.get(dirname(path)), basename(path))) return true;
  const now = statOf(path);
  if (!now || (kind !== undefined && now.kind !== kind)) return false;
  if (stamp && !stampHolds(now.stats, stamp, at)) return false;
  if (text !== undefined && textHash(path) !== text) return false;
  if (entries !== undefined && entriesText(readEntries(path)) !== entries) return false;
  return holdsNames(path, names);
}

/** Whether `name` is not among a folder's entries (entriesText: names with a type mark, separated by NUL). */
function absentFrom(entries: string | undefined, name: string): boolean {
  if (entries === undefined || name.includes('\u0000')) return false;
  return !`\u0000${entries}\u0000`.includes(`\u0000${name}`);
}

const holdsNames = (path: string, names: string | null | undefined): boolean => names === undefined || namesHash(readEntries(path)?.map((e) => e.name)) === names;

/** The replay record kept in the cache file at `path` by this build, as text; undefined when there is none (or no readable file). */
function readReplayRecord(path: string, build: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const head = readHeader(fd, build);
    return typeof head === 'string' ? undefined : readReplaySection(fd, head);
  } finally {
    closeSync(fd);
  }
}

/** Whether a path's stats now have the stamp recorded, and that stamp was old enough at the run (`at`) for a later edit to change it. */
function stampHolds(now: Stats | undefined, stamp: Stamp | undefined, at: number): boolean {
  if (!now || !stamp || !settledBefore(stamp, at)) return false;
  const current = stampOf(now);
  return current.length === stamp.length && current.every((v, i) => v === stamp[i]);
}
