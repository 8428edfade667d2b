// Where a lint run's work happens: in this thread, or in a pool of threads (one per core:
// this one and worker threads) that share the files. Both run the same LintSession code
// on the same plain data, and answers come back in the order asked, so the findings do not
// depend on which was used. A pool costs each worker its own parser (WASM) start, so the
// CLI uses one only when there is enough to parse (see shouldUsePool). A file large enough
// is shared by every thread, each parsing and linting a range of its statements
// (../lint-split.ts).

import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileFacts } from '../core/sql/facts';
import { loadParser } from '../core/sql/parser';
import { answer } from './lint-worker';
import { JobFile, LintJob, LintOutcome, LintSession, PartJob, RootFacts, WireRoot } from '../lint-jobs';
import { baselineJitOnly, FileRange, fileRanges, joinFacts, joinOutcomes, lazyFacts, PartOutcome, SerializedFacts, SharedFacts, splitRanges } from '../lint-split';
import type { SplitResult } from '../core/sql/split';

export interface LintExecutor {
  /** Facts of each file (undefined for pg_hba.conf and postgresql.conf), in the order given. */
  facts(files: JobFile[]): Promise<Array<FileFacts | undefined>>;
  /** Findings of each job, in the order given; `roots` holds the facts of every root the jobs name. */
  lint(jobs: LintJob[], roots: RootFacts[]): Promise<{ outcomes: LintOutcome[]; internal: string[] }>;
  close(): Promise<void>;
}

/** Below this much SQL to parse, starting workers (each loads its own parser) costs more than it saves. */
export const POOL_MIN_BYTES = 512 * 1024;

/**
 * From this size on, with a number of threads given (`--threads N`), a file is shared by
 * the threads. Each of them then builds the whole file's model and the workers start, and
 * V8 runs without its optimising tier meanwhile (baselineJitOnly): measured on the 2-core
 * machine, the 50,000-line file (2 MB) took as long on two threads as on one (1.37-1.45 s
 * against 1.36-1.48 s at load 2) for 0.3 s more CPU. So `--threads auto` never shares a file.
 */
export const SPLIT_MIN_BYTES = 1024 * 1024;

/**
 * Whether a run with files of these sizes (UTF-16 units) to parse should use a pool of
 * `threads` workers; `forced`: the number was given, so a large file is shared.
 */
export function shouldUsePool(threads: number, sizes: readonly number[], forced: boolean): boolean {
  if (threads < 2 || sizes.length === 0) return false;
  if (forced && sizes.some((n) => n >= SPLIT_MIN_BYTES)) return true;
  return sizes.length >= 2 && (forced || sizes.reduce((a, b) => a + b, 0) >= POOL_MIN_BYTES);
}

/**
 * The number of workers for `--threads auto`: one per core the process may use, with two
 * exceptions. With two cores or fewer, one thread: measured on an idle 2-core machine, a
 * pool was slower than one thread on every input (the corpus folder 2.07 s against 1.83 s,
 * each worker loading the bundle and the parser and warming up its own JIT). And none while
 * other processes already keep every core busy (load average at or above the core count):
 * a pool then only adds its start-up without a core to gain.
 */
export function autoThreads(): number {
  const cores = availableParallelism();
  return cores <= 2 || loadavg()[0] >= cores ? 1 : cores;
}

export class InProcessExecutor implements LintExecutor {
  readonly session = new LintSession();

  async facts(files: JobFile[]): Promise<Array<FileFacts | undefined>> {
    if (files.length) await loadParser();
    return this.session.facts(files);
  }

  async lint(jobs: LintJob[], roots: RootFacts[]): Promise<{ outcomes: LintOutcome[]; internal: string[] }> {
    // Linting pg_hba.conf, pg_ident.conf and postgresql.conf parses no SQL: a cached re-run that lints only those loads no parser.
    if (jobs.some((j) => j.file.language === 'sql')) await loadParser();
    this.session.setWorkspaces(roots);
    const before = this.session.internal.length;
    const outcomes = this.session.lint(jobs);
    return { outcomes, internal: this.session.internal.slice(before) };
  }

  async close(): Promise<void> {}
}

