// The main thread's side of the analysis worker. It forwards requests, gives each a time
// budget, and when the worker hangs or its WASM parser fails, it replaces the worker and
// replays what the worker knew (roots, settings, config, catalog facts, open documents),
// so every other document keeps its findings. The document that caused the failure gets
// one diagnostic saying it was not analysed, until its text changes.

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Diagnostic, DiagnosticSeverity, TextEdit as LspTextEdit } from 'vscode-languageserver';
import { ConfigProblem } from '../core/config';
import { DocLanguage } from '../core/lint';
import { docsUrl } from '../core/rules';
import { CatalogFacts } from '../core/workspace';
import type { ClosedReport, WorkerRequest, WorkerResponse } from './worker';
import type { FindQuery, WorkspaceLocation } from '../core/live/locate';
import type { PgwardenConfig } from '../core/config';
import type { ComparedDatabase } from '../core/drift/declared';
import type { RootDeclared } from './drift-declared';
import { STALE_BASE, textChange } from './textChange';

import { MAX_DOCUMENT_CHARS } from './limits';

export { MAX_DOCUMENT_CHARS };
/** Files indexed per request to the worker while a workspace is indexed. */
export const INDEX_BATCH_FILES = 100;
/** Time budget for analysing one document version. */
export const ANALYSIS_BUDGET_MS = 20_000;

interface OpenText {
  version: number;
  language: DocLanguage;
  text: string;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class WorkerFailure extends Error {
  constructor(message: string, readonly kind: 'timeout' | 'fatal' | 'error' | 'restarted') {
    super(message);
  }
}

export class AnalysisHost {
  private worker!: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private readonly open = new Map<string, OpenText>();
  /** The text the current worker holds for each document, to send it only what changed. */
  private readonly workerText = new Map<string, { version: number; text: string }>();
  /** Counts requests that may change findings, as they are queued. */
  private generation = 0;
  /**
   * Diagnostics the worker computed right after analysing a version (saving a second
   * round trip per edit), valid while no request that may change findings followed.
   */
  private readonly ready = new Map<string, { version: number; generation: number; json: string }>();
  /** Documents (at a version) that could not be analysed, with the reason. */
  private readonly failed = new Map<string, { version: number; reason: string }>();
  /** Closed files that could not be analysed from disk, with the reason, until they change on disk. */
  private readonly closedFailed = new Map<string, string>();
  private roots: string[] = [];
  private indexCache: string | undefined;
  private filesExclude: string[] = [];
  /** pgwarden.json documents open in the editor, replayed into a new worker. */
  private readonly openConfigs = new Map<string, string>();
  private catalog: CatalogFacts | undefined;
  configUri: string | undefined;
  configProblems: ConfigProblem[] = [];
  restarts = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly workerPath: string = join(__dirname, 'worker.js'),
    private readonly onInternalError: (message: string) => void = () => undefined,
  ) {
    this.spawn();
  }

