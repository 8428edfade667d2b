// The persistent lint cache (`pgwarden lint --cache`, and the editor's workspace index):
// per file, the facts it contributes to its project and, for the CLI, its findings, so a
// re-run over unchanged files parses nothing. Entries are keyed by hashes: a file's facts
// by its text, its name, its place in the project and the placeholders it was parsed
// with; its findings also by every other file of its root and by its configuration.
// Everything is tied to the build of pgwarden that wrote it.
//
// Timestamps only spare reading a file again: with the metadata strategy (the default), a
// file whose size, modification and change times and inode are those recorded when its
// text was hashed is taken to have that hash, the way git's index trusts a file's stat
// (see trustedHash). The hash stays the key of record.
//
// The file: one header line (JSON, starting with MAGIC), the CLI's replay record (JSON,
// cli/replay.ts), the index (JSON: per file its keys, metadata and findings), then the
// facts of every file as JSON texts one after the other, which the index points into. A
// re-run reads the header and the index only; facts are read, one file at a time, only for
// the projects where something changed. A replay reads the header and the record only.
//
// A cache file that cannot be read is ignored with a message: a corrupt pgwarden cache is
// rewritten, a file that is not a pgwarden cache is left alone (the location may be
// wrong, and it is not ours to overwrite).

import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ResolvedFinding } from './core/engine';
import type { ContentTraits } from './core/model/layout';
import type { FileFacts } from './core/sql/facts';
import type { FileReads } from './lint-jobs';
import { racyWindowMs, sha1 } from './inputs';

/** The cache file's name when a folder (or nothing) is given. */
export const CACHE_FILE = '.pgwardencache';

/** The first characters of every cache file this code writes: how a corrupt one is still known as ours. */
const MAGIC = '{"pgwarden":"lint-cache"';
const FORMAT = 3;

/** How a re-run knows a file is unchanged: by its metadata (size, times, inode) or by hashing its text. */
export type CacheStrategy = 'metadata' | 'content';

export interface CachedFindings {
  /** Hash of what the findings depend on beyond the file (its root's files, its configuration). */
  key: string;
  findings: ResolvedFinding[];
  /** Per finding, the head of the statement holding it (up to its first parenthesis), or null. */
  heads: Array<string | null>;
  /** Per finding, its line, column, end line and end column as reported (1-based), so a report needs no text. */
  positions?: number[];
  /** For pg_hba.conf, pg_ident.conf and postgresql.conf: the files and folders the findings also depend on. */
  reads?: FileReads;
}

/** A file's size, modification time, change time and inode, and when (ms since the epoch) they were taken. */
export type FileStamp = [size: number, mtimeMs: number, ctimeMs: number, ino: number, checkedAt: number];

export interface CacheEntry {
  /** Hash of the file's text, name, layout and placeholders (see factsKey). */
  key: string;
  /** SHA-1 of the file's text, with the metadata it had when it was hashed and what the layout reads from it. */
  text?: { hash: string; stamp?: FileStamp; traits?: ContentTraits };
  /**
   * The facts as JSON text, undefined for files that contribute none; as read from a cache
   * file, where they are in it ([offset, length] in bytes after the index). Kept as text so
   * that reading the cache does not build every file's facts.
   */
  facts?: string | [number, number];
  findings?: CachedFindings;
}

interface CacheHeader {
  pgwarden: 'lint-cache';
  format: number;
  build: string;
  /** Bytes of the replay record (cli/replay.ts; 0: none), of the index, then of the facts, after the header line. */
  replay: number;
  index: number;
  facts: number;
}

