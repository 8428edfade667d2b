// The persistent lint cache (`pgwarden lint --cache`, and the editor's workspace index):
// per file, the facts it contributes to its project and, for the CLI, its findings, so a
// re-run over unchanged files parses nothing. Entries are keyed by hashes, never by
// timestamps: a file's facts by its text, its name, its place in the project and the
// placeholders it was parsed with; its findings also by every other file of its root and
// by its configuration. Everything is tied to the build of pgwarden that wrote it.
//
// A cache file that cannot be read is ignored with a message: a corrupt pgwarden cache is
// rewritten, a file that is not a pgwarden cache is left alone (the location may be
// wrong, and it is not ours to overwrite).

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ResolvedFinding } from './core/engine';
import type { FileFacts } from './core/sql/facts';

/** The cache file's name when a folder (or nothing) is given. */
export const CACHE_FILE = '.pgwardencache';

/** The first characters of every cache file this code writes: how a corrupt one is still known as ours. */
const MAGIC = '{"pgwarden":"lint-cache"';
const FORMAT = 1;

export interface CachedFindings {
  /** Hash of what the findings depend on beyond the file (its root's files, its configuration). */
  key: string;
  findings: ResolvedFinding[];
  /** Per finding, the head of the statement holding it (up to its first parenthesis), or null. */
  heads: Array<string | null>;
}

export interface CacheEntry {
  /** Hash of the file's text, name, layout and placeholders (see factsKey). */
  key: string;
  /**
   * The facts as JSON text, undefined for files that contribute none. Kept as text so that
   * reading the cache does not build every file's facts: a re-run needs them only for the
   * roots where some file changed.
   */
  facts?: string;
  findings?: CachedFindings;
}

interface CacheFile {
  pgwarden: 'lint-cache';
  format: number;
  build: string;
  files: Record<string, CacheEntry>;
}

export const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');

let buildId: string | undefined;
/**
 * The running build: its version and the hash of the bundle this code runs from, so a
 * rebuilt pgwarden (a changed rule with the same version number) never reads the results
 * of the previous one.
 */
export function pgwardenBuild(version: string): string {
  if (buildId === undefined) {
    let code = '';
    try {
      code = sha1(readFileSync(__filename, 'latin1'));
    } catch {
      // A bundle that cannot read itself still keys by version.
    }
    buildId = `${version}:${code}`;
  }
  return buildId;
}

/** The key of a file's facts: its text and everything else its parse depends on. */
export function factsKey(parts: { uri: string; text: string; layout?: unknown; placeholders?: unknown }): string {
  return sha1(`${parts.uri}\u0000${JSON.stringify(parts.layout ?? null)}\u0000${JSON.stringify(parts.placeholders ?? null)}\u0000${sha1(parts.text)}`);
}

/** Where the cache lives: a file, or CACHE_FILE in a folder (an existing one, or a path ending in a separator). */
export function cachePath(location: string | undefined, cwd: string): string {
  if (!location) return join(cwd, CACHE_FILE);
  const abs = join(location.startsWith('/') || /^[A-Za-z]:[\\/]/.test(location) ? '' : cwd, location);
  if (/[\\/]$/.test(location)) return join(abs, CACHE_FILE);
  try {
    if (statSync(abs).isDirectory()) return join(abs, CACHE_FILE);
  } catch {
    // Not there yet: a file of that name.
  }
  return abs;
}

export class LintCache {
  private files: Record<string, CacheEntry> = {};
  /** False when the file is not ours: it is then never written. */
  private writable = true;
  /** Whether an entry changed since the file was read: an unchanged cache is not written again. */
  private dirty = false;
  /** Counters for tests and the benchmark. */
  readonly stats = { factsHits: 0, findingsHits: 0 };

  private constructor(
    readonly path: string,
    private readonly build: string,
  ) {}

  /** Reads the cache at `path`; problems go to `warn` and leave an empty cache. */
  static open(path: string, build: string, warn: (message: string) => void): LintCache {
    const cache = new LintCache(path, build);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') warn(`cannot read the cache file ${path} (${(err as Error).message}); running without it`);
      return cache;
    }
    if (!text.startsWith(MAGIC)) {
      cache.writable = false;
      warn(`${path} is not a pgwarden cache file; it is left alone and the run does not use a cache (give another --cache-location)`);
      return cache;
    }
    let parsed: CacheFile;
    try {
      parsed = JSON.parse(text) as CacheFile;
    } catch {
      warn(`the cache file ${path} is damaged (not valid JSON); it is ignored and rewritten`);
      cache.dirty = true;
      return cache;
    }
    if (parsed.format !== FORMAT || typeof parsed.files !== 'object' || parsed.files === null || Array.isArray(parsed.files)) {
      warn(`the cache file ${path} has an unknown layout; it is ignored and rewritten`);
      cache.dirty = true;
      return cache;
    }
    // Another build's results are stale, not wrong to have: they are dropped quietly.
    if (parsed.build === build) cache.files = parsed.files;
    else cache.dirty = true;
    return cache;
  }

  /** A file's entry when its key matches (the file and its parse inputs are unchanged). */
  get(path: string, key: string): CacheEntry | undefined {
    const e = Object.hasOwn(this.files, path) ? this.files[path] : undefined;
    if (!e || typeof e !== 'object' || e.key !== key) return undefined;
    this.stats.factsHits++;
    return e;
  }

  /** The findings of an entry when they were computed with the same context. */
  findings(entry: CacheEntry, key: string): CachedFindings | undefined {
    const f = entry.findings;
    if (!f || f.key !== key || !Array.isArray(f.findings) || !Array.isArray(f.heads)) return undefined;
    this.stats.findingsHits++;
    return f;
  }

  /** The facts of an entry; undefined when they do not read back. */
  facts(entry: CacheEntry): FileFacts | undefined {
    if (typeof entry.facts !== 'string') return undefined;
    try {
      return JSON.parse(entry.facts) as FileFacts;
    } catch {
      return undefined;
    }
  }

  set(path: string, entry: CacheEntry): void {
    const old = Object.hasOwn(this.files, path) ? this.files[path] : undefined;
    if (old && old.key === entry.key && old.facts === entry.facts && old.findings?.key === entry.findings?.key) return;
    this.files[path] = entry;
    this.dirty = true;
  }

  /** Writes the cache (to a temporary file renamed over it, so a reader never sees half of it). */
  save(warn: (message: string) => void): void {
    if (!this.writable || !this.dirty) return;
    const body: CacheFile = { pgwarden: 'lint-cache', format: FORMAT, build: this.build, files: this.files };
    const tmp = `${this.path}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      // The magic prefix is the first key, as JSON.stringify keeps insertion order.
      writeFileSync(tmp, JSON.stringify(body));
      renameSync(tmp, this.path);
    } catch (err) {
      warn(`cannot write the cache file ${this.path} (${(err as Error).message})`);
      try {
        unlinkSync(tmp);
      } catch {
        // Nothing was written.
      }
    }
  }
}
