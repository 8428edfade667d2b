// The one object that owns the extension's state: the language client, the status item,
// the output channel and every disposable. Commands receive it and ask it; nothing else
// holds global state.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import { InternalErrorNotification } from '../../server/src/shared/protocol';

export const DOCUMENT_SELECTOR = [
  { language: 'sql' },
  { language: 'pg-hba' },
  { language: 'pg-ident' },
  { language: 'pg-conf' },
  { pattern: '**/pgwarden.json' },
];

export class Ctx {
  client: LanguageClient | undefined;
  readonly output: vscode.LogOutputChannel;
  readonly status: vscode.StatusBarItem;
  private internalErrors = 0;
  /** True from start() until the first start attempt has settled. */
  private starting = false;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('pgwarden', { log: true });
    this.status = vscode.window.createStatusBarItem('pgwarden.status', vscode.StatusBarAlignment.Right, 100);
    this.status.name = 'pgwarden';
    this.status.command = 'pgwarden.showOutput';
    extension.subscriptions.push(this.output, this.status);
    this.setStatus('starting');
    this.status.show();
  }

  setStatus(state: 'starting' | 'running' | 'stopped' | 'error' | 'disabled', detail?: string): void {
    const icon = { starting: '$(sync~spin)', running: '$(shield)', stopped: '$(debug-disconnect)', error: '$(error)', disabled: '$(circle-slash)' }[state];
    this.status.text = `${icon} pgwarden`;
    this.status.tooltip = `pgwarden language server: ${state}${detail ? `\n${detail}` : ''}\nClick to show its output.`;
    this.status.backgroundColor = state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  async start(): Promise<void> {
    const serverModule = this.extension.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      synchronize: {
        fileEvents: [
          vscode.workspace.createFileSystemWatcher('**/*.sql'),
          vscode.workspace.createFileSystemWatcher('**/pgwarden.json'),
        ],
      },
      diagnosticPullOptions: { onChange: true, onSave: false, onTabs: false },
      // The workspace index keeps each file's facts in this workspace's storage (never in
      // the user's repository), so reopening a large workspace parses only what changed.
      initializationOptions: { indexCache: this.extension.storageUri ? path.join(this.extension.storageUri.fsPath, 'index.pgwardencache') : undefined },
    };
    const client = new LanguageClient('pgwarden', 'pgwarden', serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) this.setStatus(this.internalErrors ? 'error' : 'running', this.internalErrors ? `${this.internalErrors} internal error(s): see the output` : undefined);
      else if (e.newState === State.Starting) this.setStatus('starting');
      else this.setStatus('stopped');
    });
    this.starting = true;
    try {
      await client.start();
      this.starting = false;
      client.onNotification(InternalErrorNotification, (p) => {
        this.internalErrors++;
        this.setStatus('error', `${this.internalErrors} internal error(s), latest: ${p.message}`);
      });
    } catch (err) {
      this.starting = false;
      this.setStatus('error', err instanceof Error ? err.message : String(err));
      this.output.appendLine(`pgwarden: the language server failed to start: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * The language client once it is running: waits while it starts (a command or a tree
   * expanded right after activation must not fail), undefined when it stopped or did not
   * come up within the deadline.
   */
  async running(deadlineMs = 30_000): Promise<LanguageClient | undefined> {
    const c = this.client;
    if (!c) return undefined;
    if (c.state === State.Running) return c;
    if (c.state === State.Stopped && !this.starting) return undefined;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        sub.dispose();
        resolve(c.state === State.Running ? c : undefined);
      }, deadlineMs);
      const sub = c.onDidChangeState((e) => {
        if (e.newState === State.Starting) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(e.newState === State.Running ? c : undefined);
      });
    });
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) await c.stop().catch(() => undefined);
  }
}
