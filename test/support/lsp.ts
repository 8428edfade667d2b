// Drives the bundled language server over stdio the way an editor does, for tests and
// benchmarks: one client that pulls diagnostics, or one that takes pushed ones.

import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import {
  CodeAction,
  CodeActionKind,
  createProtocolConnection,
  Diagnostic,
  DocumentDiagnosticReport,
  ProtocolConnection,
  PublishDiagnosticsParams,
  Range,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

/** The server's notification of an internal failure (see server/src/protocol.ts). */
const InternalErrorMethod = 'pgwarden/internalError';

export const SERVER = resolve(__dirname, '../../dist/server.js');

export interface LspClientOptions {
  mode: 'pull' | 'push';
  rootUri?: string;
  /** Answers to workspace/configuration by section. */
  settings?: Record<string, unknown>;
  /** Declares LSP 3.18 snippet text edits (workspace.workspaceEdit.snippetEditSupport), as VS Code does. */
  snippets?: boolean;
  /** Extra environment for the server process (e.g. PGWARDEN_TEST_HOOKS=1). */
  env?: NodeJS.ProcessEnv;
  /** initializationOptions, as the extension sends them (indexCache). */
  initializationOptions?: unknown;
}

export class LspClient {
  readonly conn: ProtocolConnection;
  readonly pushed = new Map<string, PublishDiagnosticsParams[]>();
  readonly notifications: Array<{ method: string; params: unknown }> = [];
  refreshes = 0;
  /** The server's capabilities, from its initialize answer. */
  capabilities: Record<string, any> = {};
  /** workspace/codeLens/refresh requests received (the drift lenses follow the connections). */
  lensRefreshes = 0;
  private readonly versions = new Map<string, number>();
  stderr = '';

  private constructor(readonly child: ChildProcess, private readonly opts: LspClientOptions) {
    this.conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (d) => (this.stderr += d.toString()));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const list = this.pushed.get(p.uri) ?? [];
      list.push(p);
      this.pushed.set(p.uri, list);
    });
    this.conn.onNotification(InternalErrorMethod, (params: unknown) => {
      this.notifications.push({ method: InternalErrorMethod, params });
    });
    this.conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
      p.items.map((i) => (i.section ? this.opts.settings?.[i.section] ?? null : null)),
    );
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('workspace/codeLens/refresh', () => {
      this.lensRefreshes++;
      return null;
    });
    this.conn.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      return null;
    });
    this.conn.listen();
  }

  static async start(opts: LspClientOptions): Promise<LspClient> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    const client = new LspClient(child, opts);
    const init = await client.conn.sendRequest<{ capabilities: Record<string, any> }>('initialize', {
      processId: process.pid,
      rootUri: opts.rootUri ?? null,
      initializationOptions: opts.initializationOptions,
      workspaceFolders: opts.rootUri ? [{ uri: opts.rootUri, name: 'root' }] : null,
      capabilities: {
        workspace: {
          configuration: true,
          diagnostics: { refreshSupport: opts.mode === 'pull' },
          codeLens: { refreshSupport: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          ...(opts.snippets ? { workspaceEdit: { documentChanges: true, snippetEditSupport: true } } : {}),
        },
        textDocument: {
          ...(opts.mode === 'pull' ? { diagnostic: { dynamicRegistration: false } } : {}),
          publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true, dataSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } }, isPreferredSupport: true, dataSupport: true },
        },
      },
    });
    client.capabilities = init.capabilities;
    await client.conn.sendNotification('initialized', {});
    return client;
  }

  open(uri: string, languageId: string, text: string): void {
    this.versions.set(uri, 1);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  change(uri: string, text: string, range?: Range): number {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    void this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [range ? { range, text } : { text }],
    });
    return version;
  }

  close(uri: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async pull(uri: string): Promise<Diagnostic[]> {
    const r = (await this.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as DocumentDiagnosticReport;
    return r.kind === 'full' ? r.items : [];
  }

  /** Waits for a push for `uri` (at `version` if given) and returns its diagnostics. */
  async waitForPush(uri: string, version?: number, deadlineMs = 10_000): Promise<Diagnostic[]> {
    const until = Date.now() + deadlineMs;
    for (;;) {
      const list = this.pushed.get(uri) ?? [];
      const hit = [...list].reverse().find((p) => version === undefined || p.version === version);
      if (hit) return hit.diagnostics;
      if (Date.now() > until) throw new Error(`no diagnostics pushed for ${uri}${version ? ` version ${version}` : ''} within ${deadlineMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return (await this.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    })) as CodeAction[];
  }

  async fixAll(uri: string): Promise<CodeAction[]> {
    return this.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], [`${CodeActionKind.SourceFixAll}.pgwarden`]);
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      void this.conn.sendNotification('exit');
    } catch {
      // The server may already be gone.
    }
    this.conn.dispose();
    this.child.kill();
  }
}

/** Polls `fn` until it returns a defined value or the deadline passes. */
export async function until<T>(fn: () => Promise<T | undefined> | T | undefined, what: string, deadlineMs = 10_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
