// Live connections from the VS Code side: the trust gate, the host confirmation for
// profiles that come with a workspace, the confirmation before a connection without
// verified TLS, the password prompt and the
// SecretStorage entry keyed by the target's fingerprint (never by profile name), and
// the state of each connection for the tree. The server does the connecting; this module
// decides whether it may, and with which password.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { State } from 'vscode-languageclient/node';
import {
  DbConnectRequest,
  DbConnectResult,
  DbDisconnectRequest,
  DbDriftChangedNotification,
  DbLostNotification,
  DbResolveRequest,
  DbResolveResult,
  DbTrustNotification,
} from '../../../server/src/shared/protocol';
import { seal, SEAL_ENV } from '../../../server/src/shared/seal';
import type { Ctx } from '../context';
import { Profile, readProfiles } from './profiles';
import type { ConnectionProfile } from '../../../server/src/shared/profile';

/** What the tree shows for a connection. */
export type ConnState =
  | { status: 'disconnected'; message?: string }
  | { status: 'connecting' }
  | { status: 'connected'; description: string; tlsWarning?: string; currentUser: string; serverVersion: number; isSuperuser: boolean }
  | { status: 'error'; kind: string; message: string };

/** The result of a connect command, also returned to tests that run it. */
export type ConnectOutcome = DbConnectResult | { status: 'cancelled'; message: string };

const CONFIRMED_HOSTS = 'pgwarden.confirmedHosts';
/** Fingerprints of targets the user agreed to reach without verified TLS. */
const CONFIRMED_TLS = 'pgwarden.confirmedUnverifiedTls';
/** Wrong passwords in a row before the prompt stops asking. */
const MAX_PROMPTS = 3;

export function secretKey(fingerprint: string): string {
  return `pgwarden.password.${fingerprint}`;
}