/** The header of a cache file of this build, and where the sections after it start; or what is wrong (as LintCache.read says). */
export function readHeader(fd: number, build: string): { header: CacheHeader; at: number } | string {
  const size = fstatSync(fd).size;
  const head = Buffer.alloc(Math.min(size, 4096));
  readSync(fd, head, 0, head.length, 0);
  if (!head.toString('latin1').startsWith(MAGIC)) return 'foreign';
  const nl = head.indexOf(10);
  const format = /^\{"pgwarden":"lint-cache","format":(\d+),/.exec(head.toString('latin1'));
  // Another format (an older pgwarden) is stale, not damaged.
  if (format && Number(format[1]) !== FORMAT) return 'stale';
  let header: CacheHeader;
  try {
    if (nl < 0) throw new Error('no header line');
    header = JSON.parse(head.toString('utf8', 0, nl)) as CacheHeader;
  } catch {
    return 'is damaged (not valid JSON)';
  }
  if (header.format !== FORMAT || ![header.replay, header.index, header.facts].every((n) => Number.isSafeInteger(n) && n >= 0)) return 'has an unknown layout';
  if (nl + 1 + header.replay + header.index + header.facts !== size) return 'is damaged (truncated)';
  // Another build's results are stale, not wrong to have: they are dropped quietly.
  if (header.build !== build) return 'stale';
  return { header, at: nl + 1 };
}

/** The replay record section of a cache file whose header readHeader accepted (cli/replay.ts); undefined when it has none or it cannot be read whole. */
export function readReplaySection(fd: number, head: { header: CacheHeader; at: number }): string | undefined {
  if (!head.header.replay) return undefined;
  const buf = Buffer.alloc(head.header.replay);
  return readSync(fd, buf, 0, buf.length, head.at) === buf.length ? buf.toString('utf8') : undefined;
}

export { racyWindowMs, sha1 };

/**
 * scripts/build.mjs replaces this text, everywhere in a bundle, with the SHA-1 of the bundle
 * (the bundle's first line, `// pgwarden build <hash>`, carries the same). Run from the
 * sources (tsx) it stays as written.
 */
const BUILD_STAMP = 'pgwarden-build-hash-placeholder-00000000';

let buildId: string | undefined;
/**
 * The running build: its version and the hash of the bundle this code runs from, so a
 * rebuilt pgwarden (a changed rule with the same version number) never reads the results
 * of the previous one. The bundle's hash is stamped in at build time; from the sources,
 * this file's text is hashed instead.
 */
export function pgwardenBuild(version: string): string {
  if (buildId === undefined) {
    let code = BUILD_STAMP.startsWith('pgwarden-build-') ? '' : BUILD_STAMP;
    if (!code) {
      try {
        code = sha1(readFileSync(__filename, 'latin1'));
      } catch {
        // A file that cannot read itself still keys by version.
      }
    }
    buildId = `${version}:${code}`;
  }
  return buildId;
}

/** The key of a file's facts: its text (or the text's sha1) and everything else its parse depends on. */
export function factsKey(parts: { uri: string; text?: string; textHash?: string; layout?: unknown; placeholders?: unknown }): string {
  const textHash = parts.textHash ?? sha1(parts.text ?? '');
  return sha1(`${parts.uri}\u0000${JSON.stringify(parts.layout ?? null)}\u0000${JSON.stringify(parts.placeholders ?? null)}\u0000${textHash}`);
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
  /** The cache file the facts are read from, and where they start in it. */
  private fd: number | undefined;
  private factsAt = 0;
  /** The replay record, as read or as set, written with the entries. */
  private replay: string | undefined;
  /** Counters for tests and the benchmark. */
  readonly stats = { factsHits: 0, findingsHits: 0, factsRead: 0 };

  private constructor(
    readonly path: string,
    private readonly build: string,
  ) {}

  /** Reads the cache at `path` (its header and index); problems go to `warn` and leave an empty cache. */
  static open(path: string, build: string, warn: (message: string) => void): LintCache {
    const cache = new LintCache(path, build);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') warn(`cannot read the cache file ${path} (${(err as Error).message}); running without it`);
      return cache;
    }
    let keep = false;
    try {
      const problem = cache.read(fd);
      if (problem === 'foreign') {
        cache.writable = false;
        warn(`${path} is not a pgwarden cache file; it is left alone and the run does not use a cache (give another --cache-location)`);
      } else if (problem) {
        cache.dirty = true;
        if (problem !== 'stale') warn(`the cache file ${path} ${problem}; it is ignored and rewritten`);
      } else keep = true;
    } catch (err) {
      warn(`cannot read the cache file ${path} (${(err as Error).message}); running without it`);
    }
    if (keep) cache.fd = fd;
    else closeSync(fd);
    return cache;
  }

  /** Reads the header and the index; what is wrong with the file, if anything ('stale': another build's or format's, dropped quietly). */
  private read(fd: number): string | undefined {
    const head = readHeader(fd, this.build);
    if (typeof head === 'string') return head;
    const { header, at } = head;
    this.replay = readReplaySection(fd, head);
    const body = Buffer.alloc(header.index);
    readSync(fd, body, 0, body.length, at + header.replay);
    let files: unknown;
    try {
      files = JSON.parse(body.toString('utf8'));
    } catch {
      return 'is damaged (not valid JSON)';
    }
    if (typeof files !== 'object' || files === null || Array.isArray(files)) return 'has an unknown layout';
    this.files = files as Record<string, CacheEntry>;
    this.factsAt = at + header.replay + header.index;
    return undefined;
  }

  /** A file's entry when its key matches (the file and its parse inputs are unchanged). */
  get(path: string, key: string): CacheEntry | undefined {
    const e = this.entry(path);
    if (!e || e.key !== key) return undefined;
    this.stats.factsHits++;
    return e;
  }

  private entry(path: string): CacheEntry | undefined {
    const e = Object.hasOwn(this.files, path) ? this.files[path] : undefined;
    return e && typeof e === 'object' ? e : undefined;
  }

  /**
   * The hash and traits recorded for a file's text, when its metadata now is what it was
   * when that text was hashed, and that was long enough after its last change (racyWindowMs)
   * that a later edit would have changed its times. The change time (ctime) cannot be set
   * by tools that restore a modification time (cp -p, rsync -t, tar, touch -d), so a file
   * rewritten with the same size and an old mtime is still hashed again.
   */
  trustedText(path: string, stat: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>): { hash: string; traits: ContentTraits; stamp: FileStamp } | undefined {
    const t = this.entry(path)?.text;
    const s = t?.stamp;
    if (!t || !Array.isArray(s) || !t.traits || typeof t.hash !== 'string') return undefined;
    const [size, mtimeMs, ctimeMs, ino, checkedAt] = s;
    if (size !== stat.size || mtimeMs !== stat.mtimeMs || ctimeMs !== stat.ctimeMs || ino !== stat.ino) return undefined;
    const window = racyWindowMs(mtimeMs, ctimeMs);
    if (!(mtimeMs < checkedAt - window && ctimeMs < checkedAt - window)) return undefined;
    return { hash: t.hash, traits: t.traits, stamp: s };
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
    const text = this.factsText(entry.facts);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as FileFacts;
    } catch {
      return undefined;
    }
  }

  private factsText(facts: CacheEntry['facts']): string | undefined {
    if (typeof facts === 'string') return facts;
    if (!validRange(facts) || this.fd === undefined) return undefined;
    const buf = Buffer.alloc(facts[1]);
    try {
      if (readSync(this.fd, buf, 0, buf.length, this.factsAt + facts[0]) !== buf.length) return undefined;
    } catch {
      return undefined;
    }
    this.stats.factsRead++;
    return buf.toString('utf8');
  }

  /** The whole facts section of the file read. */
  private readFacts(): Buffer {
    const buf = Buffer.alloc(Math.max(0, fstatSync(this.fd!).size - this.factsAt));
    readSync(this.fd!, buf, 0, buf.length, this.factsAt);
    return buf;
  }

  set(path: string, entry: CacheEntry): void {
    const old = this.entry(path);
    const sameFindings = old?.findings?.key === entry.findings?.key && JSON.stringify(old?.findings?.reads) === JSON.stringify(entry.findings?.reads);
    if (old && old.key === entry.key && sameFacts(old.facts, entry.facts) && sameFindings && sameText(old.text, entry.text)) return;
    this.files[path] = entry;
    this.dirty = true;
  }

  /** The replay record the file holds (cli/replay.ts), or the one set since. */
  replayRecord(): string | undefined {
    return this.replay;
  }

  /** The replay record to keep with the entries; the file is written again unless it holds that one already. */
  setReplay(record: string): void {
    if (record === this.replay) return;
    this.replay = record;
    this.dirty = true;
  }

  /** Forgets a file (its text changed while it was read: nothing about it is known for sure). */
  delete(path: string): void {
    if (!Object.hasOwn(this.files, path)) return;
    delete this.files[path];
    this.dirty = true;
  }

  /** Writes the cache (to a temporary file renamed over it, so a reader never sees half of it). */
  save(warn: (message: string) => void): void {
    if (!this.writable || !this.dirty) return;
    const tmp = `${this.path}.${process.pid}.tmp`;
    let fd: number | undefined;
    try {
      // Facts still in the old file are copied from it (read in one piece); every entry then points into the new one.
      let previous: Buffer | undefined;
      const blobOf = (facts: CacheEntry['facts']): Buffer | undefined => {
        if (typeof facts === 'string') return Buffer.from(facts, 'utf8');
        if (!validRange(facts) || this.fd === undefined) return undefined;
        previous ??= this.readFacts();
        return facts[0] + facts[1] <= previous.length ? previous.subarray(facts[0], facts[0] + facts[1]) : undefined;
      };
      const blobs: Buffer[] = [];
      const index: Record<string, CacheEntry> = {};
      let at = 0;
      for (const [path, e] of Object.entries(this.files)) {
        const blob = blobOf(e.facts);
        index[path] = { ...e, facts: blob && [at, blob.length] };
        if (!blob) continue;
        blobs.push(blob);
        at += blob.length;
      }
      const body = Buffer.from(JSON.stringify(index), 'utf8');
      const replay = Buffer.from(this.replay ?? '', 'utf8');
      // The magic prefix comes first, as JSON.stringify keeps insertion order.
      const header: CacheHeader = { pgwarden: 'lint-cache', format: FORMAT, build: this.build, replay: replay.length, index: body.length, facts: at };
      const head = Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
      mkdirSync(dirname(this.path), { recursive: true });
      fd = openSync(tmp, 'w+');
      for (const b of [head, replay, body, ...blobs]) writeAll(fd, b);
      renameSync(tmp, this.path);
      // The descriptor of the renamed file keeps reading what was just written, whatever another run writes later.
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = fd;
      fd = undefined;
      this.factsAt = head.length + replay.length + body.length;
      this.files = index;
      this.dirty = false;
    } catch (err) {
      warn(`cannot write the cache file ${this.path} (${(err as Error).message})`);
      try {
        if (fd !== undefined) closeSync(fd);
        unlinkSync(tmp);
      } catch {
        // Nothing was written.
      }
    }
  }
}

function validRange(facts: CacheEntry['facts']): facts is [number, number] {
  return Array.isArray(facts) && Number.isSafeInteger(facts[0]) && Number.isSafeInteger(facts[1]) && facts[0] >= 0 && facts[1] >= 0;
}

function writeAll(fd: number, b: Buffer): void {
  for (let done = 0; done < b.length; ) done += writeSync(fd, b, done, b.length - done);
}

function sameFacts(a: CacheEntry['facts'], b: CacheEntry['facts']): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a[0] === b[0] && a[1] === b[1];
  return a === b;
}

function sameText(a: CacheEntry['text'], b: CacheEntry['text']): boolean {
  if (!a || !b) return a === b;
  return a.hash === b.hash && JSON.stringify(a.stamp) === JSON.stringify(b.stamp) && a.traits?.dump === b.traits?.dump && a.traits?.pgtap === b.traits?.pgtap;
}
