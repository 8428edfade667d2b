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

type ServerState = 'starting' | 'running' | 'stopped' | 'error' | 'disabled';

/** What the status item sums up: pgwarden's errors and warnings in Problems, and the connected databases. */
export interface StatusSummary {
  errors: number;
  warnings: number;
  databases: string[];
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export class Ctx {
  client: LanguageClient | undefined;
  readonly output: vscode.LogOutputChannel;
  readonly status: vscode.StatusBarItem;
  private internalErrors = 0;
  private serverState: ServerState = 'starting';
  private detail: string | undefined;
  private summary: StatusSummary = { errors: 0, warnings: 0, databases: [] };
  /** True from start() until the first start attempt has settled. */
  private starting = false;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('pgwarden', { log: true });
    this.status = vscode.window.createStatusBarItem('pgwarden.status', vscode.StatusBarAlignment.Right, 100);
    this.status.name = 'pgwarden';
    extension.subscriptions.push(this.output, this.status);
    this.setStatus('starting');
    this.status.show();
  }

  setStatus(state: ServerState, detail?: string): void {
    this.serverState = state;
    this.detail = detail;
    this.render();
  }

  /** The findings and connections the status item sums up (set by ./status.ts). */
  setSummary(summary: StatusSummary): void {
    this.summary = summary;
    this.render();
  }

  private render(): void {
    const state = this.serverState;
    const icon = { starting: '$(sync~spin)', running: '$(shield)', stopped: '$(debug-disconnect)', error: '$(error)', disabled: '$(circle-slash)' }[state];
    const s = this.summary;
    const db = s.databases.length ? `${s.databases[0]}${s.databases.length > 1 ? ` +${s.databases.length - 1}` : ''}` : undefined;
    // While the server runs, the item sums up Problems and the connection and a click opens
    // Problems (focusing it: workbench.actions.view.problems would close an open panel);
    // otherwise it says what is wrong and a click opens the server's output.
    const healthy = state === 'running' || state === 'starting';
    this.status.text = healthy ? `${icon} pgwarden $(error) ${s.errors} $(warning) ${s.warnings}${db ? ` $(database) ${db}` : ''}` : `${icon} pgwarden`;
    const counts = `${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}`;
    const connected = s.databases.length ? `connected to ${s.databases.join(', ')}` : 'no database connected';
    this.status.accessibilityInformation = { label: healthy ? `pgwarden: ${counts}, ${connected}` : `pgwarden: language server ${state}`, role: 'button' };
    const tooltip = new vscode.MarkdownString(
      [
        `**pgwarden** language server: ${state}${this.detail ? `  \n${escapeMarkdown(this.detail)}` : ''}`,
        `Problems: ${counts} · ${connected}`,
        '[Open Problems](command:workbench.panel.markers.view.focus) · [Open the pgwarden view](command:pgwarden.roles.focus) · [Lint Workspace](command:pgwarden.lintWorkspace) · [Show Output](command:pgwarden.showOutput)',
      ].join('\n\n'),
    );
    tooltip.isTrusted = { enabledCommands: ['workbench.panel.markers.view.focus', 'pgwarden.roles.focus', 'pgwarden.lintWorkspace', 'pgwarden.showOutput'] };
    this.status.tooltip = tooltip;
    this.status.command = healthy ? 'workbench.panel.markers.view.focus' : 'pgwarden.showOutput';
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
