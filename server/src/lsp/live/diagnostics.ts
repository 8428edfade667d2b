// The only publisher of live findings. Each connection's db-* findings are placed on the
// workspace file whose statement creates their object (the analysis worker finds it) and
// become diagnostics there. An open document gets them through the server's own
// diagnostics path (server.ts appends `for(uri)` to what it pulls or pushes), so pull and
// push clients see one list. A file that is not open gets them in its workspace report
// when the client pulls those (./workspaceDiagnostics.ts); otherwise it has no other
// diagnostics, and its live findings are pushed here. Findings whose object no file creates stay in the tree.

import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { DbFinding } from '../../core/live/catalog';
import { FindQuery, locateQuery, WorkspaceLocation } from '../../core/live/locate';
import { docsUrl } from '../../core/rules';
import { DIAGNOSTIC_SEVERITY } from '../convert';

export interface LiveDiagnosticsHost {
  connection: Connection;
  /** Whether the document is open in the editor (its diagnostics go through server.ts). */
  isOpen(uri: string): boolean;
  /** The first statement creating each object, per query (AnalysisHost.placeLive). */
  place(queries: FindQuery[]): Promise<Array<WorkspaceLocation | undefined>>;
  /** Whether the client pulls diagnostics: then what this module pushed is a list of its own, cleared when the file opens. */
  pullMode(): boolean;
  /**
   * Whether the client pulls workspace diagnostics: then a closed file's live findings
   * travel in its workspace report (server.ts adds `for(uri)`), and nothing is pushed here.
   */
  workspacePull(): boolean;
  /** Asks server.ts to recompute the open documents' diagnostics (and the workspace report). */
  refreshOpen(): void;
  reportInternalError(what: string, err: unknown): void;
}

export class LiveDiagnostics {
  private byUri = new Map<string, Diagnostic[]>();
  /** URIs this module pushed to (closed files), so a file that loses its findings is cleared. */
  private pushed = new Set<string>();
  private generation = 0;

  constructor(private readonly host: LiveDiagnosticsHost) {}

  /** The live diagnostics of one document, for server.ts to add to its own. */
  for(uri: string): Diagnostic[] {
    return this.byUri.get(uri) ?? [];
  }

  /** Replaces every live diagnostic with the placement of `findings` (each with its connection's description). */
  update(findings: ReadonlyArray<{ f: DbFinding; description: string }>): void {
    const generation = ++this.generation;
    void this.place(findings)
      .then((next) => {
        if (generation !== this.generation) return;
        this.byUri = next;
        this.publish();
      })
      .catch((err) => this.host.reportInternalError('publishing audit findings', err));
  }

  /** A document opened or closed: closed files carry their live findings in a push of their own. */
  documentChanged(uri: string): void {
    if (this.host.workspacePull()) return this.stopPushing();
    if (this.host.isOpen(uri)) {
      // In push mode the server's own push for the opened file replaces this one.
      if (this.pushed.delete(uri) && this.host.pullMode()) void this.host.connection.sendDiagnostics({ uri, diagnostics: [] });
    } else if (this.byUri.has(uri)) {
      this.pushed.add(uri);
      void this.host.connection.sendDiagnostics({ uri, diagnostics: this.for(uri) });
    }
  }

  /** Clears what this module pushed: the workspace reports carry those findings now. */
  stopPushing(): void {
    for (const uri of this.pushed) void this.host.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.pushed.clear();
  }

  private publish(): void {
    if (this.host.workspacePull()) {
      this.stopPushing();
      this.host.refreshOpen();
      return;
    }
    for (const uri of new Set([...this.pushed, ...this.byUri.keys()])) {
      if (this.host.isOpen(uri)) continue;
      const items = this.for(uri);
      if (items.length) this.pushed.add(uri);
      else this.pushed.delete(uri);
      void this.host.connection.sendDiagnostics({ uri, diagnostics: items });
    }
    this.host.refreshOpen();
  }

  private async place(findings: ReadonlyArray<{ f: DbFinding; description: string }>): Promise<Map<string, Diagnostic[]>> {
    const out = new Map<string, Diagnostic[]>();
    const located = findings.map((item) => ({ item, q: locateQuery(item.f) })).filter((x): x is { item: (typeof findings)[number]; q: FindQuery } => x.q !== undefined);
    if (!located.length) return out;
    const places = await this.host.place(located.map((x) => x.q));
    located.forEach(({ item }, i) => {
      const at = places[i];
      if (!at) return;
      const list = out.get(at.uri) ?? [];
      out.set(at.uri, list);
      list.push({
        range: at.range,
        severity: DIAGNOSTIC_SEVERITY[item.f.severity] ?? DiagnosticSeverity.Warning,
        source: 'pgwarden',
        code: item.f.ruleId,
        codeDescription: { href: docsUrl(item.f.ruleId) },
        message: `${item.f.message} (live database ${item.description})`,
      });
    });
    return out;
  }
}
