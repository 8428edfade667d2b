// What a `pgwarden lint --cache` run read from the disk, so that a later run with the same
// arguments can tell, without loading the linter, that it would print the same report
// (cli/replay.ts). Every file read, every folder listed and every path probed goes through
// the helpers of files.ts and projects.ts, which tell the log of the running lint, if any
// (the editor's server and the other commands keep none).
//
// What is kept depends on the cache strategy. With `metadata` a file is known by its size,
// times, inode and device, taken before it is read (an edit after that shows as other
// metadata); with `content` by the hash of its text. A folder is known by its entries'
// names and types, and with `metadata` also by its stamp, which spares listing it again
// while unchanged (renaming its cache file over the old one changes the stamp of the
// folder that holds it, not its entries). A probe (does it exist, is it a folder) keeps
// only the kind.

import type { Hash } from 'node:crypto';
import { Dirent, readdirSync, readFileSync, Stats, statSync } from 'node:fs';

/** A path's kind: file, directory, other, or absent ('-'). */
export type Kind = 'f' | 'd' | 'o' | '-';

/** A file's size, modification and change times (ms), inode and device. */
export type Stamp = [size: number, mtimeMs: number, ctimeMs: number, ino: number, dev: number];

/** What a run saw of one path; each part is checked again by a replay. */
export interface Seen {
  kind?: Kind;
  /** metadata: the file's stamp before it was read (or trusted by the cache), the folder's before it was listed. */
  stamp?: Stamp;
  /** The SHA-1 of the text read; null: it could not be read. */
  text?: string | null;
  /** The folder's entries (entriesText); null: it could not be listed. */
  entries?: string | null;
  /** The hash of the folder's names alone (lint-jobs' listHash, from a worker's reads). */
  names?: string | null;
}

/**
 * How long before the check that hashed a file its times must be, for a later edit to be
 * sure to change them: an edit in the same clock tick as the last one keeps the same times.
 * File systems with whole-second times (ext3, HFS+, FAT's 2 s, many network shares) need
 * 2 s; finer ones tick with the kernel's clock (a few ms), for which 100 ms is ample.
 */
export function racyWindowMs(mtimeMs: number, ctimeMs: number): number {
  return mtimeMs % 1000 === 0 && ctimeMs % 1000 === 0 ? 2000 : 100;
}

/** Whether a file's stamp is older than a check at `at` by racyWindowMs: an edit after the check would then have changed it. */
export const settledBefore = (stamp: Stamp, at: number): boolean => {
  const window = racyWindowMs(stamp[1], stamp[2]);
  return stamp[1] < at - window && stamp[2] < at - window;
};

let oneShot: ((s: string) => string) | undefined;
/**
 * SHA-1 of a string's UTF-8, in hex. node:crypto is required on first use: a replay that
 * hashes nothing (the metadata strategy) does not load it. crypto.hash (Node 20.12) is the
 * one-shot form, about twice as fast as a Hash object for the thousands of short keys of
 * a cached run; createHash where it is missing.
 */
export function sha1(s: string): string {
  if (!oneShot) {
    const crypto = require('node:crypto') as typeof import('node:crypto') & { hash?: (algorithm: string, data: string) => string };
    const { hash } = crypto;
    oneShot = hash ? (t) => hash('sha1', t) : (t) => (crypto.createHash('sha1') as Hash).update(t).digest('hex');
  }
  return oneShot(s);
}

/** A path's kind and stats; undefined when stat failed for another reason than absence (a replay is then not sure of anything). */
export function statOf(path: string): { kind: Kind; stats?: Stats } | undefined {
  try {
    // No exception for an absent path: most of the pgwarden.json looked for are.
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats ? { kind: stats.isFile() ? 'f' : stats.isDirectory() ? 'd' : 'o', stats } : { kind: '-' };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: '-' } : undefined;
  }
}

