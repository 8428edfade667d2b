// The pgwarden language server: LSP wiring only. Analysis lives in ./analysis and ./core;
// the model of open documents and indexed files in ./lsp/state.
//
// Diagnostics are pulled when the client supports it and pushed otherwise, never both
// (a server that does both shows every diagnostic twice). No error escapes a handler:
// each answers with an empty result and reports the failure once.

import {
  CodeAction,
  CodeActionKind,
  CodeLensRefreshRequest,
  CompletionItem,
  createConnection,
  Diagnostic,
  DocumentSymbol,
  Hover,
  LSPErrorCodes,
  ResponseError,
  TextEdit,
  DidChangeConfigurationNotification,
  DocumentDiagnosticReportKind,
  FileChangeType,
  InitializeResult,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DocLanguage } from './core/lint';
import { withoutStaticTwins } from './core/live/twins';
import type { Placeholder } from './core/rules';
import { FIX_ALL_KIND, placeholdersOf, quickFixes } from './lsp/codeActions';
import { configDiagnostics } from './lsp/config-diagnostics';
import { IndexProgress } from './lsp/index-progress';
import { AnalysisHost } from './lsp/host';
import { LiveDiagnostics } from './lsp/live/diagnostics';
import { placeholderChoices } from './lsp/live/choices';
import { registerLiveHandlers } from './lsp/live/handlers';
import { registerWorkspaceDiagnostics } from './lsp/workspaceDiagnostics';
import { InternalErrorNotification, StatusRequest } from './shared/protocol';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

const reported = new Set<string>();
function reportInternalError(what: string, err: unknown): void {
  const message = `${what}: ${err instanceof Error ? err.message : String(err)}`;
  if (reported.has(message)) return;
  reported.add(message);
  connection.console.error(`pgwarden internal error in ${message}${err instanceof Error && err.stack ? `\n${err.stack}` : ''}`);
  void connection.sendNotification(InternalErrorNotification, { message });
}

/** Runs a handler; a throw is reported once and answered with the fallback. */
async function guardAsync<T>(what: string, fallback: T, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    reportInternalError(what, err);
    return fallback;
  }
}

const host = new AnalysisHost(join(__dirname, 'worker.js'), (message) => reportInternalError('analysis', new Error(message)));
let pullDiagnostics = false;
/** Live findings placed on workspace files; set once the live handlers are registered. */
let liveDiagnostics: LiveDiagnostics | undefined;
let configurationPull = false;
/** Whether the client re-asks for CodeLenses when told (the drift lenses follow the connections). */
let lensRefresh = false;
/** Whether the client applies snippet text edits: placeholder fixes then get tab stops. */
let snippetEdits = false;
let enabled = new Map<string, boolean>();
let rootUris: string[] = [];
/** Whether open documents wait for the workspace index (./lsp/index-progress.ts). */
const progress = new IndexProgress();

function languageOf(doc: TextDocument): DocLanguage | 'config' | undefined {
  switch (doc.languageId) {
    case 'sql':
      return 'sql';
    case 'pg-hba':
      return 'hba';
    case 'pg-ident':
      return 'ident';
    case 'pg-conf':
      return 'conf';
  }
  if (/(^|\/)pgwarden\.json$/.test(doc.uri)) return 'config';
  return undefined;
}

connection.onInitialize((params): InitializeResult => {
  const caps = params.capabilities;
  pullDiagnostics = !!caps.textDocument?.diagnostic;
  lensRefresh = !!caps.workspace?.codeLens?.refreshSupport;
  configurationPull = !!caps.workspace?.configuration;
  snippetEdits = !!(caps.workspace?.workspaceEdit as { snippetEditSupport?: boolean } | undefined)?.snippetEditSupport;
  const roots = (params.workspaceFolders ?? []).map((f) => f.uri).concat(params.workspaceFolders ? [] : params.rootUri ? [params.rootUri] : []);
  rootUris = roots.filter((u) => u.startsWith('file:'));
  const options = params.initializationOptions as { indexCache?: unknown } | undefined;
  const indexCache = typeof options?.indexCache === 'string' && isAbsolute(options.indexCache) ? options.indexCache : undefined;
  void host.init(rootUris.map((u) => fileURLToPath(u)), indexCache).catch((err) => reportInternalError('starting the analysis', err));
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      ...(pullDiagnostics ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: true } } : {}),
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['=', ' '] },
      documentFormattingProvider: true,
      documentSymbolProvider: true,
      codeLensProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'pgwarden', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
  if (configurationPull) {
    void connection.client.register(DidChangeConfigurationNotification.type, undefined);
  }
  await guardAsync('loading pgwarden.json', undefined, () => host.loadConfig());
  await refreshEditorSettings();
  const n = await guardAsync('indexing the workspace', 0, () => host.indexWorkspace((files) => progress.counted(files)));
  connection.console.info(`pgwarden: indexed ${n} SQL file(s)`);
  progress.done();
  refreshAll();
});