export class LiveConnections implements vscode.Disposable {
  private readonly states = new Map<string, ConnState>();
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires with a profile name, or undefined when every connection may have changed. */
  readonly onDidChange = this.changed.event;
  private readonly driftChanged = new vscode.EventEmitter<string>();
  /** Fires with a profile name when the server says its Drift node shows something else (an edit of the migrations). */
  readonly onDidChangeDrift = this.driftChanged.event;
  private hooked: LanguageClient | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.driftChanged];

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        const c = this.runningClient();
        if (c) void c.sendNotification(DbTrustNotification, { trusted: true });
        this.changed.fire(undefined);
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  state(name: string): ConnState {
    return this.states.get(name) ?? { status: 'disconnected' };
  }

  private set(name: string, s: ConnState): void {
    this.states.set(name, s);
    this.changed.fire(name);
  }

  profiles(): Profile[] {
    const problems: string[] = [];
    const list = readProfiles(problems);
    for (const p of problems) this.warnOnce(p);
    return list;
  }

  private readonly warned = new Set<string>();
  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.ctx.output.warn(`pgwarden: ${message}`);
    void vscode.window.showWarningMessage(`pgwarden: ${message}`);
  }

  /** The running language client, waiting while it starts (right after activation it may still be starting). */
  async readyClient(): Promise<LanguageClient | undefined> {
    await this.ctx.running();
    return this.runningClient();
  }

  /** The language client when it is running, with the lost-session handler attached once per client. */
  runningClient(): LanguageClient | undefined {
    const c = this.ctx.client;
    if (!c || c.state !== State.Running) return undefined;
    if (this.hooked !== c) {
      this.hooked = c;
      c.onNotification(DbLostNotification, (p) => {
        if (this.state(p.id).status !== 'connected') return;
        this.set(p.id, { status: 'error', kind: 'lost', message: p.message });
        this.ctx.output.warn(`pgwarden: ${p.message}`);
        void vscode.window.showWarningMessage(`pgwarden: the connection "${p.id}" was lost. Use Reconnect in the pgwarden view.`);
      });
      c.onNotification(DbDriftChangedNotification, (p) => {
        if (this.state(p.id).status === 'connected') this.driftChanged.fire(p.id);
      });
      c.onDidChangeState((e) => {
        // A restarted server has no sessions: every connection is disconnected.
        if (e.newState !== State.Running) {
          for (const [name, s] of this.states) if (s.status === 'connected' || s.status === 'connecting') this.states.set(name, { status: 'disconnected', message: 'the language server restarted' });
          this.changed.fire(undefined);
        }
      });
    }
    return c;
  }

  /**
   * Connects a profile: refuses in Restricted Mode, asks to confirm a workspace profile's
   * host once, warns about unverified TLS, then tries the stored password (or none) and
   * prompts until the server accepts one, the user cancels, or MAX_PROMPTS wrong ones.
   */
  async connect(profile: Profile): Promise<ConnectOutcome> {
    const name = profile.name;
    if (!vscode.workspace.isTrusted) {
      const message = 'pgwarden does not connect to databases in Restricted Mode. Trust this workspace to connect.';
      this.set(name, { status: 'error', kind: 'untrusted', message });
      void vscode.window.showWarningMessage(message);
      return { status: 'error', kind: 'untrusted', message };
    }
    const client = await this.readyClient();
    if (!client) {
      const message = 'The pgwarden language server is not running; restart it and try again.';
      this.set(name, { status: 'error', kind: 'other', message });
      void vscode.window.showErrorMessage(message);
      return { status: 'error', kind: 'other', message };
    }
    this.set(name, { status: 'connecting' });
    try {
      return await this.connectWith(client, profile);
    } catch (err) {
      // A request that failed (server stopped mid-way): one message, and the tree stays usable.
      const message = `Connecting "${name}" failed: ${err instanceof Error ? err.message : String(err)}`;
      this.set(name, { status: 'error', kind: 'other', message });
      void vscode.window.showErrorMessage(`pgwarden: ${message}`);
      return { status: 'error', kind: 'other', message };
    }
  }

  private async connectWith(client: LanguageClient, profile: Profile): Promise<ConnectOutcome> {
    const name = profile.name;
    await client.sendNotification(DbTrustNotification, { trusted: vscode.workspace.isTrusted });
    const resolved: DbResolveResult = await client.sendRequest(DbResolveRequest, { profile: strip(profile) });
    if (!resolved.ok || !resolved.fingerprint) {
      return this.fail(name, { status: 'error', kind: 'config', message: `The connection "${name}" is not usable: ${resolved.message ?? 'unknown problem'}` });
    }
    if (profile.source === 'workspace' && !(await this.confirmHost(profile, resolved))) {
      const message = `Not connected: the host of "${name}" (from workspace settings) was not confirmed.`;
      this.set(name, { status: 'disconnected', message });
      return { status: 'cancelled', message };
    }
    if (resolved.tlsWarning && !(await this.confirmUnverifiedTls(profile, resolved))) {
      const message = `Not connected: the connection "${name}" would not be protected by verified TLS, and that was not confirmed.`;
      this.set(name, { status: 'disconnected', message });
      return { status: 'cancelled', message };
    }
    const key = secretKey(resolved.fingerprint);
    let password = await this.ctx.extension.secrets.get(key);
    let fromStore = password !== undefined;
    let wrong = 0;
    for (;;) {
      const timeout = vscode.workspace.getConfiguration('pgwarden').get<number>('statementTimeoutMs', 10_000);
      // The password travels sealed under the key the server got through its environment, so tracing never shows it.
      const sealKey = process.env[SEAL_ENV];
      const secret = password === undefined ? {} : sealKey ? { sealedPassword: seal(sealKey, password) } : { password };
      const r = await client.sendRequest(DbConnectRequest, { id: name, profile: strip(profile), ...secret, statementTimeoutMs: timeout });
      if (r.status === 'connected') {
        if (password !== undefined && !fromStore) await this.ctx.extension.secrets.store(key, password);
        this.ctx.output.info(`pgwarden: connected "${name}" to ${r.description}${r.tls ? ' over TLS' : ''}`);
        this.set(name, { status: 'connected', description: r.description, tlsWarning: r.tlsWarning, currentUser: r.currentUser, serverVersion: r.serverVersion, isSuperuser: r.isSuperuser });
        return r;
      }
      if (r.status === 'error') {
        if (r.kind === 'auth' && fromStore) await this.ctx.extension.secrets.delete(key);
        return this.fail(name, { status: 'error', kind: r.kind, message: r.message }, r);
      }
      // The server asks for a password: none was stored, or the one given was wrong.
      if (r.reason === 'wrong') {
        wrong++;
        if (fromStore) await this.ctx.extension.secrets.delete(key);
        if (wrong >= MAX_PROMPTS) return this.fail(name, { status: 'error', kind: 'auth', message: r.message }, { status: 'error', kind: 'auth', message: r.message });
      }
      password = await vscode.window.showInputBox({
        title: `pgwarden: password for ${r.description}`,
        prompt:
          r.reason === 'wrong'
            ? 'Password authentication failed. Enter the password again (kept in VS Code\'s secret storage).'
            : 'Enter the password (kept in VS Code\'s secret storage, never in settings).',
        password: true,
        ignoreFocusOut: true,
      });
      fromStore = false;
      if (password === undefined || password === '') {
        const message = 'Not connected: no password entered.';
        this.set(name, { status: 'disconnected', message });
        return { status: 'cancelled', message };
      }
    }
  }

  private fail(name: string, s: Extract<ConnState, { status: 'error' }>, result?: ConnectOutcome): ConnectOutcome {
    this.set(name, s);
    this.ctx.output.error(`pgwarden: ${s.message}`);
    void vscode.window.showErrorMessage(`pgwarden: ${s.message}`);
    return result ?? { status: 'error', kind: s.kind as never, message: s.message };
  }

  /** A workspace profile's host:port is used only after the user confirmed it once (remembered in global state). */
  private async confirmHost(profile: Profile, r: DbResolveResult): Promise<boolean> {
    const hostKey = `${(r.host ?? '').toLowerCase()}:${r.port}`;
    const confirmed = this.ctx.extension.globalState.get<string[]>(CONFIRMED_HOSTS, []);
    if (confirmed.includes(hostKey)) return true;
    const answer = await vscode.window.showWarningMessage(
      `The workspace settings of this folder define the connection "${profile.name}" to ${r.description}. Connect to ${hostKey}?`,
      { modal: true, detail: 'Only connect to hosts you know: a folder you opened could point pgwarden at a server that collects passwords. Your answer is remembered for this host and port.' },
      'Connect',
    );
    if (answer !== 'Connect') return false;
    await this.ctx.extension.globalState.update(CONFIRMED_HOSTS, [...confirmed, hostKey]);
    return true;
  }

  /**
   * A connection off this machine without verified TLS (the server says which: sslmode
   * below verify-full, or no root certificate) goes ahead only after the user confirms,
   * before anything is sent; the answer is remembered for that target's fingerprint.
   */
  private async confirmUnverifiedTls(profile: Profile, r: DbResolveResult): Promise<boolean> {
    const confirmed = this.ctx.extension.globalState.get<string[]>(CONFIRMED_TLS, []);
    if (r.fingerprint && confirmed.includes(r.fingerprint)) return true;
    this.ctx.output.warn(`pgwarden: ${r.tlsWarning}`);
    const answer = await vscode.window.showWarningMessage(
      `Connect "${profile.name}" without verified TLS?`,
      {
        modal: true,
        detail: `${r.tlsWarning}\n\nThe password and the catalog would cross the network unprotected or to a server whose identity is not checked. Use sslmode=verify-full with a root certificate to avoid this question. Your answer is remembered for this server, database and user.`,
      },
      'Connect Anyway',
    );
    if (answer !== 'Connect Anyway') return false;
    if (r.fingerprint) await this.ctx.extension.globalState.update(CONFIRMED_TLS, [...confirmed, r.fingerprint]);
    return true;
  }

  async disconnect(name: string): Promise<void> {
    const client = this.runningClient();
    if (client) await client.sendRequest(DbDisconnectRequest, { id: name }).catch(() => undefined);
    this.set(name, { status: 'disconnected' });
  }

  /** Deletes the stored password of a profile's target; true when there was one. */
  async forgetPassword(profile: Profile): Promise<boolean> {
    const client = this.runningClient();
    if (!client) throw new Error('the pgwarden language server is not running');
    const r = await client.sendRequest(DbResolveRequest, { profile: strip(profile) });
    if (!r.ok || !r.fingerprint) throw new Error(r.message ?? 'the connection cannot be resolved');
    const key = secretKey(r.fingerprint);
    const had = (await this.ctx.extension.secrets.get(key)) !== undefined;
    await this.ctx.extension.secrets.delete(key);
    return had;
  }

  connectedNames(): string[] {
    return [...this.states].filter(([, s]) => s.status === 'connected').map(([n]) => n);
  }

  /** Marks a connection as disconnected after the server said it does not know it. */
  markNotConnected(name: string, message: string): void {
    if (this.state(name).status === 'connected') this.set(name, { status: 'error', kind: 'lost', message });
  }
}

/** The profile as the server wants it: no `source`, nothing else. */
export function strip(p: ConnectionProfile | Profile): ConnectionProfile {
  const { source: _source, ...rest } = p as Partial<Profile> & ConnectionProfile;
  return rest;
}
