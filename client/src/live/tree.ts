// The role tree: connections at the top, then whatever the server answers for each node,
// loaded when a node opens and paged with a "Load more..." item. The client knows no
// PostgreSQL: labels, icons and actions come from the server's DbTreeNode. A failure
// becomes an item with the message (and Reconnect when the session is gone), never a
// rejected promise.

import * as vscode from 'vscode';
import { DbChildrenRequest, DbChildrenResult, DbNodeRef, DbTreeNode } from '../../../server/src/shared/protocol';
import { LiveConnections } from './connections';
import { objectUri } from './findings';
import { Profile, profileSummary } from './profiles';

export const PAGE_SIZE = 200;
/** The Drift node's id under a connection (the server's DRIFT_NODE). */
const DRIFT_KEY = 'drift';

export type Item =
  | { type: 'connection'; profile: Profile }
  | { type: 'node'; conn: string; node: DbTreeNode; key: string }
  | { type: 'more'; conn: string; parentKey: string; parent: Item; ref: DbNodeRef | undefined; offset: number; remaining: number }
  | { type: 'message'; conn: string; key: string; text: string; error: boolean; reconnect: boolean };

interface Loaded {
  items: Item[];
  total: number;
  next: number;
}

export class RolesTree implements vscode.TreeDataProvider<Item>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Item | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Loaded children by parent key (connection name, then node ids joined by '/'). */
  private cache = new Map<string, Loaded>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly live: LiveConnections) {
    this.subscriptions = [live.onDidChange((name) => this.refresh(name)), live.onDidChangeDrift((name) => this.refreshDrift(name))];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    this.changed.dispose();
  }

  /** Drops everything loaded for one connection (or all), then redraws. */
  refresh(name?: string): void {
    if (name === undefined) this.cache.clear();
    else this.forget(name);
    this.redraw();
  }

  /** Drops what was loaded under one connection's Drift node (the rest stays), then redraws. */
  refreshDrift(name: string): void {
    const node = `${name}/${DRIFT_KEY}`;
    for (const k of [...this.cache.keys()]) if (k === node || k.startsWith(`${node}/`)) this.cache.delete(k);
    this.redraw();
  }

  private redrawTimer: NodeJS.Timeout | undefined;
  /**
   * One redraw per burst of changes. VS Code redraws a tree at once on its first change and
   * again 200 ms after any later one; while that second redraw runs, the extension host has
   * dropped the old rows' handles, so a row's inline action clicked then (Connect, right
   * after Disconnect redrew the row) reached its command without the row. A state change
   * and the command that caused it therefore make one redraw, not two.
   */
  private redraw(): void {
    this.redrawTimer ??= setTimeout(() => {
      this.redrawTimer = undefined;
      this.changed.fire(undefined);
    }, 0);
  }

  private forget(name: string): void {
    for (const k of [...this.cache.keys()]) if (k === name || k.startsWith(`${name}/`)) this.cache.delete(k);
  }

  getTreeItem(item: Item): vscode.TreeItem {
    switch (item.type) {
      case 'connection':
        return this.connectionItem(item.profile);
      case 'node': {
        const n = item.node;
        const t = new vscode.TreeItem(
          n.label,
          n.expandable ? (n.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None,
        );
        t.id = `${item.conn}/${item.key}`;
        t.description = n.description;
        t.tooltip = n.tooltip;
        if (n.icon) t.iconPath = new vscode.ThemeIcon(n.warning ? (n.icon === 'warning' ? 'warning' : n.icon) : n.icon, n.warning ? new vscode.ThemeColor('list.warningForeground') : undefined);
        // Flags the menus match on (package.json view/item/context uses `viewItem =~ /sql=true/` etc.).
        t.contextValue = `pgw:${n.contextValue ?? 'node'};sql=${!!n.sql};role=${!!n.role};table=${!!n.table};located=${!!n.location}`;
        // The object the row is about, for the findings' warning decorations (./findings.ts).
        const membership = n.sql?.kind === 'membership' ? n.sql : undefined;
        if (membership) t.resourceUri = objectUri(item.conn, 'membership', membership.member, membership.role);
        else if (n.contextValue === 'role' && n.role) t.resourceUri = objectUri(item.conn, 'role', n.role);
        else if (n.contextValue === 'table' && n.table) t.resourceUri = objectUri(item.conn, 'table', n.table.schema, n.table.name);
        // A drift row opens the statement it stands on.
        if (n.location) t.command = { command: 'pgwarden.openDriftFinding', title: 'Go to Declaring Statement', arguments: [item] };
        return t;
      }
      case 'more': {
        const t = new vscode.TreeItem(`Load more... (${item.remaining} left)`, vscode.TreeItemCollapsibleState.None);
        t.id = `${item.conn}/${item.parentKey}/#more@${item.offset}`;
        t.iconPath = new vscode.ThemeIcon('ellipsis');
        t.contextValue = 'pgw:more';
        t.command = { command: 'pgwarden.loadMore', title: 'Load more', arguments: [item] };
        return t;
      }
      case 'message': {
        const t = new vscode.TreeItem(item.text, vscode.TreeItemCollapsibleState.None);
        t.id = `${item.conn}/${item.key}`;
        t.tooltip = item.text;
        t.iconPath = new vscode.ThemeIcon(item.error ? 'error' : item.key === 'reconnect' ? 'debug-restart' : 'info', item.error ? new vscode.ThemeColor('list.errorForeground') : undefined);
        t.contextValue = item.reconnect ? 'pgw:message.reconnect' : 'pgw:message';
        if (item.reconnect) t.command = { command: 'pgwarden.reconnect', title: 'Reconnect', arguments: [item.conn] };
        return t;
      }
    }
  }

  private connectionItem(p: Profile): vscode.TreeItem {
    const s = this.live.state(p.name);
    const expandable = s.status === 'connected' || s.status === 'error' || (s.status === 'disconnected' && !!s.message);
    const t = new vscode.TreeItem(p.name, expandable ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    // The id carries the state so VS Code re-reads the collapsible state when it changes.
    t.id = `${p.name}#${s.status}`;
    t.contextValue = `pgw:connection.${s.status};source=${p.source}`;
    switch (s.status) {
      case 'connected':
        t.description = `${s.description}${s.tlsWarning ? ' · TLS not verified' : ''}`;
        t.iconPath = new vscode.ThemeIcon(s.tlsWarning ? 'warning' : 'database', s.tlsWarning ? new vscode.ThemeColor('list.warningForeground') : new vscode.ThemeColor('charts.green'));
        t.tooltip = `Connected as ${s.currentUser}${s.isSuperuser ? ' (superuser)' : ''}, server ${Math.floor(s.serverVersion / 10000)}\n${s.description}${s.tlsWarning ? `\n⚠ ${s.tlsWarning}` : ''}\nRead-only session.${p.source === 'workspace' ? '\nProfile from workspace settings.' : ''}`;
        break;
      case 'connecting':
        t.description = 'connecting...';
        t.iconPath = new vscode.ThemeIcon('sync~spin');
        break;
      case 'error':
        t.description = s.kind === 'lost' ? 'disconnected' : 'error';
        t.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
        t.tooltip = s.message;
        break;
      default:
        t.description = `disconnected · ${profileSummary(p)}`;
        t.iconPath = new vscode.ThemeIcon('debug-disconnect');
        t.tooltip = `${s.message ?? 'Not connected.'} Click to connect.${p.source === 'workspace' ? '\nProfile from workspace settings.' : ''}`;
        t.command = { command: 'pgwarden.connect', title: 'Connect', arguments: [p.name] };
    }
    return t;
  }

  async getChildren(parent?: Item): Promise<Item[]> {
    try {
      if (!parent) {
        // In Restricted Mode the view shows its welcome text instead of connections.
        if (!vscode.workspace.isTrusted) return [];
        return this.live.profiles().map((profile) => ({ type: 'connection' as const, profile }));
      }
      if (parent.type === 'connection') {
        const s = this.live.state(parent.profile.name);
        const conn = parent.profile.name;
        if (s.status === 'connected') return this.load(conn, conn, undefined, parent);
        if (s.status === 'error') return [{ type: 'message', conn, key: 'error', text: s.message, error: true, reconnect: s.kind !== 'untrusted' && s.kind !== 'config' }, ...(s.kind !== 'untrusted' && s.kind !== 'config' ? [reconnectItem(conn)] : [])];
        if (s.status === 'disconnected' && s.message) return [{ type: 'message', conn, key: 'info', text: s.message, error: false, reconnect: false }, reconnectItem(conn)];
        return [];
      }
      if (parent.type === 'node' && parent.node.expandable && parent.node.ref) return this.load(parent.conn, `${parent.conn}/${parent.key}`, parent.node.ref, parent);
      return [];
    } catch (err) {
      const conn = parent && parent.type !== 'connection' ? parent.conn : parent?.profile.name ?? '';
      return [{ type: 'message', conn, key: `failure:${Date.now()}`, text: `pgwarden: ${err instanceof Error ? err.message : String(err)}`, error: true, reconnect: false }];
    }
  }

  private async load(conn: string, parentKey: string, ref: DbNodeRef | undefined, parent: Item): Promise<Item[]> {
    let loaded = this.cache.get(parentKey);
    if (!loaded) {
      const first = await this.fetch(conn, parentKey, ref, 0);
      if (!Array.isArray(first)) loaded = first;
      else return first;
      this.cache.set(parentKey, loaded);
    }
    const out = [...loaded.items];
    if (loaded.next < loaded.total) out.push({ type: 'more', conn, parentKey, parent, ref, offset: loaded.next, remaining: loaded.total - loaded.next });
    return out;
  }

  /** One page from the server, or the items that explain why there is none. */
  private async fetch(conn: string, parentKey: string, ref: DbNodeRef | undefined, offset: number): Promise<Loaded | Item[]> {
    const client = await this.live.readyClient();
    if (!client) return [{ type: 'message', conn, key: `${parentKey}/#down`, text: 'The pgwarden language server is not running.', error: true, reconnect: false }];
    const r: DbChildrenResult = await client.sendRequest(DbChildrenRequest, { id: conn, ref, offset, limit: PAGE_SIZE });
    if (!r.ok) {
      const gone = r.kind === 'notConnected' || r.kind === 'lost';
      if (gone) this.live.markNotConnected(conn, r.message);
      return [{ type: 'message', conn, key: `${parentKey}/#error`, text: r.message, error: true, reconnect: gone }];
    }
    const base = parentKey.slice(conn.length + 1);
    const items: Item[] = r.items.map((node) => ({ type: 'node', conn, node, key: base ? `${base}/${node.id}` : node.id }));
    return { items, total: r.total, next: r.offset + r.items.length };
  }

  /** "Load more...": appends the next page to the parent's children. */
  async loadMore(more: Extract<Item, { type: 'more' }>): Promise<void> {
    const loaded = this.cache.get(more.parentKey);
    if (!loaded || loaded.next !== more.offset) return;
    const page = await this.fetch(more.conn, more.parentKey, more.ref, more.offset);
    if (Array.isArray(page)) {
      loaded.items.push(...page);
      loaded.next = loaded.total;
    } else {
      loaded.items.push(...page.items);
      loaded.next = page.next;
      loaded.total = page.total;
    }
    this.changed.fire(more.parent.type === 'connection' ? undefined : more.parent);
  }

  /** The loaded tree as plain data, to a depth, for tests and the e2e suite. */
  async snapshot(depth = 3, parent?: Item): Promise<Array<Record<string, unknown>>> {
    const kids = await this.getChildren(parent);
    const out: Array<Record<string, unknown>> = [];
    for (const k of kids) {
      const t = this.getTreeItem(k);
      const entry: Record<string, unknown> = { label: t.label, description: t.description, contextValue: t.contextValue };
      if (depth > 1 && t.collapsibleState !== vscode.TreeItemCollapsibleState.None) entry.children = await this.snapshot(depth - 1, k);
      out.push(entry);
    }
    return out;
  }
}

function reconnectItem(conn: string): Item {
  return { type: 'message', conn, key: 'reconnect', text: 'Reconnect', error: false, reconnect: true };
}