/** Pulls `files.exclude` (honoured when indexing) and forgets cached per-document settings. */
async function refreshEditorSettings(): Promise<void> {
  enabled = new Map();
  if (!configurationPull) return;
  try {
    // files.exclude is resource-scoped: ask per workspace folder and honour the union.
    const scopes = rootUris.length ? rootUris : [undefined];
    const answers = await connection.workspace.getConfiguration(scopes.map((scopeUri) => ({ scopeUri, section: 'files.exclude' })));
    const globs = [
      ...new Set(
        answers.flatMap((exclude: unknown) =>
          Object.entries((exclude ?? {}) as Record<string, unknown>)
            .filter(([, on]) => on === true)
            .map(([g]) => g),
        ),
      ),
    ];
    await host.setFilesExclude(globs);
  } catch (err) {
    reportInternalError('reading files.exclude', err);
  }
}

async function isEnabled(uri: string): Promise<boolean> {
  if (!configurationPull) return true;
  const cached = enabled.get(uri);
  if (cached !== undefined) return cached;
  try {
    const v = await connection.workspace.getConfiguration({ scopeUri: uri, section: 'pgwarden.enable' });
    const on = v !== false;
    enabled.set(uri, on);
    return on;
  } catch {
    return true;
  }
}

connection.onDidChangeConfiguration(async () => {
  await refreshEditorSettings();
  await guardAsync('re-indexing', 0, () => host.indexWorkspace());
  refreshFacts();
});

/** Sends a document's current text to the analysis; true when workspace facts changed. */
async function track(doc: TextDocument): Promise<boolean> {
  const lang = languageOf(doc);
  if (lang === 'config') {
    await host.loadConfig({ uri: doc.uri, text: doc.getText() });
    return true;
  }
  if (!lang) return false;
  return host.update(doc.uri, doc.version, lang, doc.getText());
}

/**
 * Edits arrive faster than a large file is analysed: only the newest version of a
 * document is analysed, and older ones are dropped before they start.
 */
const latest = new Map<string, number>();
async function onContent(doc: TextDocument): Promise<void> {
  latest.set(doc.uri, doc.version);
  await Promise.resolve();
  if (latest.get(doc.uri) !== doc.version) return;
  const factsChanged = await guardAsync('analysing a change', false, () => track(doc));
  if (documents.get(doc.uri)?.version !== doc.version) return;
  if (factsChanged || languageOf(doc) === 'config') refreshFacts();
  else refresh(doc.uri);
  // Statements that only moved: the Drift node's entries open them where they stand now.
  if (!factsChanged && languageOf(doc) === 'sql') live.drift.declaredChanged();
}

documents.onDidOpen((e) => {
  liveDiagnostics?.documentChanged(e.document.uri);
  void onContent(e.document);
});
documents.onDidChangeContent((e) => void onContent(e.document));

