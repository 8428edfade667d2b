// The live-database side of the extension: the pgwarden view with its role tree, and the
// commands behind it. `registerLive(ctx)` is the one call extension.ts makes.
//
// Command ids (all also callable from tests with the arguments noted):
//   pgwarden.addConnection(profile?)   QuickPick flow, or save `profile` ({name, host, ...}) directly; then connects
//   pgwarden.connect(name?) / pgwarden.reconnect(name?)   connect a saved profile (prompts for a password if needed)
//   pgwarden.disconnect(name?)  pgwarden.forgetPassword(name?)  pgwarden.removeConnection(name?)
//   pgwarden.editConnection(item | name?)   the Add Connection steps filled in with the profile; validated by the server before saving
//   pgwarden.refreshRoles(name?)  pgwarden.refreshAll()  pgwarden.loadMore(item)
//   pgwarden.openRevoke(item) / pgwarden.openGrant(item)   untitled SQL editor with the statement; never executed
//   pgwarden.whoCanAccess(item | {conn, schema, table})   pgwarden.exportAccessMarkdown / exportAccessCsv(item | {conn, schema, table})
//   pgwarden.findInWorkspace(item | {conn?, role} | {conn?, table})
//   pgwarden.showRoleGraph(item | name?)   the role graph webview of a connected database; returns the graph it shows
//   pgwarden.driftReconcile(item | name?)   untitled SQL editor (one per connection, reused) with the reconciling migration; never executed
//   pgwarden.driftAdopt(item | name?)   the adopting migration as the next file of the project's migration layout (a workspace edit); never executed
//   pgwarden.openDriftFinding(item)   the statement a Drift row stands on
//   pgwarden.refreshFindings()  pgwarden.openFinding(item)  pgwarden.findingInWorkspace(item)  pgwarden.copyFinding(item)
//   pgwarden.openFindingFix(item)   the finding's fix statement in one reused untitled SQL editor; never executed
//   pgwarden.openRulePage(item | ruleId)   the rule's page from the extension, in the Markdown preview
//   pgwarden.internal.findingsSnapshot()  pgwarden.internal.treeSnapshot(depth?)  pgwarden.internal.connectionState(name)   (tests only, not in the palette)

import * as vscode from 'vscode';
import {
  DbAccessReportRequest,
  DbDriftSqlRequest,
  DbFindInWorkspaceRequest,
  DbGenerateSqlRequest,
  DbRefreshRequest,
  DbResolveRequest,
  DbRoleGraph,
  DbRoleGraphRequest,
  DbSqlTarget,
  DbWhoCanAccessRequest,
  DbWorkspaceLocation,
} from '../../../server/src/shared/protocol';
import type { TableHolder } from '../../../server/src/shared/protocol';
import { newSealKey, SEAL_ENV } from '../../../server/src/shared/seal';
import type { Ctx } from '../context';
import { editProfile, pickProfile } from './addConnection';
import { ConnectOutcome, LiveConnections, secretKey, strip } from './connections';
import { Profile, removeProfile, sanitize, saveProfile, SETTING } from './profiles';
import type { ConnectionProfile } from '../../../server/src/shared/profile';
import { showRoleGraph } from './roleGraph';
import { FindingDecorations, FINDINGS_VIEW_ID, FindingsItem, FindingsTree } from './findings';
import { Item, RolesTree } from './tree';

export const VIEW_ID = 'pgwarden.roles';
const PRIVILEGE_ORDER = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN'];

