// The analysis worker: parsing and rules run here, off the server's main loop, so a
// pathological document can be given a time budget and a WASM failure can be cured by
// throwing the whole worker away. The main thread (./host.ts) keeps what it needs to
// rebuild this worker's state and talks to it by request/response messages.

import { parentPort } from 'node:worker_threads';
import { Diagnostic, TextEdit as LspTextEdit } from 'vscode-languageserver';
import { isWasmFailure, loadParser, parseCounts } from '../core/sql/parser';
import { DocLanguage } from '../core/lint';
import { CatalogFacts } from '../core/workspace';
import { preferredEdits } from '../core/fix';
import { toDiagnostic, toLspEdit } from './convert';
import { ServerState } from './state';
import { EDITOR_FEATURES } from './editorFeatures';
import { findInText, FindQuery, placeFirst, WorkspaceLocation } from '../core/live/locate';
import type { PgwardenConfig } from '../core/config';
import { applyTextChange, STALE_BASE, TextChange } from './textChange';
import { sha1 } from '../lint-cache';
import type { ComparedDatabase } from '../core/drift/declared';
import { CONFIG_FILE } from '../files';
import { configDiagnostics } from './config-diagnostics';
import { driftDeclared, driftSchemas, expressionKeys, RootDeclared } from './drift-declared';

export interface WorkerRequest {
  id: number;
  method: keyof typeof handlers;
  args: unknown[];
}

export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string; fatal: boolean }
  | { id: -1; internalError: string };

const internalErrors: string[] = [];
const state = new ServerState((what, err) => {
  const message = `${what}: ${err instanceof Error ? err.message : String(err)}`;
  internalErrors.push(message);
  parentPort?.postMessage({ id: -1, internalError: message } satisfies WorkerResponse);
});

/** A closed file's diagnostics (see handlers.closedDiagnostics). */
export type ClosedReport = { uri: string; resultId: string; json: string } | { uri: string; gone: true } | { uri: string; tooLarge: true };
const closedCache = new Map<string, { key: string; resultId: string; json: string }>();