documents.onDidClose(async (e) => {
  latest.delete(e.document.uri);
  await guardAsync('closing a document', undefined, async () => {
    if (languageOf(e.document) === 'config') await host.loadConfig({ uri: e.document.uri });
    else await host.close(e.document.uri);
  });
  if (!pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  liveDiagnostics?.documentChanged(e.document.uri);
  refreshFacts();
});

connection.onDidChangeWatchedFiles(async (params) => {
  let changed = false;
  await guardAsync('watching files', undefined, async () => {
    for (const c of params.changes) {
      if (/(^|\/)pgwarden\.json$/.test(c.uri)) {
        if (!documents.get(c.uri)) await host.loadConfig();
        await host.indexWorkspace();
        changed = true;
      } else if (/\.sql$/i.test(c.uri) && !documents.get(c.uri)) {
        changed = (await host.fileChanged(c.uri, c.type === FileChangeType.Deleted)) || changed;
      }
    }
  });
  if (changed) refreshFacts();
});

/** Diagnostics of one open document at its current version, or undefined when it moved on. */
async function diagnosticsFor(uri: string): Promise<{ version: number; items: Diagnostic[] } | undefined> {
  const doc = documents.get(uri);
  if (!doc) return undefined;
  const lang = languageOf(doc);
  if (lang === 'config') {
    const problems = await guardAsync('reading pgwarden.json', [], () => host.configProblemsOf(uri));
    return { version: doc.version, items: configDiagnostics(doc.getText(), problems) };
  }
  if (!lang || !(await isEnabled(uri))) return { version: doc.version, items: [] };
  // Provisional diagnostics are replaced: refreshAll follows the end of the index.
  await progress.documentReady();
  return guardAsync('linting', undefined, async () => {
    if (!host.isCurrent(uri, doc.version)) await track(doc);
    const r = await host.diagnostics(uri);
    if (!r || documents.get(uri)?.version !== r.version) return undefined;
    // Live findings placed on this file (./lsp/live/diagnostics.ts) join its own.
    // A live finding whose static twin is on the same statement is shown once (core/live/twins.ts).
    return { version: r.version, items: [...r.diagnostics, ...withoutStaticTwins(liveDiagnostics?.for(uri) ?? [], r.diagnostics)] };
  });
}

function refresh(uri: string): void {
  if (pullDiagnostics) {
    void connection.languages.diagnostics.refresh().catch(() => undefined);
    return;
  }
  void diagnosticsFor(uri).then((r) => {
    // Never publish diagnostics computed for a version the editor has moved past.
    if (r && documents.get(uri)?.version === r.version) void connection.sendDiagnostics({ uri, version: r.version, diagnostics: r.items });
  });
}

/** The workspace's facts changed: every document's diagnostics, and the Drift node compares again (debounced). */
function refreshFacts(): void {
  refreshAll();
  live.drift.declaredChanged();
}

function refreshAll(): void {
  workspaceDiagnostics.changed();
  if (pullDiagnostics) {
    void connection.languages.diagnostics.refresh().catch(() => undefined);
    return;
  }
  for (const doc of documents.all()) refresh(doc.uri);
}

/** Every indexed file's findings without opening it, and "Lint Workspace" (./lsp/workspaceDiagnostics.ts). */
const workspaceDiagnostics = registerWorkspaceDiagnostics(connection, {
  indexed: progress.indexed,
  closedFiles: () => host.closedFiles(),
  closedDiagnostics: (uris) => host.closedDiagnostics(uris),
  isOpen: (uri) => documents.get(uri) !== undefined,
  isEnabled,
  extra: (uri, own) => withoutStaticTwins(liveDiagnostics?.for(uri) ?? [], own),
  openDiagnostics: async () => (await Promise.all(documents.all().map((d) => diagnosticsFor(d.uri)))).map((r) => r?.items ?? []),
  pushMode: () => !pullDiagnostics,
  guard: guardAsync,
});

connection.languages.diagnostics.on(async (params) => {
  // A file that is not open (the client's last pull as it closes): its findings from disk,
  // as its workspace report has them, so closing a file does not blank its problems.
  if (!documents.get(params.textDocument.uri) && workspaceDiagnostics.pulled) {
    const [closed] = await guardAsync('linting a closed file', [], () => workspaceDiagnostics.reports([params.textDocument.uri]));
    return { kind: DocumentDiagnosticReportKind.Full, items: closed?.diagnostics ?? [] };
  }
  const r = await diagnosticsFor(params.textDocument.uri);
  // A newer version arrived while this one was analysed: ask the client to pull again.
  if (!r && documents.get(params.textDocument.uri)) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'document changed', { retriggerRequest: true });
  return { kind: DocumentDiagnosticReportKind.Full, items: r?.items ?? [] };
});

