// The pgwarden language server: LSP wiring only. Analysis lives in ./analysis and ./core;
// the model of open documents and indexed files in ./lsp/state.
//
// Diagnostics are pulled when the client supports it and pushed otherwise, never both
// (a server that does both shows every diagnostic twice). No error escapes a handler:
// each answers with an empty result and reports the failure once.

import {
  CodeAction,
  CodeActionKind,
  createConnection,
  Diagnostic,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DocumentDiagnosticReportKind,
  FileChangeType,
  InitializeResult,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import { DocLanguage } from './core/lint';
import { loadParser } from './core/sql/parser';
import { LineIndex } from './core/text';
import { fixAllAction, FIX_ALL_KIND, quickFixes } from './lsp/codeActions';
import { toDiagnostic, toRange } from './lsp/convert';
import { ServerState } from './lsp/state';
import { InternalErrorNotification, StatusRequest } from './protocol';

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
function guard<T>(what: string, fallback: T, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    reportInternalError(what, err);
    return fallback;
  }
}

const state = new ServerState(reportInternalError);
let pullDiagnostics = false;
let configurationPull = false;
let enabled = new Map<string, boolean>();
const parserReady = loadParser();

function languageOf(doc: TextDocument): DocLanguage | 'config' | undefined {
  switch (doc.languageId) {
    case 'sql':
      return 'sql';
    case 'pg-hba':
      return 'hba';
    case 'pg-conf':
      return 'conf';
  }
  if (/(^|\/)pgwarden\.json$/.test(doc.uri)) return 'config';
  return undefined;
}

connection.onInitialize((params): InitializeResult => {
  const caps = params.capabilities;
  pullDiagnostics = !!caps.textDocument?.diagnostic;
  configurationPull = !!caps.workspace?.configuration;
  const roots = (params.workspaceFolders ?? []).map((f) => f.uri).concat(params.workspaceFolders ? [] : params.rootUri ? [params.rootUri] : []);
  state.setRoots(roots.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u)));
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      ...(pullDiagnostics ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false } } : {}),
    },
    serverInfo: { name: 'pgwarden', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
  if (configurationPull) {
    void connection.client.register(DidChangeConfigurationNotification.type, undefined);
  }
  await parserReady;
  guard('loading pgwarden.json', undefined, () => state.loadConfig());
  await refreshEditorSettings();
  const n = guard('indexing the workspace', 0, () => state.indexWorkspace());
  connection.console.info(`pgwarden: indexed ${n} SQL file(s)`);
  refreshAll();
});

/** Pulls `files.exclude` (honoured when indexing) and forgets cached per-document settings. */
async function refreshEditorSettings(): Promise<void> {
  enabled = new Map();
  if (!configurationPull) return;
  try {
    const [exclude] = await connection.workspace.getConfiguration([{ section: 'files.exclude' }]);
    const globs = Object.entries((exclude ?? {}) as Record<string, unknown>)
      .filter(([, on]) => on === true)
      .map(([g]) => g);
    state.setFilesExclude(globs);
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
  guard('re-indexing', 0, () => state.indexWorkspace());
  refreshAll();
});

function track(doc: TextDocument): boolean {
  const lang = languageOf(doc);
  if (lang === 'config') {
    state.loadConfig({ uri: doc.uri, text: doc.getText() });
    return true;
  }
  if (!lang) return false;
  return state.update(doc.uri, doc.version, lang, doc.getText());
}

documents.onDidOpen(async (e) => {
  await parserReady;
  const factsChanged = guard('opening a document', false, () => track(e.document));
  if (factsChanged || languageOf(e.document) === 'config') refreshAll();
  else refresh(e.document.uri);
});

documents.onDidChangeContent(async (e) => {
  await parserReady;
  const factsChanged = guard('analysing a change', false, () => track(e.document));
  if (factsChanged || languageOf(e.document) === 'config') refreshAll();
  else refresh(e.document.uri);
});

documents.onDidClose((e) => {
  guard('closing a document', undefined, () => {
    if (languageOf(e.document) === 'config') state.loadConfig();
    else state.close(e.document.uri);
  });
  if (!pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  refreshAll();
});

connection.onDidChangeWatchedFiles((params) => {
  let changed = false;
  guard('watching files', undefined, () => {
    for (const c of params.changes) {
      if (/(^|\/)pgwarden\.json$/.test(c.uri)) {
        if (!documents.get(c.uri)) state.loadConfig();
        state.indexWorkspace();
        changed = true;
      } else if (/\.sql$/i.test(c.uri)) {
        changed = (c.type === FileChangeType.Deleted ? state.forgetFile(c.uri) : state.indexFile(c.uri)) || changed;
      }
    }
  });
  if (changed) refreshAll();
});

/** Diagnostics of one open document, including problems in pgwarden.json itself. */
async function diagnosticsFor(uri: string): Promise<Diagnostic[]> {
  await parserReady;
  const doc = documents.get(uri);
  if (!doc) return [];
  if (languageOf(doc) === 'config') {
    if (uri !== state.configUri) return [];
    const lines = new LineIndex(doc.getText());
    return state.configProblems.map((p) => ({
      range: toRange(lines, p.start, p.end),
      severity: DiagnosticSeverity.Error,
      source: 'pgwarden',
      message: p.message,
    }));
  }
  if (!(await isEnabled(uri))) return [];
  return guard('linting', [] as Diagnostic[], () => {
    const open = state.get(uri);
    if (!open || open.version !== doc.version) track(doc);
    const current = state.get(uri);
    if (!current) return [];
    return state.findings(uri).map((f) => toDiagnostic(f, current.analysis.lines, current.version));
  });
}

function refresh(uri: string): void {
  if (pullDiagnostics) {
    void connection.languages.diagnostics.refresh();
    return;
  }
  void diagnosticsFor(uri).then((diagnostics) => {
    const doc = documents.get(uri);
    if (doc) void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  });
}

function refreshAll(): void {
  if (pullDiagnostics) {
    void connection.languages.diagnostics.refresh().catch(() => undefined);
    return;
  }
  for (const doc of documents.all()) refresh(doc.uri);
}

connection.languages.diagnostics.on(async (params) => ({
  kind: DocumentDiagnosticReportKind.Full,
  items: await diagnosticsFor(params.textDocument.uri),
}));

connection.onCodeAction(async (params): Promise<CodeAction[]> => {
  await parserReady;
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const lang = languageOf(doc);
  if (!lang || lang === 'config') return [];
  return guard('code actions', [] as CodeAction[], () => {
    const only = params.context.only;
    const wantsFixAll = only?.some((k) => FIX_ALL_KIND.startsWith(k) || k === FIX_ALL_KIND) ?? false;
    const actions: CodeAction[] = [];
    if (!only || only.some((k) => CodeActionKind.QuickFix.startsWith(k))) actions.push(...quickFixes(params, doc, lang));
    if (wantsFixAll) {
      if (state.get(doc.uri)?.version !== doc.version) track(doc);
      const current = state.get(doc.uri);
      const fixAll = current && fixAllAction(doc, state.findings(doc.uri), current.analysis.lines);
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  });
});

connection.onRequest(StatusRequest, () => ({
  indexedFiles: state.indexedFiles,
  configFile: state.configUri,
  configProblems: state.configProblems.length,
  internalErrors: reported.size,
}));

process.on('uncaughtException', (err) => reportInternalError('uncaught', err));
process.on('unhandledRejection', (err) => reportInternalError('unhandled rejection', err));

documents.listen(connection);
connection.listen();