  private spawn(): void {
    // A young generation of 12 MB (V8's default lets it grow to 48) keeps the server's
    // memory with a 10,000-line file open about 10-15 MB lower at no measurable cost per edit.
    this.worker = new Worker(this.workerPath, { resourceLimits: { maxOldGenerationSizeMb: 2048, maxYoungGenerationSizeMb: 12 } });
    this.worker.on('message', (msg: WorkerResponse) => {
      if ('internalError' in msg) {
        this.onInternalError(msg.internalError);
        return;
      }
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new WorkerFailure(msg.error, msg.fatal ? 'fatal' : 'error'));
    });
    this.worker.on('error', (err) => {
      this.onInternalError(`analysis worker: ${err.message}`);
      this.failAll('the analysis worker failed');
    });
    this.worker.on('exit', () => this.failAll('the analysis worker stopped'));
  }

  private failAll(reason: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new WorkerFailure(reason, 'restarted'));
      this.pending.delete(id);
    }
  }

  /** Sends one request; requests run one at a time in the worker, in order. */
  private call<T>(method: WorkerRequest['method'], args: unknown[], budgetMs = ANALYSIS_BUDGET_MS): Promise<T> {
    if (!READ_ONLY.has(method)) this.generation++;
    const run = () =>
      new Promise<T>((resolve, reject) => {
        const id = this.nextId++;
        const timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new WorkerFailure(`analysis took longer than ${Math.round(budgetMs / 1000)} s`, 'timeout'));
        }, budgetMs);
        this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        this.worker.postMessage({ id, method, args } satisfies WorkerRequest);
      });
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Replaces the worker and replays everything but the document that broke it. */
  private async restart(culprit?: string): Promise<void> {
    this.restarts++;
    const old = this.worker;
    old.removeAllListeners('exit');
    this.failAll('the analysis worker was replaced');
    void old.terminate();
    this.workerText.clear();
    this.ready.clear();
    this.queue = Promise.resolve();
    this.spawn();
    await this.call('init', [this.roots, this.indexCache]);
    await this.call('setFilesExclude', [this.filesExclude]);
    for (const [uri, text] of this.openConfigs) await this.call('loadConfig', [{ uri, text }]);
    if (!this.openConfigs.size) await this.call('loadConfig', []);
    await this.call('indexWorkspace', [], 120_000);
    if (this.catalog) await this.call('setCatalog', [this.catalog]);
    for (const [uri, doc] of this.open) {
      if (uri === culprit || this.failed.has(uri)) continue;
      try {
        await this.call('update', [uri, doc.version, doc.language, doc.text]);
        this.workerText.set(uri, { version: doc.version, text: doc.text });
      } catch (err) {
        this.failed.set(uri, { version: doc.version, reason: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  async init(roots: string[], indexCache?: string): Promise<void> {
    this.roots = roots;
    this.indexCache = indexCache;
    await this.call('init', [roots, indexCache]);
  }

  async setFilesExclude(globs: string[]): Promise<void> {
    this.filesExclude = globs;
    await this.call('setFilesExclude', [globs]);
  }

  /** Reads the configuration again, after a pgwarden.json was edited (text) or closed (no text), or changed on disk. */
  async loadConfig(change?: { uri: string; text?: string }): Promise<void> {
    if (change?.text === undefined) this.openConfigs.delete(change?.uri ?? '');
    else this.openConfigs.set(change.uri, change.text);
    const r = await this.call<{ configUri?: string; problems: ConfigProblem[] }>('loadConfig', [change]);
    this.configUri = r.configUri;
    this.configProblems = r.problems;
  }

  /** The problems of one pgwarden.json, the workspace's or a nested project's. */
  configProblemsOf(uri: string): Promise<ConfigProblem[]> {
    return this.call<ConfigProblem[]>('configProblemsOf', [uri]);
  }

  /**
   * Indexes the workspace in batches of INDEX_BATCH_FILES files, so requests made meanwhile
   * (an opened document's analysis and diagnostics) wait for one batch, not for every
   * file. `onStart` learns the number of files before the first batch. Returns that number.
   */
  async indexWorkspace(onStart?: (files: number) => void): Promise<number> {
    const files = await this.call<number>('indexStart', [], 120_000);
    onStart?.(files);
    // Requests that waited for the count (provisional diagnostics) are queued before the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while ((await this.call<number>('indexBatch', [INDEX_BATCH_FILES], 120_000)) > 0);
    return files;
  }

  fileChanged(uri: string, deleted: boolean): Promise<boolean> {
    this.closedFailed.delete(uri);
    return this.call<boolean>('fileChanged', [uri, deleted]);
  }

  async setCatalog(facts: CatalogFacts | undefined): Promise<void> {
    this.catalog = facts;
    await this.call('setCatalog', [facts]);
  }

  /**
   * Analyses a new document version. Returns whether workspace facts changed. A document
   * too large, too slow or fatal to the parser is recorded as failed, not thrown.
   */
  async update(uri: string, version: number, language: DocLanguage, text: string): Promise<boolean> {
    this.open.set(uri, { version, language, text });
    this.failed.delete(uri);
    this.ready.delete(uri);
    const held = this.workerText.get(uri);
    // Requests run in order: once this one has run, the worker holds this version.
    this.workerText.set(uri, { version, text });
    if (text.length > MAX_DOCUMENT_CHARS) {
      this.workerText.delete(uri);
      this.failed.set(uri, { version, reason: `the document is larger than ${MAX_DOCUMENT_CHARS / 1024 / 1024} MB` });
      await this.call('close', [uri]);
      return false;
    }
    try {
      // An edit sends the worker only the changed range of the text it already holds:
      // copying a large document to the worker on every keystroke costs more than the edit.
      type Updated = { changed: boolean; diagnostics?: { version: number; json: string } };
      let promise = this.call<Updated>('update', [uri, version, language, held ? textChange(held.text, text, held.version) : text, true]);
      let generation = this.generation;
      let r: Updated;
      try {
        r = await promise;
      } catch (err) {
        // The worker lacks the version the change was made against (an earlier update
        // failed, or the worker was replaced meanwhile): send the whole text.
        if (!(held && err instanceof WorkerFailure && err.kind === 'error' && err.message.startsWith(STALE_BASE))) throw err;
        promise = this.call<Updated>('update', [uri, version, language, text, true]);
        generation = this.generation;
        r = await promise;
      }
      if (r.diagnostics) this.ready.set(uri, { ...r.diagnostics, generation });
      return r.changed;
    } catch (err) {
      if (this.workerText.get(uri)?.version === version) this.workerText.delete(uri);
      return this.recover(uri, version, err);
    }
  }

  private async recover(uri: string, version: number, err: unknown): Promise<false> {
    const f = err instanceof WorkerFailure ? err : new WorkerFailure(String(err), 'error');
    if (f.kind === 'restarted') throw f;
    this.failed.set(uri, { version, reason: f.kind === 'timeout' ? f.message : `the parser failed (${f.message.split('\n')[0]})` });
    if (f.kind === 'timeout' || f.kind === 'fatal') await this.restart(uri);
    else this.onInternalError(`analysing ${uri}: ${f.message}`);
    return false;
  }

  async close(uri: string): Promise<void> {
    this.open.delete(uri);
    this.workerText.delete(uri);
    this.ready.delete(uri);
    this.failed.delete(uri);
    await this.call('close', [uri]);
  }

  isCurrent(uri: string, version: number): boolean {
    return this.open.get(uri)?.version === version;
  }

  /** Diagnostics for the document's current version; undefined when it moved on meanwhile. */
  async diagnostics(uri: string): Promise<{ version: number; diagnostics: Diagnostic[] } | undefined> {
    const failed = this.failed.get(uri);
    if (failed) return { version: failed.version, diagnostics: [notAnalysed(failed.reason)] };
    const ready = this.ready.get(uri);
    if (ready && ready.generation === this.generation && ready.version === this.open.get(uri)?.version) {
      return { version: ready.version, diagnostics: JSON.parse(ready.json) as Diagnostic[] };
    }
    try {
      // The worker sends the diagnostics as one JSON text: a string crosses the thread
      // boundary as a copy, far cheaper than cloning hundreds of objects.
      const r = await this.call<{ version: number; json: string } | undefined>('diagnostics', [uri]);
      return r && { version: r.version, diagnostics: JSON.parse(r.json) as Diagnostic[] };
    } catch (err) {
      const doc = this.open.get(uri);
      if (!doc) return undefined;
      await this.recover(uri, doc.version, err);
      const f = this.failed.get(uri);
      return f ? { version: f.version, diagnostics: [notAnalysed(f.reason)] } : undefined;
    }
  }

  /** The workspace's SQL files not open in the editor. */
  closedFiles(): Promise<string[]> {
    return this.call('closedFiles', [], 60_000);
  }

  /**
   * Closed files' diagnostics from disk (see the worker's closedDiagnostics). A file that
   * hangs or breaks the parser costs the worker (it is replaced, as for an open document)
   * and gets the one diagnostic saying it was not analysed; the others in its batch are
   * analysed again one by one.
   */
  async closedDiagnostics(uris: string[]): Promise<Array<{ uri: string; resultId: string; diagnostics: Diagnostic[] } | { uri: string; gone: true }>> {
    const known = uris.filter((u) => this.closedFailed.has(u)).map((uri) => ({ uri, resultId: `failed:${this.closedFailed.get(uri)}`, diagnostics: [notAnalysed(this.closedFailed.get(uri)!)] }));
    if (known.length) return [...known, ...(await this.closedDiagnostics(uris.filter((u) => !this.closedFailed.has(u))))];
    if (!uris.length) return [];
    let reports: ClosedReport[];
    try {
      reports = await this.call<ClosedReport[]>('closedDiagnostics', [uris]);
    } catch (err) {
      const f = err instanceof WorkerFailure ? err : new WorkerFailure(String(err), 'error');
      if (f.kind === 'restarted') throw f;
      if (f.kind === 'timeout' || f.kind === 'fatal') await this.restart();
      else this.onInternalError(`analysing closed files: ${f.message}`);
      if (uris.length > 1) return (await Promise.all(uris.map((u) => this.closedDiagnostics([u])))).flat();
      const reason = f.kind === 'timeout' ? f.message : `the parser failed (${f.message.split('\n')[0]})`;
      this.closedFailed.set(uris[0], reason);
      return [{ uri: uris[0], resultId: `failed:${reason}`, diagnostics: [notAnalysed(reason)] }];
    }
    return reports.map((r) => {
      if ('gone' in r) return r;
      if ('tooLarge' in r) return { uri: r.uri, resultId: 'too-large', diagnostics: [notAnalysed(`the file is larger than ${MAX_DOCUMENT_CHARS / 1024 / 1024} MB`)] };
      return { uri: r.uri, resultId: r.resultId, diagnostics: JSON.parse(r.json) as Diagnostic[] };
    });
  }

  async fixAll(uri: string): Promise<{ version: number; edits: LspTextEdit[] } | undefined> {
    if (this.failed.has(uri)) return undefined;
    return this.call('fixAll', [uri]);
  }

  feature<T>(name: string, uri: string, ...args: unknown[]): Promise<T | null> {
    if (this.failed.has(uri)) return Promise.resolve(null);
    return this.call<T | null>('feature', [name, uri, ...args], 5_000).catch(() => null);
  }

  findInWorkspace(q: FindQuery): Promise<WorkspaceLocation[]> {
    return this.call('findInWorkspace', [q], 60_000);
  }

  placeLive(queries: FindQuery[]): Promise<Array<WorkspaceLocation | undefined>> {
    return this.call('placeLive', [queries], 60_000);
  }

  /** Each project root's declared access as drift facts (see drift-declared.ts). */
  driftDeclared(migrationRole: string, major: number, database?: ComparedDatabase): Promise<RootDeclared[]> {
    return this.call('driftDeclared', [migrationRole, major, database], 60_000);
  }

  /** The schemas the declared objects stand in (see drift-declared.ts). */
  driftSchemas(migrationRole: string, major: number): Promise<string[]> {
    return this.call('driftSchemas', [migrationRole, major], 60_000);
  }

  /** Policy expressions as pg_get_expr writes them, in the comparison's canonical form (null: does not parse). */
  driftExpressionKeys(texts: string[]): Promise<Array<string | null>> {
    return this.call('driftExpressionKeys', [texts], 60_000);
  }

  config(): Promise<PgwardenConfig> {
    return this.call('config', []);
  }

  status(): Promise<{ indexedFiles: number; workspaceVersion: number; parses: number; indexCacheHits: number }> {
    return this.call('status', []);
  }

  /** Test hook (only reachable through a test-only request): makes the worker hang or abort. */
  async simulate(uri: string, kind: 'hang' | 'abort', budgetMs = 2_000): Promise<void> {
    const doc = this.open.get(uri);
    try {
      await this.call('simulate', [kind], budgetMs);
    } catch (err) {
      if (doc) await this.recover(uri, doc.version, err);
    }
  }

  async dispose(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.failAll('the server is shutting down');
    await this.worker.terminate();
  }
}

/** Requests that change nothing the findings depend on. */
const READ_ONLY = new Set<WorkerRequest['method']>(['indexStart', 'diagnostics', 'closedFiles', 'closedDiagnostics', 'fixAll', 'feature', 'findInWorkspace', 'placeLive', 'driftDeclared', 'driftSchemas', 'driftExpressionKeys', 'config', 'status']);

function notAnalysed(reason: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Warning,
    source: 'pgwarden',
    code: 'not-analysed',
    codeDescription: { href: docsUrl('not-analysed') },
    message: `pgwarden did not analyse this file: ${reason}. Other files are still checked; edit the file to try again.`,
  };
}