export const stampOf = (s: Stats): Stamp => [s.size, s.mtimeMs, s.ctimeMs, s.ino, s.dev];

/** A folder's entries with their types, as one text (the walks look at names and types); null: not listed. Kept as is, not hashed: comparing it needs no hash function. */
export function entriesText(entries: readonly Dirent[] | undefined): string | null {
  if (!entries) return null;
  const type = (e: Dirent) => (e.isDirectory() ? '/' : e.isFile() ? '' : e.isSymbolicLink() ? '@' : '?');
  return entries
    .map((e) => `${e.name}${type(e)}`)
    .sort()
    .join('\u0000');
}

/** A folder's entry names as one hash (what an include_dir reads); null: it could not be listed. */
export const namesHash = (names: readonly string[] | undefined): string | null => (names === undefined ? null : sha1([...names].sort().join('\u0000')));

/** A folder's entries, or undefined when it cannot be listed. */
export function readEntries(dir: string): Dirent[] | undefined {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
}

/** The SHA-1 of a file's text as read by files.ts's readText (UTF-8), or null. */
export function textHash(path: string): string | null {
  try {
    return sha1(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

export class InputLog {
  /** When the run started, before anything was looked at: a file changed within racyWindowMs of it is not trusted by its metadata. */
  readonly at = Date.now();
  readonly seen = new Map<string, Seen>();
  /** Something changed while the run looked at it, or could not be looked at: nothing may be replayed. */
  unsure = false;

  constructor(readonly strategy: 'metadata' | 'content') {}

  /** Records one part of what was seen of a path; seeing it otherwise a second time makes the run unsure. */
  private note<K extends keyof Seen>(path: string, part: K, value: Seen[K]): void {
    let s = this.seen.get(path);
    if (!s) this.seen.set(path, (s = {}));
    const old = s[part];
    if (old === undefined) s[part] = value;
    else if (JSON.stringify(old) !== JSON.stringify(value)) this.unsure = true;
  }

  /** A path whose existence or kind was asked: its stats, undefined when absent. */
  probe(path: string): Stats | undefined {
    const s = statOf(path);
    if (!s) {
      this.unsure = true;
      return undefined;
    }
    this.note(path, 'kind', s.kind);
    return s.stats;
  }

  /**
   * A file about to be read, or whose recorded hash the cache trusts by its metadata, or a
   * folder about to be listed (`folder`): its stats, undefined when absent. A folder read
   * as a file is not stamped: reading it fails whatever its times.
   */
  stamped(path: string, folder = false): Stats | undefined {
    const stats = this.probe(path);
    if (stats && this.strategy === 'metadata' && stats.isDirectory() === folder) this.note(path, 'stamp', stampOf(stats));
    return stats;
  }

  /** A file's text as read (content strategy: the replay hashes it again). */
  read(path: string, text: string | undefined): void {
    if (this.strategy === 'content') this.note(path, 'text', text === undefined ? null : sha1(text));
  }

  /** A folder's entries as listed. */
  listed(dir: string, entries: readonly Dirent[] | undefined): void {
    this.note(dir, 'entries', entriesText(entries));
  }

  /**
   * What an analysis read besides its file, with the hashes it found. Read in this thread,
   * it went through readText and listEntries, which noted it as it was read; a worker's
   * reads are known only by these hashes, which a replay computes again.
   */
  reads(reads: { files: Array<[string, string | null]>; dirs: Array<[string, string | null]> }, inThisThread: boolean): void {
    if (inThisThread) return;
    for (const [path, hash] of reads.files) this.note(path, 'text', hash);
    for (const [path, hash] of reads.dirs) this.note(path, 'names', hash);
  }
}

let active: InputLog | undefined;

/** The log of the lint running now, if it keeps one. */
export const inputLog = (): InputLog | undefined => active;

/** Starts (a log) or stops (undefined) recording what the lint reads. */
export function recordInputs(log: InputLog | undefined): void {
  active = log;
}