export type PoolRequest =
  | { id: number; method: 'facts'; files: JobFile[]; baselineJit?: boolean }
  | { id: number; method: 'lint'; jobs: LintJob[]; parts: PartJob[]; roots: WireRoot[] }
  | { id: number; method: 'reset' };
export type PoolResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/**
 * What a worker runs: the CLI bundle itself when bundled, the TypeScript entry under tsx.
 * The bundle is loaded through bin/load-bundle.js when it is there (the installed CLI), so
 * the worker compiles from V8's code cache as the main thread does: without it, compiling
 * the bundle again was most of a worker's start.
 */
function workerScript(): { file: string; eval?: true; execArgv?: string[] } {
  if (__filename.endsWith('.ts')) return { file: join(__dirname, 'lint-worker.ts'), execArgv: ['--require', 'tsx/cjs'] };
  const loader = join(__dirname, '..', 'bin', 'load-bundle.js');
  if (!existsSync(loader)) return { file: __filename };
  return { file: `require(${JSON.stringify(loader)}).loadBundle(${JSON.stringify(__filename)});`, eval: true };
}

export interface PoolOptions {
  /** Files from this size on are shared by every worker (SPLIT_MIN_BYTES by default). */
  splitBytes?: number;
  /** The part of a shared file this thread takes (it starts before the workers); firstShareOf when not given. */
  firstShare?: number;
  /** Told, for each file shared, how many statements each worker took. */
  trace?: (line: string) => void;
}

/**
 * A pool of `size` threads: this one (slot 0) and `size - 1` workers. This thread takes a
 * share like the others rather than only waiting for them, which saves a worker's start
 * (loading the bundle and the parser again) on every run.
 */
export class PoolExecutor implements LintExecutor {
  private readonly workers: Worker[];
  /** This thread's session, slot 0. */
  private local = new LintSession();
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  /** Which worker holds each file's analysis (by path), so it lints what it parsed. */
  private readonly owner = new Map<string, number>();
  /** The files shared by the workers (by path): worker k holds range k. */
  private readonly shared = new Map<string, FileRange[]>();
  /** Per shared file, its ranges' facts as JSON, as the workers made it. */
  private readonly factJson = new Map<string, string[]>();
  /** Per shared file, the keys of its facts in order (every range's facts have the same). */
  private readonly factKeys = new Map<string, string[]>();
  /** Per file shared with exact ranges, this thread's range split while deciding them. */
  private readonly firstSplits = new Map<string, SplitResult>();
  /** The facts facts() returned for shared files, by path (lint() sends their JSON instead). */
  private readonly handles = new Map<FileFacts, string>();
  private readonly load: number[];
  /** Whether a file was shared with no core left for V8's helper threads (a worker then turned the optimising compiler off: baselineJitOnly). */
  private baselineJit = false;
  private readonly splitBytes: number;