export function registerLive(ctx: Ctx): { live: LiveConnections; tree: RolesTree; findings: FindingsTree } {
  // The language server inherits the extension host's environment when it starts (after
  // this runs): the key that seals passwords in connect requests reaches it that way,
  // outside the traced LSP channel.
  process.env[SEAL_ENV] ??= newSealKey();
  const live = new LiveConnections(ctx);
  const tree = new RolesTree(live);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const decorations = new FindingDecorations();
  const findings = new FindingsTree(live, decorations);
  const findingsView = vscode.window.createTreeView(FINDINGS_VIEW_ID, { treeDataProvider: findings, showCollapseAll: true });
  findings.attach(findingsView);
  const subs = ctx.extension.subscriptions;
  subs.push(live, tree, view, findings, findingsView, decorations, vscode.window.registerFileDecorationProvider(decorations));
  // The role tree's warning marks come from the findings: load them once something connects.
  subs.push(live.onDidChange(() => void findings.findings()));

  const setHasConnections = () => void vscode.commands.executeCommand('setContext', 'pgwarden.hasConnections', live.profiles().length > 0);
  setHasConnections();
  subs.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTING)) {
        setHasConnections();
        tree.refresh();
      }
      if (e.affectsConfiguration('pgwarden.autoRefreshSeconds')) scheduleRefresh();
    }),
  );

  // Auto-refresh: re-read the catalog of every connected database at the configured interval.
  let timer: NodeJS.Timeout | undefined;
  const scheduleRefresh = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    const seconds = vscode.workspace.getConfiguration('pgwarden').get<number>('autoRefreshSeconds', 0);
    if (seconds > 0) timer = setInterval(() => void refreshConnected(), Math.max(5, seconds) * 1000);
  };
  subs.push({ dispose: () => timer && clearInterval(timer) });
  scheduleRefresh();

  const refreshConnected = async (only?: string) => {
    const client = live.runningClient();
    for (const name of live.connectedNames()) {
      if (only && name !== only) continue;
      const r = client ? await client.sendRequest(DbRefreshRequest, { id: name }).catch((err: Error) => ({ ok: false as const, kind: 'other' as const, message: err.message })) : undefined;
      if (r && !r.ok && (r.kind === 'notConnected' || r.kind === 'lost')) live.markNotConnected(name, r.message);
    }
    tree.refresh(only);
    findings.refresh();
  };

  /** The profile a command was invoked for: a tree item, a name, or a pick among the saved ones. */
  const profileOf = async (arg: unknown, placeHolder: string): Promise<Profile | undefined> => {
    const all = live.profiles();
    const item = arg as Item | undefined;
    let name: string | undefined;
    if (typeof arg === 'string') name = arg;
    else if (item && typeof item === 'object' && 'type' in item) name = item.type === 'connection' ? item.profile.name : item.conn;
    if (name !== undefined) {
      const p = all.find((x) => x.name === name);
      if (!p) void vscode.window.showErrorMessage(`pgwarden: there is no connection named "${name}".`);
      return p;
    }
    if (!all.length) {
      void vscode.window.showInformationMessage('pgwarden: no connections yet. Use "pgwarden: Add Connection".');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      all.map((p) => ({ label: p.name, description: `${live.state(p.name).status}${p.source === 'workspace' ? ' · workspace settings' : ''}`, p })),
      { placeHolder },
    );
    return pick?.p;
  };

  const client = () => {
    const c = live.runningClient();
    if (!c) void vscode.window.showErrorMessage('pgwarden: the language server is not running.');
    return c;
  };

  const reg = (id: string, fn: (...args: any[]) => unknown) =>
    subs.push(
      vscode.commands.registerCommand(id, async (...args: any[]) => {
        try {
          return await fn(...args);
        } catch (err) {
          // One clear message; never an unhandled rejection in the extension host.
          const message = err instanceof Error ? err.message : String(err);
          ctx.output.error(`pgwarden: ${id} failed: ${message}`);
          void vscode.window.showErrorMessage(`pgwarden: ${message}`);
          return undefined;
        }
      }),
    );

  reg('pgwarden.addConnection', async (given?: unknown): Promise<ConnectOutcome | undefined> => {
    const taken = live.profiles().map((p) => p.name);
    // From the view's title VS Code passes the focused tree item (or null): that is not a
    // profile, and means "ask". Only a caller's own profile object is saved directly.
    const ownProfile = isProfileArgument(given);
    let profile = ownProfile ? sanitize(given) : undefined;
    if (ownProfile && !profile) throw new Error('the connection profile needs a "name"');
    if (!profile) profile = await pickProfile(taken);
    if (!profile) return undefined;
    await saveProfile(profile);
    setHasConnections();
    tree.refresh();
    const saved = live.profiles().find((p) => p.name === profile!.name && p.source === 'user') ?? { ...profile, source: 'user' as const };
    const outcome = await live.connect(saved);
    if (outcome.status === 'connected') void vscode.commands.executeCommand(`${VIEW_ID}.focus`).then(undefined, () => undefined);
    return outcome;
  });

  const connect = async (arg?: unknown): Promise<ConnectOutcome | undefined> => {
    const p = await profileOf(arg, 'Connect to which database?');
    if (!p) return undefined;
    // The connection's state changes redraw its row (RolesTree listens): no second redraw here.
    return live.connect(p);
  };
  reg('pgwarden.connect', connect);
  reg('pgwarden.reconnect', connect);

  reg('pgwarden.disconnect', async (arg?: unknown) => {
    const p = await profileOf(arg, 'Disconnect which database?');
    if (!p) return;
    await live.disconnect(p.name);
  });

  reg('pgwarden.forgetPassword', async (arg?: unknown): Promise<boolean | undefined> => {
    const p = await profileOf(arg, 'Forget the stored password of which connection?');
    if (!p) return undefined;
    const had = await live.forgetPassword(p);
    void vscode.window.showInformationMessage(had ? `pgwarden: the stored password for "${p.name}" is forgotten.` : `pgwarden: no password was stored for "${p.name}".`);
    return had;
  });

  reg('pgwarden.removeConnection', async (arg?: unknown): Promise<boolean | undefined> => {
    const p = await profileOf(arg, 'Remove which connection?');
    if (!p) return undefined;
    if (p.source === 'workspace') {
      void vscode.window.showWarningMessage(`pgwarden: "${p.name}" comes from workspace settings; remove it there (.vscode/settings.json).`);
      return false;
    }
    const sure = await vscode.window.showWarningMessage(
      `Remove the connection "${p.name}"?`,
      { modal: true, detail: 'The profile leaves your user settings and its stored password leaves the secret storage (unless another profile reaches the same database).' },
      'Remove',
    );
    if (sure !== 'Remove') return false;
    await live.disconnect(p.name);
    await dropSecretUnlessShared(p, live.profiles().filter((x) => x.name !== p.name));
    const removed = await removeProfile(p.name);
    setHasConnections();
    tree.refresh();
    return removed;
  });

  /**
   * Deletes the stored password of a profile's target, unless one of `others` reaches the
   * same target (passwords are kept per server, database and user, not per profile).
   */
  const dropSecretUnlessShared = async (p: ConnectionProfile, others: ConnectionProfile[]) => {
    const c = live.runningClient();
    if (!c) return;
    const fingerprint = async (x: ConnectionProfile) => (await c.sendRequest(DbResolveRequest, { profile: strip(x) })).fingerprint;
    const fp = await fingerprint(p);
    if (!fp) return;
    for (const o of others) if ((await fingerprint(o)) === fp) return;
    await ctx.extension.secrets.delete(secretKey(fp));
  };

  reg('pgwarden.editConnection', async (arg?: unknown): Promise<ConnectOutcome | boolean | undefined> => {
    const p = await profileOf(arg, 'Edit which connection?');
    if (!p) return undefined;
    if (p.source === 'workspace') {
      void vscode.window.showWarningMessage(`pgwarden: "${p.name}" comes from workspace settings; edit it there (.vscode/settings.json).`);
      return false;
    }
    const edited = await editProfile(p, live.profiles().map((x) => x.name));
    if (!edited) return undefined;
    const c = client();
    if (!c) return undefined;
    // The server judges the profile as it would when connecting: one it cannot use is not saved.
    const resolved = await c.sendRequest(DbResolveRequest, { profile: strip(edited) });
    if (!resolved.ok) throw new Error(`the connection "${edited.name}" was not changed: ${resolved.message ?? 'the profile is not usable'}`);
    const wasConnected = live.state(p.name).status === 'connected';
    if (live.state(p.name).status !== 'disconnected') await live.disconnect(p.name);
    // The password stays in the secret storage while the profile reaches the same target;
    // one that no profile reaches any more is deleted.
    const others = live.profiles().filter((x) => x.name !== p.name);
    if (resolved.fingerprint !== (await c.sendRequest(DbResolveRequest, { profile: strip(p) })).fingerprint) await dropSecretUnlessShared(p, [...others, edited]);
    if (edited.name !== p.name) await removeProfile(p.name);
    await saveProfile(edited);
    setHasConnections();
    tree.refresh();
    if (!wasConnected) {
      void vscode.window.showInformationMessage(`pgwarden: the connection "${edited.name}" is saved.`);
      return true;
    }
    const saved = live.profiles().find((x) => x.name === edited.name && x.source === 'user') ?? { ...edited, source: 'user' as const };
    const outcome = await live.connect(saved);
    if (outcome.status === 'connected') void vscode.window.showInformationMessage(`pgwarden: the connection "${edited.name}" is saved and connected again.`);
    return outcome;
  });

  /** Re-reads catalogs with a progress indicator on the view, so a slow database shows it is working. */
  const refreshWithProgress = (name?: string) =>
    vscode.window.withProgress({ location: { viewId: VIEW_ID }, title: name ? `Refreshing ${name}` : 'Refreshing connected databases' }, () => refreshConnected(name));

  reg('pgwarden.refreshRoles', async (arg?: unknown) => {
    const name = typeof arg === 'string' ? arg : arg && typeof arg === 'object' && 'type' in (arg as Item) && (arg as Item).type === 'connection' ? (arg as Extract<Item, { type: 'connection' }>).profile.name : undefined;
    await refreshWithProgress(name);
  });
  // The view title's refresh: every connection, whatever row has the focus (VS Code passes it).
  reg('pgwarden.refreshAll', () => refreshWithProgress());

  reg('pgwarden.loadMore', (item: Extract<Item, { type: 'more' }>) => tree.loadMore(item));

  /**
   * One untitled editor per key (an object and action, "the fix SQL of findings", "the access export"):
   * opening it again shows that editor with the new text instead of piling up tabs, unless
   * the user has changed its text since. The SQL is shown, never run.
   */
  const sqlEditors = new Map<string, { doc: vscode.TextDocument; text: string }>();
  const showSql = async (key: string, text: string, language = 'sql'): Promise<string> => {
    const known = sqlEditors.get(key);
    let doc = known && !known.doc.isClosed && known.doc.getText() === known.text ? known.doc : undefined;
    if (doc && doc.getText() !== text) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
      await vscode.workspace.applyEdit(edit);
    }
    if (doc && doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
    doc ??= await vscode.workspace.openTextDocument({ language, content: text });
    sqlEditors.set(key, { doc, text: doc.getText() });
    await vscode.window.showTextDocument(doc, { preview: false });
    return text;
  };
  const openSql = async (action: 'revoke' | 'grant', item: Item | { sql: DbSqlTarget }): Promise<string | undefined> => {
    const target = 'sql' in item ? item.sql : item.type === 'node' ? item.node.sql : undefined;
    if (!target) throw new Error(`this item has no privilege to ${action}`);
    const c = client();
    if (!c) return undefined;
    const r = await c.sendRequest(DbGenerateSqlRequest, { action, target });
    if (!r.ok) throw new Error(r.message);
    return showSql(`${action}:${JSON.stringify(target)}`, r.sql);
  };
  reg('pgwarden.openRevoke', (item: Item) => openSql('revoke', item));
  reg('pgwarden.openGrant', (item: Item) => openSql('grant', item));

  /** The connection and table a "who can access" command is for: a tree item, or {conn, schema, table} from a caller. */
  const tableArg = (arg: Item | { conn: string; schema: string; table: string } | undefined) => {
    if (arg && 'type' in arg && arg.type === 'node' && arg.node.table) return { conn: arg.conn, table: arg.node.table };
    if (arg && 'schema' in arg) return { conn: arg.conn, table: { schema: arg.schema, name: arg.table } };
    throw new Error('choose a table in the pgwarden view');
  };
  const failed = (conn: string, r: { kind: string; message: string }): never => {
    if (r.kind === 'notConnected' || r.kind === 'lost') live.markNotConnected(conn, r.message);
    throw new Error(r.message);
  };

  reg('pgwarden.whoCanAccess', async (arg: Item | { conn: string; schema: string; table: string }): Promise<TableHolder[] | undefined> => {
    const { conn, table } = tableArg(arg);
    const c = client();
    if (!c) return undefined;
    const r = await c.sendRequest(DbWhoCanAccessRequest, { id: conn, schema: table.schema, table: table.name });
    if (!r.ok) return failed(conn, r);
    const items: vscode.QuickPickItem[] = [];
    let last = '';
    // Grouped by privilege: who may read, who may write, and what row-level security leaves each.
    for (const h of [...(r.rows ?? [])].sort((a, b) => PRIVILEGE_ORDER.indexOf(a.privilege) - PRIVILEGE_ORDER.indexOf(b.privilege))) {
      if (h.privilege !== last) {
        items.push({ label: h.privilege, kind: vscode.QuickPickItemKind.Separator });
        last = h.privilege;
      }
      items.push({
        label: h.role,
        description: `${h.path} · ${h.rowSecurity}`,
        iconPath: new vscode.ThemeIcon(h.path === 'superuser' ? 'star-full' : h.path === 'PUBLIC' ? 'globe' : 'person'),
      });
    }
    void vscode.window.showQuickPick(items, {
      title: `Who can access ${table.schema}.${table.name}`,
      placeHolder: 'Every role holding each privilege, the path that gives it, and what row-level security leaves',
      matchOnDescription: true,
    });
    return r.holders;
  });

  // One untitled editor for every export (showSql's reuse): exporting table after table does not pile up tabs.
  const exportAccess = async (format: 'markdown' | 'csv', arg: Item | { conn: string; schema: string; table: string }): Promise<string | undefined> => {
    const { conn, table } = tableArg(arg);
    const c = client();
    if (!c) return undefined;
    const r = await c.sendRequest(DbAccessReportRequest, { id: conn, schema: table.schema, table: table.name, format });
    if (!r.ok) return failed(conn, r);
    return showSql('access-export', r.text, format === 'csv' ? 'plaintext' : 'markdown');
  };
  reg('pgwarden.exportAccessMarkdown', (arg: Item | { conn: string; schema: string; table: string }) => exportAccess('markdown', arg));
  reg('pgwarden.exportAccessCsv', (arg: Item | { conn: string; schema: string; table: string }) => exportAccess('csv', arg));

  reg('pgwarden.findInWorkspace', async (arg: Item | { role?: string; table?: { schema: string; name: string } }): Promise<DbWorkspaceLocation[] | undefined> => {
    let q: { role?: string; table?: { schema: string; name: string } } | undefined;
    if (arg && 'type' in arg && arg.type === 'node') q = arg.node.role ? { role: arg.node.role } : arg.node.table ? { table: arg.node.table } : undefined;
    else if (arg && 'type' in arg && (arg as unknown as FindingsItem).type === 'finding') {
      const f = (arg as unknown as Extract<FindingsItem, { type: 'finding' }>).finding;
      q = f.role ? { role: f.role } : f.table ? { table: f.table } : undefined;
    }
    else if (arg && !('type' in arg)) q = arg.role ? { role: arg.role } : arg.table ? { table: arg.table } : undefined;
    if (!q) throw new Error('choose a role or table in the pgwarden view');
    const c = client();
    if (!c) return undefined;
    const found = await c.sendRequest(DbFindInWorkspaceRequest, q);
    const what = q.role ? `role ${q.role}` : `table ${q.table!.schema}.${q.table!.name}`;
    const open = async (l: DbWorkspaceLocation) => {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(l.uri));
      const range = new vscode.Range(l.range.start.line, l.range.start.character, l.range.end.line, l.range.end.character);
      await vscode.window.showTextDocument(doc, { selection: range, preview: true });
    };
    if (!found.length) void vscode.window.showInformationMessage(`pgwarden: no GRANT or CREATE statement for ${what} in the workspace's SQL files.`);
    else if (found.length === 1) await open(found[0]);
    else {
      const pick = await vscode.window.showQuickPick(
        found.map((l) => ({ label: l.preview, description: `${vscode.workspace.asRelativePath(vscode.Uri.parse(l.uri))}:${l.range.start.line + 1}`, detail: l.kind, l })),
        { title: `Statements for ${what}`, matchOnDescription: true },
      );
      if (pick) await open(pick.l);
    }
    return found;
  });

  // ---- drift: declared (the migrations) versus live (the database) ----------------
  /** The connected database (and project root) a drift command is for: a Drift row, a connection row, a name, or a pick. */
  const driftTarget = async (arg: unknown): Promise<{ conn: string; root?: string } | undefined> => {
    const item = arg as Item | undefined;
    const root = item && typeof item === 'object' && item.type === 'node' && item.node.ref?.kind === 'driftRoot' ? item.node.ref.root : undefined;
    if (item && typeof item === 'object' && item.type === 'node') return { conn: item.conn, root };
    const connected = live.connectedNames();
    if (!connected.length) throw new Error('connect to a database first: drift compares the migrations with a connected database');
    const p = typeof arg === 'string' || (item && typeof item === 'object' && 'type' in item) ? await profileOf(arg, '') : undefined;
    if (p) return { conn: p.name };
    if (connected.length === 1) return { conn: connected[0] };
    const pick = await vscode.window.showQuickPick(connected, { placeHolder: 'Compare the migrations with which database?' });
    return pick ? { conn: pick } : undefined;
  };
  const driftSql = async (arg: unknown, mode: 'reconcile' | 'adopt') => {
    const t = await driftTarget(arg);
    const c = t && client();
    if (!t || !c) return undefined;
    const r = await c.sendRequest(DbDriftSqlRequest, { id: t.conn, mode, ...(t.root ? { root: t.root } : {}) });
    if (!r.ok) {
      if (r.kind === 'notConnected' || r.kind === 'lost') live.markNotConnected(t.conn, r.message);
      throw new Error(r.message);
    }
    return { ...r, conn: t.conn };
  };
  reg('pgwarden.driftReconcile', async (arg?: unknown): Promise<string | undefined> => {
    const r = await driftSql(arg, 'reconcile');
    if (!r) return undefined;
    // One editor per connection, reused: asking again shows the current SQL there.
    await showSql(`drift:reconcile:${r.conn}:${r.root}`, r.sql);
    if (!r.findings) void vscode.window.showInformationMessage(`pgwarden: no drift between ${r.conn} and the migrations: nothing to reconcile.`);
    return r.sql;
  });
  reg('pgwarden.driftAdopt', async (arg?: unknown): Promise<string | undefined> => {
    const r = await driftSql(arg, 'adopt');
    if (!r) return undefined;
    if (!r.findings || !r.newFile) {
      void vscode.window.showInformationMessage(`pgwarden: no drift between ${r.conn} and the migrations: nothing to adopt.`);
      return undefined;
    }
    // A workspace edit, so creating the migration can be undone; pgwarden never runs it.
    const uri = vscode.Uri.parse(r.newFile);
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(uri, { ignoreIfExists: false });
    edit.insert(uri, new vscode.Position(0, 0), r.sql);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not create ${vscode.workspace.asRelativePath(uri)}`);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    tree.refresh(r.conn);
    return r.newFile;
  });
  reg('pgwarden.openDriftFinding', async (arg: unknown) => {
    const item = arg as Item | undefined;
    const location = item && typeof item === 'object' && item.type === 'node' ? item.node.location : undefined;
    if (!location) throw new Error('no workspace file declares this or creates its object');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(location.uri));
    const range = new vscode.Range(location.range.start.line, location.range.start.character, location.range.end.line, location.range.end.character);
    await vscode.window.showTextDocument(doc, { selection: range, preview: true });
    return location.uri;
  });

  reg('pgwarden.showRoleGraph', async (arg?: Item | string): Promise<DbRoleGraph | undefined> => {
    const p = await profileOf(arg, 'Show the role graph of which connection?');
    if (!p) return undefined;
    if (live.state(p.name).status !== 'connected') throw new Error(`"${p.name}" is not connected`);
    const c = client();
    if (!c) return undefined;
    const r = await c.sendRequest(DbRoleGraphRequest, { id: p.name });
    if (!r.ok) {
      if (r.kind === 'notConnected' || r.kind === 'lost') live.markNotConnected(p.name, r.message);
      throw new Error(r.message);
    }
    const { svg, drawn, omitted, paths } = r;
    showRoleGraph(p.name, { svg, drawn, omitted, paths });
    return { svg, drawn, omitted, paths };
  });
  // ---- the Findings view ----------------------------------------------------------
  const findingOf = (arg: unknown) => {
    const item = arg as FindingsItem | undefined;
    if (!item || typeof item !== 'object' || item.type !== 'finding') throw new Error('choose a finding in the Findings view');
    return item.finding;
  };
  const openLocation = async (l: DbWorkspaceLocation) => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(l.uri));
    const range = new vscode.Range(l.range.start.line, l.range.start.character, l.range.end.line, l.range.end.character);
    await vscode.window.showTextDocument(doc, { selection: range, preview: true });
  };
  reg('pgwarden.refreshFindings', () =>
    vscode.window.withProgress({ location: { viewId: FINDINGS_VIEW_ID }, title: 'Auditing the connected databases' }, async () => {
      findings.refresh();
      await findings.findings();
    }),
  );
  reg('pgwarden.openFinding', async (arg: unknown) => {
    const f = findingOf(arg);
    if (f.location) return openLocation(f.location);
    const find = f.role || f.table ? 'Find in Workspace' : undefined;
    const choice = await vscode.window.showInformationMessage(`pgwarden: no SQL file in the workspace creates ${f.objectKind} ${f.object}.`, ...(find ? [find] : []));
    if (choice === find) await vscode.commands.executeCommand('pgwarden.findingInWorkspace', arg);
    return undefined;
  });
  // A live finding's fix statement (the rule's, identifiers quoted) in the one editor kept
  // for fix SQL, headed by what it fixes; never run.
  reg('pgwarden.openFindingFix', (arg: unknown) => {
    const f = findingOf(arg);
    if (!f.fix) throw new Error(`${f.ruleId} on ${f.object} has no fix statement: its fix is a decision (see the rule's page)`);
    const header = [`-- pgwarden: ${f.ruleId} on ${f.objectKind} ${f.object}, in ${f.database}`, `-- ${f.message.replace(/\s+/g, ' ')}`, '-- Review it, then run it yourself: pgwarden never runs SQL.'];
    return showSql('finding-fix', `${header.join('\n')}\n${f.fix}\n`);
  });
  reg('pgwarden.findingInWorkspace', (arg: unknown) => vscode.commands.executeCommand('pgwarden.findInWorkspace', arg));
  reg('pgwarden.copyFinding', async (arg: unknown) => {
    const f = findingOf(arg);
    const text = `${f.ruleId} (${f.severity}) on ${f.objectKind} ${f.object} in ${f.database}: ${f.message}`;
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage('pgwarden: finding copied', 3000);
    return text;
  });
  // The rule pages ship in the extension (docs/rules/<id>.md) and open in the Markdown
  // preview; without a page (an unknown id) the web page is offered instead.
  reg('pgwarden.openRulePage', async (arg: unknown) => {
    const id = typeof arg === 'string' ? arg : findingOf(arg).ruleId;
    if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`"${id}" is not a pgwarden rule id`);
    const page = vscode.Uri.joinPath(ctx.extension.extensionUri, 'docs', 'rules', `${id}.md`);
    const exists = await vscode.workspace.fs.stat(page).then(() => true, () => false);
    if (exists) await vscode.commands.executeCommand('markdown.showPreview', page);
    else await vscode.env.openExternal(vscode.Uri.parse(`https://github.com/pgwarden/pgwarden/blob/main/docs/rules/${id}.md`));
    return exists ? page.toString() : undefined;
  });
  reg('pgwarden.internal.findingsSnapshot', () => findings.snapshot());

  reg('pgwarden.internal.treeSnapshot', (depth?: number) => tree.snapshot(typeof depth === 'number' ? depth : 3));
  reg('pgwarden.internal.connectionState', (name: string) => live.state(name));

  return { live, tree, findings };
}

/**
 * Whether a command argument is a profile a caller passed (tests, other extensions), as
 * opposed to what VS Code passes from a menu: a tree item of this view, or null.
 */
function isProfileArgument(arg: unknown): arg is Record<string, unknown> {
  return !!arg && typeof arg === 'object' && !Array.isArray(arg) && !('type' in arg) && !('$treeViewId' in arg);
}
