// The Findings view: every connected database's live audit, once per database, grouped by
// severity and then rule, with counts on the groups and a badge on the view. A finding's
// label is its object and problem (the server writes it), the rule id is its description,
// and the full message is its tooltip. Clicking one opens the workspace statement that
// creates its object. The client only arranges what the server answers.

import * as vscode from 'vscode';
import { DbFindingItem, DbFindingsRequest } from '../../../server/src/shared/protocol';
import type { LiveConnections } from './connections';

export const FINDINGS_VIEW_ID = 'pgwarden.findings';

const SEVERITIES = [
  { severity: 'error', label: 'Errors', icon: 'error', color: 'list.errorForeground' },
  { severity: 'warning', label: 'Warnings', icon: 'warning', color: 'list.warningForeground' },
  { severity: 'info', label: 'Info', icon: 'info', color: undefined },
  { severity: 'hint', label: 'Hints', icon: 'lightbulb', color: undefined },
] as const;

export type FindingsItem =
  | { type: 'severity'; severity: string; label: string; icon: string; color: string | undefined; findings: DbFindingItem[] }
  | { type: 'rule'; severity: string; ruleId: string; findings: DbFindingItem[] }
  | { type: 'finding'; finding: DbFindingItem; multipleDatabases: boolean }
  | { type: 'message'; text: string; error: boolean };

export class FindingsTree implements vscode.TreeDataProvider<FindingsItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<FindingsItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private loaded: Promise<{ items: DbFindingItem[]; failed: Array<{ id: string; message: string }> } | undefined> | undefined;
  private view: vscode.TreeView<FindingsItem> | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly live: LiveConnections,
    private readonly decorations?: FindingDecorations,
  ) {
    this.subscription = live.onDidChange(() => this.refresh());
  }

  attach(view: vscode.TreeView<FindingsItem>): void {
    this.view = view;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  refresh(): void {
    this.loaded = undefined;
    this.changed.fire(undefined);
  }

  /** The findings as the server answers them (cached until the next refresh). */
  findings(): Promise<{ items: DbFindingItem[]; failed: Array<{ id: string; message: string }> } | undefined> {
    this.loaded ??= (async () => {
      if (!this.live.connectedNames().length) return { items: [], failed: [] };
      const client = await this.live.readyClient();
      if (!client) return undefined;
      return client.sendRequest(DbFindingsRequest);
    })().then((r) => {
      this.setBadge(r?.items ?? []);
      this.decorations?.update(r?.items ?? []);
      return r;
    });
    return this.loaded;
  }

  private setBadge(items: DbFindingItem[]): void {
    if (!this.view) return;
    const serious = items.filter((f) => f.severity === 'error' || f.severity === 'warning').length;
    this.view.badge = items.length ? { value: items.length, tooltip: `${items.length} live finding(s), ${serious} error(s) or warning(s)` } : undefined;
  }

  getTreeItem(item: FindingsItem): vscode.TreeItem {
    switch (item.type) {
      case 'severity': {
        const t = new vscode.TreeItem(item.label, vscode.TreeItemCollapsibleState.Expanded);
        t.id = `severity:${item.severity}`;
        t.description = String(item.findings.length);
        t.iconPath = new vscode.ThemeIcon(item.icon, item.color ? new vscode.ThemeColor(item.color) : undefined);
        t.contextValue = 'pgw:findingSeverity';
        return t;
      }
      case 'rule': {
        // Rules start folded: the severity groups and their counts are the overview.
        const t = new vscode.TreeItem(item.ruleId, vscode.TreeItemCollapsibleState.Collapsed);
        t.id = `rule:${item.severity}:${item.ruleId}`;
        t.description = String(item.findings.length);
        t.iconPath = new vscode.ThemeIcon('law');
        t.contextValue = 'pgw:findingRule';
        return t;
      }
      case 'finding': {
        const f = item.finding;
        const t = new vscode.TreeItem(f.label, vscode.TreeItemCollapsibleState.None);
        t.id = `finding:${f.ruleId}:${f.objectKind}:${f.object}:${f.policy ?? ''}:${f.connections.join(',')}:${f.message}`;
        t.description = item.multipleDatabases ? `${f.ruleId} · ${f.database}` : f.ruleId;
        const where = f.location ? `Declared in ${vscode.workspace.asRelativePath(vscode.Uri.parse(f.location.uri))}:${f.location.range.start.line + 1}` : 'No workspace file creates this object.';
        t.tooltip = new vscode.MarkdownString(undefined, true);
        t.tooltip.appendMarkdown(`**${f.ruleId}** (${f.severity}) on ${f.objectKind} \`${f.object}\`\n\n`);
        t.tooltip.appendText(f.message);
        if (f.fix) t.tooltip.appendCodeblock(f.fix, 'sql');
        t.tooltip.appendMarkdown(`\n\n${where}  \nDatabase: `);
        t.tooltip.appendText(f.database);
        t.iconPath = new vscode.ThemeIcon(f.objectKind === 'role' ? 'person' : f.objectKind === 'table' ? 'table' : f.objectKind === 'function' ? 'symbol-function' : f.objectKind === 'schema' ? 'symbol-namespace' : 'symbol-misc');
        t.contextValue = `pgw:finding;located=${!!f.location};role=${f.objectKind === 'role'};table=${f.objectKind === 'table'};fix=${!!f.fix}`;
        t.command = { command: 'pgwarden.openFinding', title: 'Open Declaring Statement', arguments: [item] };
        return t;
      }
      case 'message': {
        const t = new vscode.TreeItem(item.text, vscode.TreeItemCollapsibleState.None);
        t.iconPath = new vscode.ThemeIcon(item.error ? 'error' : 'info');
        t.contextValue = 'pgw:message';
        return t;
      }
    }
  }

  async getChildren(parent?: FindingsItem): Promise<FindingsItem[]> {
    if (parent?.type === 'severity') return groupByRule(parent.severity, parent.findings);
    if (parent?.type === 'rule') {
      const multipleDatabases = new Set(parent.findings.map((f) => f.database)).size > 1;
      return parent.findings.map((finding) => ({ type: 'finding' as const, finding, multipleDatabases }));
    }
    if (parent) return [];
    if (!vscode.workspace.isTrusted) return [];
    const r = await this.findings().catch((err: Error) => ({ error: err.message }));
    if (!r) return [{ type: 'message', text: 'The pgwarden language server is not running.', error: true }];
    if ('error' in r) return [{ type: 'message', text: `pgwarden: ${r.error}`, error: true }];
    const out: FindingsItem[] = [];
    for (const s of SEVERITIES) {
      const findings = r.items.filter((f) => f.severity === s.severity);
      if (findings.length) out.push({ type: 'severity', ...s, findings });
    }
    for (const fail of r.failed) out.push({ type: 'message', text: `${fail.id}: the audit did not run: ${fail.message}`, error: true });
    if (!out.length && this.live.connectedNames().length) out.push({ type: 'message', text: 'No findings in the connected databases.', error: false });
    return out;
  }

  /** The view as plain data, for the e2e suite: groups with their counts and findings. */
  async snapshot(): Promise<Array<Record<string, unknown>>> {
    const walk = async (parent?: FindingsItem): Promise<Array<Record<string, unknown>>> => {
      const out: Array<Record<string, unknown>> = [];
      for (const k of await this.getChildren(parent)) {
        const t = this.getTreeItem(k);
        const entry: Record<string, unknown> = { label: t.label, description: t.description };
        if (t.collapsibleState !== vscode.TreeItemCollapsibleState.None) entry.children = await walk(k);
        out.push(entry);
      }
      return out;
    };
    return walk();
  }
}