const handlers = {
  init(roots: string[], indexCache?: string): void {
    state.setRoots(roots);
    state.setIndexCache(indexCache);
  },
  setFilesExclude(globs: string[]): void {
    state.setFilesExclude(globs);
  },
  loadConfig(change?: { uri: string; text?: string }): { configUri?: string; problems: ServerState['configProblems'] } {
    state.loadConfig(change);
    return { configUri: state.configUri, problems: state.configProblems };
  },
  configProblemsOf(uri: string): ServerState['configProblems'] {
    return state.configProblemsOf(uri);
  },
  indexWorkspace(): number {
    return state.indexWorkspace();
  },
  indexStart(): number {
    return state.indexStart();
  },
  indexBatch(max: number): number {
    return state.indexBatch(max);
  },
  fileChanged(uri: string, deleted: boolean): boolean {
    return deleted ? state.forgetFile(uri) : state.indexFile(uri);
  },
  /**
   * Analyses a new version from its text or from a change to the version this worker
   * holds; with `withDiagnostics`, also answers its diagnostics (as the handler below).
   */
  update(
    uri: string,
    version: number,
    language: DocLanguage,
    content: string | TextChange,
    withDiagnostics?: boolean,
  ): boolean | { changed: boolean; diagnostics?: { version: number; json: string } } {
    let changed: boolean;
    if (typeof content === 'string') changed = state.update(uri, version, language, content);
    else {
      const doc = state.get(uri);
      // The host sends a change only against the version it knows this worker holds.
      if (!doc || doc.version !== content.base) throw new Error(`${STALE_BASE} the analysis has version ${doc?.version} of ${uri}, not ${content.base}`);
      changed = state.update(uri, version, language, applyTextChange(doc.analysis.input.text, content));
    }
    if (!withDiagnostics) return changed;
    // A rule failing here is reported by the state; the diagnostics still answer.
    return { changed, diagnostics: handlers.diagnostics(uri) };
  },
  close(uri: string): void {
    state.close(uri);
  },
  /** The diagnostics as JSON text (see AnalysisHost.diagnostics). */
  diagnostics(uri: string): { version: number; json: string } | undefined {
    const doc = state.get(uri);
    if (!doc) return undefined;
    const findings = state.findings(uri);
    const diagnostics: Diagnostic[] = findings.map((f) => toDiagnostic(f, doc.analysis.lines, doc.version));
    return { version: doc.version, json: JSON.stringify(diagnostics) };
  },
  /** The workspace's files pgwarden lints that are not open in the editor (for workspace diagnostics). */
  closedFiles(): string[] {
    return state.closedFiles();
  },
  /**
   * Closed files' diagnostics as their text on disk reads them, each with a result id that
   * changes exactly when its diagnostics do; a file linted before whose inputs did not
   * change is not linted again. `gone` for a file now open, ignored or deleted.
   */
  closedDiagnostics(uris: string[]): ClosedReport[] {
    return uris.map((uri) => {
      if (uri.endsWith(`/${CONFIG_FILE}`)) {
        const config = state.closedConfig(uri);
        if (!config) return { uri, gone: true };
        // Unopened, no JSON support reports its syntax errors: pgwarden's own message does.
        const json = JSON.stringify(configDiagnostics(config.text, config.problems, { syntax: true }));
        return { uri, resultId: sha1(json).slice(0, 20), json };
      }
      const known = closedCache.get(uri);
      const r = state.closedFindings(uri, known?.key);
      if (!r) {
        closedCache.delete(uri);
        return { uri, gone: true };
      }
      if (known && !r.findings && !r.tooLarge) return { uri, resultId: known.resultId, json: known.json };
      if (r.tooLarge) {
        closedCache.delete(uri);
        return { uri, tooLarge: true };
      }
      const json = JSON.stringify(r.findings!.map((f) => toDiagnostic(f, r.lines!, 0)));
      const entry = { key: r.key, resultId: sha1(json).slice(0, 20), json };
      closedCache.set(uri, entry);
      return { uri, resultId: entry.resultId, json };
    });
  },
  fixAll(uri: string): { version: number; edits: LspTextEdit[] } | undefined {
    const doc = state.get(uri);
    if (!doc) return undefined;
    return { version: doc.version, edits: preferredEdits(state.findings(uri)).map((e) => toLspEdit(doc.analysis.lines, e)) };
  },
  setCatalog(facts: CatalogFacts | undefined): void {
    state.setCatalog(facts);
  },
  status(): { indexedFiles: number; workspaceVersion: number; parses: number; indexCacheHits: number } {
    return { indexedFiles: state.indexedFiles, workspaceVersion: state.workspaceVersion, parses: parseCounts.sql + parseCounts.plpgsql, indexCacheHits: state.indexCacheHits };
  },
  /** Editor features (hover, completion, ...) by language and name; an SQL hover reads its project's history. */
  feature(name: string, uri: string, ...args: unknown[]): unknown {
    const doc = state.get(uri);
    const fn = doc && EDITOR_FEATURES[`${doc.language}.${name}`];
    if (!doc || !fn) return null;
    const workspace = doc.language === 'sql' ? state.workspaceFor(uri) : undefined;
    return fn({ text: doc.analysis.input.text, lines: doc.analysis.lines, version: state.configFor(uri).postgresVersion, uri, workspace }, ...args);
  },
  /** "Find in workspace": the statements naming a role or table in the workspace's SQL files. */
  findInWorkspace(q: FindQuery): WorkspaceLocation[] {
    const out: WorkspaceLocation[] = [];
    for (const f of state.workspaceSqlTexts()) {
      try {
        for (const { firstLineEnd: _, ...hit } of findInText(f.uri, f.text, q)) out.push(hit);
      } catch (err) {
        reportSearchError(f.uri, err);
      }
    }
    return out;
  },
  /** Where each live finding goes: the first statement creating its object, in URI order. */
  placeLive(queries: FindQuery[]): Array<WorkspaceLocation | undefined> {
    return placeFirst(state.workspaceSqlTexts(), queries, reportSearchError);
  },
  /** Each project root's declared access as drift facts, for comparing with a connected database. */
  driftDeclared(migrationRole: string, major: number, database?: ComparedDatabase): RootDeclared[] {
    return driftDeclared(state, migrationRole, major, database);
  },
  /** The schemas the declared objects stand in, for the drift lenses (which need no declared facts). */
  driftSchemas(migrationRole: string, major: number): string[] {
    return driftSchemas(state, migrationRole, major);
  },
  /** The live side's policy expressions in canonical form: the main thread reads the database but loads no parser. */
  driftExpressionKeys(texts: string[]): Array<string | null> {
    return expressionKeys(texts);
  },
  /** pgwarden.json as the worker holds it: the live audit uses the same settings as the linters. */
  config(): PgwardenConfig {
    return state.currentConfig;
  },
  /** Test hook: makes the worker hang or fail the way a pathological input could. */
  simulate(kind: 'hang' | 'abort'): void {
    if (kind === 'hang') for (;;);
    const err = new Error('Aborted(simulated)');
    err.name = 'RuntimeError';
    throw err;
  },
};

function reportSearchError(uri: string, err: unknown): void {
  parentPort?.postMessage({ id: -1, internalError: `searching ${uri}: ${err instanceof Error ? err.message : String(err)}` } satisfies WorkerResponse);
}

/** A WASM abort or memory failure can leave the parser module unusable: the host replaces the worker. */
function isFatal(err: unknown): boolean {
  if (isWasmFailure(err)) return true;
  return err instanceof RangeError && /memory|allocation/i.test(err.message);
}

const ready = loadParser();

parentPort?.on('message', async (req: WorkerRequest) => {
  await ready;
  let response: WorkerResponse;
  try {
    const fn = handlers[req.method] as (...a: unknown[]) => unknown;
    response = { id: req.id, ok: true, result: fn(...req.args) };
  } catch (err) {
    response = { id: req.id, ok: false, error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err), fatal: isFatal(err) };
  }
  parentPort?.postMessage(response);
});