connection.onCodeAction(async (params): Promise<CodeAction[]> => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const lang = languageOf(doc);
  if (!lang || lang === 'config') return [];
  return guardAsync('code actions', [] as CodeAction[], async () => {
    const only = params.context.only;
    const wantsFixAll = only?.some((k) => FIX_ALL_KIND.startsWith(k)) ?? false;
    const actions: CodeAction[] = [];
    if (!only || only.some((k) => CodeActionKind.QuickFix.startsWith(k))) {
      // While connected, a placeholder also offers the database's roles or the table's columns.
      const placeholders = snippetEdits ? placeholdersOf(params) : [];
      const offered = placeholders.length ? await placeholderChoices(live.sessions, placeholders) : [];
      const byPart = new Map(placeholders.map((p, i) => [p, offered[i]]));
      const choices = (p: Placeholder) => byPart.get(p) ?? [];
      actions.push(...quickFixes(params, doc, lang, { snippets: snippetEdits, choices }));
    }
    if (wantsFixAll) {
      if (!host.isCurrent(doc.uri, doc.version)) await track(doc);
      const r = await host.fixAll(doc.uri);
      if (r && r.version === doc.version && r.edits.length) {
        actions.push({ title: 'Fix all pgwarden findings that have a safe fix', kind: FIX_ALL_KIND, edit: { changes: { [doc.uri]: r.edits } } });
      }
    }
    return actions;
  });
});

/** Editor features for pg_hba.conf and postgresql.conf run in the worker. */
async function feature<T>(name: string, uri: string, ...args: unknown[]): Promise<T | null> {
  const doc = documents.get(uri);
  if (!doc || !host.isCurrent(uri, doc.version)) return null;
  return host.feature<T>(name, uri, ...args);
}

connection.onHover((p) => guardAsync('hover', null, () => feature<Hover>('hover', p.textDocument.uri, p.position)));
connection.onCompletion((p) => guardAsync('completion', [], async () => (await feature<CompletionItem[]>('complete', p.textDocument.uri, p.position)) ?? []));
connection.onDocumentFormatting((p) => guardAsync('formatting', [], async () => (await feature<TextEdit[]>('format', p.textDocument.uri, p.options)) ?? []));
connection.onDocumentSymbol((p) => guardAsync('outline', [], async () => (await feature<DocumentSymbol[]>('outline', p.textDocument.uri)) ?? []));

connection.onRequest(StatusRequest, async () => {
  const s = await host.status().catch(() => ({ indexedFiles: 0, parses: undefined, indexCacheHits: undefined }));
  return {
    pid: process.pid,
    indexedFiles: s.indexedFiles,
    configFile: host.configUri,
    configProblems: host.configProblems.length,
    internalErrors: reported.size,
    parses: s.parses,
    indexCacheHits: s.indexCacheHits,
  };
});

if (process.env.PGWARDEN_TEST_HOOKS === '1') {
  // Fault injection for the tests that prove the worker is replaced and state replayed.
  connection.onRequest('pgwarden/test/simulate', (p: { uri: string; kind: 'hang' | 'abort' }) => host.simulate(p.uri, p.kind));
  connection.onRequest('pgwarden/test/restarts', () => host.restarts);
}

connection.onShutdown(() => {
  live.drift.dispose();
  return host.dispose();
});

process.on('uncaughtException', (err) => reportInternalError('uncaught', err));
process.on('unhandledRejection', (err) => reportInternalError('unhandled rejection', err));

const live = registerLiveHandlers({
  connection,
  setCatalog: (f) => host.setCatalog(f),
  refreshDiagnostics: refreshAll,
  reportInternalError,
  findInWorkspace: (q) => host.findInWorkspace(q),
  config: () => host.config(),
  place: (queries) => host.placeLive(queries),
  driftDeclared: (role, major, database) => host.driftDeclared(role, major, database),
  driftSchemas: (role, major) => host.driftSchemas(role, major),
  driftExpressionKeys: (texts) => host.driftExpressionKeys(texts),
  driftClaims: (uri, role) => feature('driftClaims', uri, role),
  refreshLenses: () => {
    if (lensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).then(undefined, () => undefined);
  },
  isOpen: (uri) => documents.get(uri) !== undefined,
  pullMode: () => pullDiagnostics,
  workspacePull: () => workspaceDiagnostics.pulled,
  refreshOpen: refreshAll,
});
liveDiagnostics = live.diagnostics;
documents.listen(connection);
connection.listen();