function groupByRule(severity: string, findings: DbFindingItem[]): FindingsItem[] {
  const byRule = new Map<string, DbFindingItem[]>();
  for (const f of findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  return [...byRule.entries()]
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .map(([ruleId, list]) => ({ type: 'rule' as const, severity, ruleId, findings: list }));
}

export const OBJECT_SCHEME = 'pgwarden-object';

/**
 * The resource of a tree row about a role, a table or a membership of one connection, so
 * FindingDecorations can mark it: pgwarden-object://<connection>/role/<name>,
 * .../table/<schema>/<name>, .../membership/<member>/<role>.
 */
export function objectUri(conn: string, ...path: string[]): vscode.Uri {
  return vscode.Uri.from({ scheme: OBJECT_SCHEME, authority: encodeURIComponent(conn), path: `/${path.map(encodeURIComponent).join('/')}` });
}

/** The object URIs a finding concerns, one per connection reaching its database. */
function concerned(f: DbFindingItem): vscode.Uri[] {
  const out: vscode.Uri[] = [];
  for (const conn of f.connections) {
    if (f.role) out.push(objectUri(conn, 'role', f.role));
    if (f.table) out.push(objectUri(conn, 'table', f.table.schema, f.table.name));
    // db-predefined-role-member names the member; its membership row in the predefined role is marked too.
    const predefined = f.ruleId === 'db-predefined-role-member' ? /member of (pg_\w+)/.exec(f.message)?.[1] : undefined;
    if (f.role && predefined) out.push(objectUri(conn, 'membership', f.role, predefined));
  }
  return out;
}

/** Warning decorations on the role tree's rows that a live finding concerns. */
export class FindingDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.changed.event;
  private byUri = new Map<string, DbFindingItem[]>();

  /** Replaces the findings the decorations come from. */
  update(items: readonly DbFindingItem[]): void {
    const next = new Map<string, DbFindingItem[]>();
    for (const f of items) for (const u of concerned(f)) next.set(u.toString(), [...(next.get(u.toString()) ?? []), f]);
    this.byUri = next;
    this.changed.fire(undefined);
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== OBJECT_SCHEME) return undefined;
    const list = this.byUri.get(uri.toString());
    if (!list?.length) return undefined;
    const error = list.some((f) => f.severity === 'error');
    return {
      badge: String(Math.min(list.length, 99)),
      color: new vscode.ThemeColor(error ? 'list.errorForeground' : 'list.warningForeground'),
      tooltip: list.map((f) => `${f.ruleId}: ${f.label}`).join('\n'),
      propagate: false,
    };
  }

  dispose(): void {
    this.changed.dispose();
  }
}