  constructor(
    size: number,
    private readonly options: PoolOptions = {},
  ) {
    const { file, eval: isCode, execArgv } = workerScript();
    this.splitBytes = options.splitBytes ?? SPLIT_MIN_BYTES;
    this.load = new Array(size).fill(0);
    this.workers = Array.from({ length: size - 1 }, () => {
      const w = new Worker(file, { workerData: { pgwardenLintWorker: true }, ...(isCode ? { eval: true } : {}), ...(execArgv ? { execArgv } : {}) });
      w.on('message', (m: PoolResponse) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.result);
        else p.reject(new Error(m.error));
      });
      w.on('error', (err) => this.failAll(`a lint worker failed: ${err.message}`));
      w.on('exit', (code) => {
        if (code !== 0) this.failAll(`a lint worker stopped (exit code ${code})`);
      });
      return w;
    });
  }

  private failAll(reason: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new Error(reason));
    }
  }

  /** The threads' slots, each with an empty list. */
  private lists<T>(): T[][] {
    return this.load.map(() => []);
  }

  private call<T>(slot: number, req: PoolRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never): Promise<T> {
    const id = this.nextId++;
    if (slot === 0) {
      // After the caller has posted every worker its share, so that they run meanwhile.
      return new Promise<T>((resolve, reject) =>
        setImmediate(() => {
          loadParser()
            .then(() => {
              if (req.method === 'reset') this.local = new LintSession();
              resolve((req.method === 'reset' ? null : answer(this.local, { ...req, id } as Exclude<PoolRequest, { method: 'reset' }>)) as T);
            })
            .catch(reject);
        }),
      );
    }
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.workers[slot - 1].postMessage({ ...req, id });
    });
  }

  /** The least loaded worker, counting text length as the work. */
  private pick(): number {
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i] < this.load[best]) best = i;
    return best;
  }

  /** The ranges of a SQL file large enough to share, decided once per file; undefined for the others. */
  private rangesOf(file: JobFile): FileRange[] | undefined {
    let ranges = this.shared.get(file.path);
    if (ranges || this.owner.has(file.path) || file.language !== 'sql' || this.load.length < 2 || file.text.length < this.splitBytes) return ranges;
    // This thread splits its own range here, to find where it ends, and keeps that split.
    const exact = splitRanges(file.text, this.load.length, file.parse?.placeholders, this.options.firstShare);
    if (exact) this.firstSplits.set(file.path, exact.first);
    this.shared.set(file.path, (ranges = exact?.ranges ?? fileRanges(file.text.length, this.load.length)));
    // With a core to spare for V8's helper threads, the optimising compiles cost no thread its core.
    this.baselineJit = this.load.length >= availableParallelism();
    ranges.forEach((r, w) => (this.load[w] += Math.min(r.end, file.text.length) - r.start));
    return ranges;
  }

  async facts(files: JobFile[]): Promise<Array<FileFacts | undefined>> {
    const parts: JobFile[][] = this.lists();
    /** Per worker, where each answer goes: a file's index, and for a shared file its range. */
    const places: Array<Array<{ file: number; range?: number }>> = this.lists();
    const whole: number[] = [];
    files.forEach((f, i) => {
      const ranges = this.rangesOf(f);
      if (!ranges) return void whole.push(i);
      const split = this.firstSplits.get(f.path);
      ranges.forEach((range, w) => {
        // This thread's share is answered in this thread: its split is handed over, not copied.
        parts[w].push(w === 0 && split ? { ...f, parse: { ...f.parse, split }, range } : { ...f, range });
        places[w].push({ file: i, range: w });
      });
    });
    // A root's files go to one worker: linting them needs the root's model, which a worker
    // builds from every file's facts, so splitting a root would build it twice. Largest
    // root first onto the least loaded worker keeps the shares even.
    const groups = new Map<string, number[]>();
    for (const i of whole) {
      const key = files[i].root ?? files[i].path;
      const g = groups.get(key);
      if (g) g.push(i);
      else groups.set(key, [i]);
    }
    const size = (g: number[]) => g.reduce((n, i) => n + files[i].text.length, 0);
    const order = [...groups.values()].map((g) => ({ g, n: size(g) })).sort((a, b) => b.n - a.n || a.g[0] - b.g[0]);
    const mine: number[][] = this.lists();
    for (const { g, n } of order) {
      const w = this.pick();
      this.load[w] += n;
      for (const i of g) {
        this.owner.set(files[i].path, w);
        mine[w].push(i);
      }
    }
    mine.forEach((idx, w) => {
      for (const i of idx.sort((a, b) => a - b)) {
        parts[w].push(files[i]);
        places[w].push({ file: i });
      }
    });
    const out: Array<FileFacts | undefined> = new Array(files.length);
    await Promise.all(
      parts.map(async (list, w) => {
        if (!list.length) return;
        const facts = await this.call<Array<FileFacts | SerializedFacts | undefined>>(w, { method: 'facts', files: list, baselineJit: this.baselineJit });
        places[w].forEach((p, k) => {
          const f = facts[k];
          if (p.range === undefined) out[p.file] = f as FileFacts | undefined;
          else {
            const { json, keys } = f as SerializedFacts;
            const path = files[p.file].path;
            (this.factJson.get(path) ?? this.factJson.set(path, []).get(path)!)[p.range] = json;
            this.factKeys.set(path, keys);
          }
        });
      }),
    );
    for (const [i, f] of files.entries()) {
      const json = this.factJson.get(f.path);
      if (!json || out[i]) continue;
      const handle = lazyFacts(() => joinFacts(json.map((j) => JSON.parse(j) as FileFacts)), this.factKeys.get(f.path)!);
      this.handles.set(handle, f.path);
      out[i] = handle;
    }
    return out;
  }

  async lint(jobs: LintJob[], roots: RootFacts[]): Promise<{ outcomes: LintOutcome[]; internal: string[] }> {
    const parts: number[][] = this.lists();
    const partJobs: PartJob[][] = this.lists();
    // Files parsed elsewhere (cached facts) follow their root's worker.
    const rootWorker = new Map<string, number>();
    jobs.forEach((j) => {
      const w = this.owner.get(j.file.path);
      if (w !== undefined && !rootWorker.has(j.root)) rootWorker.set(j.root, w);
    });
    const sharedJobs: number[] = [];
    jobs.forEach((j, i) => {
      const ranges = this.rangesOf(j.file);
      if (ranges) {
        sharedJobs.push(i);
        ranges.forEach((range, w) => partJobs[w].push({ ...j, file: { ...j.file, range } }));
        return;
      }
      let w = this.owner.get(j.file.path) ?? rootWorker.get(j.root);
      if (w === undefined) {
        w = this.pick();
        rootWorker.set(j.root, w);
      }
      if (!this.owner.has(j.file.path)) {
        this.load[w] += j.file.text.length;
        this.owner.set(j.file.path, w);
      }
      parts[w].push(i);
    });
    const byRoot = new Map(roots.map((r) => [r.root, r]));
    const outcomes: LintOutcome[] = new Array(jobs.length);
    const ranged: PartOutcome[][] = this.lists();
    const internal: string[][] = this.lists();
    const answered = Promise.all(
      parts.map(async (idx, w) => {
        if (!idx.length && !partJobs[w].length) return;
        const names = new Set([...idx.map((i) => jobs[i].root), ...partJobs[w].map((j) => j.root)]);
        const mine = [...names].map((r) => byRoot.get(r)).filter((r): r is RootFacts => !!r).map((r) => this.wire(r, w));
        const r = await this.call<{ outcomes: LintOutcome[]; parts: PartOutcome[]; internal: string[] }>(w, {
          method: 'lint',
          jobs: idx.map((i) => jobs[i]),
          parts: partJobs[w],
          roots: mine,
        });
        idx.forEach((i, k) => (outcomes[i] = r.outcomes[k]));
        ranged[w] = r.parts;
        internal[w] = r.internal;
      }),
    );
    await answered;
    // Worker w answered its range of each shared file, in the order of sharedJobs.
    sharedJobs.forEach((i, k) => {
      const mine = ranged.map((list) => list[k]);
      outcomes[i] = joinOutcomes(jobs[i].file.text, mine, jobs[i].config);
      const apart = this.shared.get(jobs[i].file.path)?.[0].exact ? ', each thread splitting its own part' : '';
      this.options.trace?.(`${jobs[i].file.path}: ${mine.length} threads, ${mine.map((p) => p.spans.length / 2).join(' + ')} statements${apart}`);
    });
    return { outcomes, internal: internal.flat() };
  }

  /** A root as worker `w` receives it: each shared file's facts as the other ranges' JSON. */
  private wire(r: RootFacts, w: number): WireRoot {
    return {
      root: r.root,
      files: r.files.map(([uri, facts]): [string, FileFacts | SharedFacts] => {
        const path = this.handles.get(facts);
        if (path === undefined) return [uri, facts];
        const parts = this.factJson.get(path)!.map((j, k) => (k === w ? null : j));
        return [uri, { shared: true, path, own: this.shared.get(path)![w], parts }];
      }),
    };
  }

  /** Forgets every analysis, so one pool can serve several runs (tests run many in one process). */
  async reset(): Promise<void> {
    this.owner.clear();
    this.shared.clear();
    this.factJson.clear();
    this.handles.clear();
    this.factKeys.clear();
    this.firstSplits.clear();
    this.load.fill(0);
    await Promise.all(this.load.map((_, w) => this.call(w, { method: 'reset' })));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    if (this.baselineJit) baselineJitOnly(false);
  }
}
