// Workspace diagnostics: every indexed SQL file's findings in the editor's Problems list
// without opening it, through the LSP workspace diagnostic pull. Open documents keep their
// own exact, versioned diagnostics (server.ts answers the document pull); this module
// reports only the files that are not open, linted from their text on disk exactly as
// they would be when opened.
//
// VS Code's language client asks again as soon as a workspace pull returns, so a pull with
// nothing new to say is held open until something changes (an edit that moves facts, a
// file on disk, the config, a live audit) and then answers only the files whose result id
// moved. "pgwarden: Lint Workspace" runs the same collection on demand with progress.

import { createHash } from 'node:crypto';
import type {
  CancellationToken,
  Connection,
  Diagnostic,
  PreviousResultId,
  WorkspaceDiagnosticReport,
  WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { LintWorkspaceRequest, LintWorkspaceResult } from '../shared/protocol';

export interface WorkspaceDiagnosticsHost {
  /** Resolves once the workspace is indexed (findings before that could miss other files' facts). */
  indexed: Promise<void>;
  closedFiles(): Promise<string[]>;
  closedDiagnostics(uris: string[]): Promise<Array<{ uri: string; resultId: string; diagnostics: Diagnostic[] } | { uri: string; gone: true }>>;
  isOpen(uri: string): boolean;
  /** pgwarden.enable for the file (false: it reports nothing). */
  isEnabled(uri: string): Promise<boolean>;
  /** What else belongs on the file next to its own findings (the live audit's, without their static twins). */
  extra(uri: string, own: Diagnostic[]): Diagnostic[];
}

export interface FileReport {
  uri: string;
  resultId: string;
  diagnostics: Diagnostic[];
}

/** Files linted per request to the analysis worker: edits of open documents run in between. */
const BATCH = 16;
/**
 * A change is followed by others (typing): the held pull answers once they pause this long.
 * A change of facts makes every closed file of its root be linted again, so this is kept
 * well above the pause between keystrokes.
 */
const QUIET_MS = 1000;

const hash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 20);
const EMPTY = hash('[]');

export class WorkspaceDiagnostics {
  private changes = 0;
  private waiters: Array<() => void> = [];
  /** Whether the client has pulled workspace diagnostics at least once. */
  pulled = false;

  constructor(private readonly host: WorkspaceDiagnosticsHost) {}

  /** Something findings depend on moved: a held pull looks again. */
  changed(): void {
    this.changes++;
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }

  /**
   * Every closed file's report, batch by batch (`progress` after each with files done and
   * total). Stops early, with what it has, when `token` is cancelled.
   */
  async collect(token?: CancellationToken, progress?: (done: number, total: number) => void): Promise<FileReport[]> {
    await this.host.indexed;
    const files = await this.host.closedFiles();
    const out: FileReport[] = [];
    for (let i = 0; i < files.length && !token?.isCancellationRequested; i += BATCH) {
      out.push(...(await this.reports(files.slice(i, i + BATCH))));
      progress?.(Math.min(i + BATCH, files.length), files.length);
    }
    return out;
  }

  /** The reports of some closed files; none for a file that is open or gone. */
  async reports(uris: string[]): Promise<FileReport[]> {
    const out: FileReport[] = [];
    for (const r of await this.closedDiagnostics(uris)) {
      if ('gone' in r || this.host.isOpen(r.uri)) continue;
      if (!(await this.host.isEnabled(r.uri))) {
        out.push({ uri: r.uri, resultId: EMPTY, diagnostics: [] });
        continue;
      }
      const extra = this.host.extra(r.uri, r.diagnostics);
      out.push({
        uri: r.uri,
        resultId: extra.length ? hash(`${r.resultId}+${JSON.stringify(extra)}`) : r.resultId,
        diagnostics: extra.length ? [...r.diagnostics, ...extra] : r.diagnostics,
      });
    }
    return out;
  }

  /**
   * The worker's answer, asked again when the worker was replaced meanwhile (an open
   * document broke it): that is no failure of these files.
   */
  private async closedDiagnostics(uris: string[]): ReturnType<WorkspaceDiagnosticsHost['closedDiagnostics']> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.host.closedDiagnostics(uris);
      } catch (err) {
        if (attempt >= 3 || (err as { kind?: string }).kind !== 'restarted') throw err;
      }
    }
  }

  /**
   * Answers a workspace pull: the closed files whose result differs from what the client
   * holds, and an empty report for a file it holds findings of that is gone (deleted,
   * ignored). When nothing differs, waits for a change (or the client's cancellation).
   */
  async pull(previous: PreviousResultId[], token: CancellationToken): Promise<WorkspaceDiagnosticReport> {
    this.pulled = true;
    const held = new Map(previous.map((p) => [p.uri, p.value]));
    for (;;) {
      const seen = this.changes;
      const reports = await this.collect(token);
      if (token.isCancellationRequested) return { items: [] };
      const items: WorkspaceDocumentDiagnosticReport[] = [];
      const present = new Set<string>();
      for (const r of reports) {
        present.add(r.uri);
        if (held.get(r.uri) !== r.resultId) items.push({ kind: 'full', uri: r.uri, version: null, resultId: r.resultId, items: r.diagnostics });
      }
      for (const [uri, id] of held) {
        if (!present.has(uri) && id !== EMPTY && !this.host.isOpen(uri)) items.push({ kind: 'full', uri, version: null, resultId: EMPTY, items: [] });
      }
      if (items.length) return { items };
      if (this.changes === seen) await this.nextChange(token);
      // Typing moves facts on every keystroke: look again once the changes pause.
      while (!token.isCancellationRequested) {
        const now = this.changes;
        await Promise.race([new Promise((r) => setTimeout(r, QUIET_MS)), this.nextChange(token)]);
        if (this.changes === now) break;
      }
      if (token.isCancellationRequested) return { items: [] };
    }
  }

  private nextChange(token: CancellationToken): Promise<void> {
    return new Promise((resolve) => {
      if (token.isCancellationRequested) return resolve();
      const sub = token.onCancellationRequested(() => {
        sub.dispose();
        resolve();
      });
      this.waiters.push(() => {
        sub.dispose();
        resolve();
      });
    });
  }
}

export interface WorkspaceDiagnosticsWiring extends WorkspaceDiagnosticsHost {
  /** The open documents' diagnostics as the document pull answers them. */
  openDiagnostics(): Promise<Diagnostic[][]>;
  /** Whether the client takes only pushed diagnostics (then Lint Workspace pushes the closed files'). */
  pushMode(): boolean;
  /** server.ts's guard: a throw is reported once and answered with the fallback. */
  guard<T>(what: string, fallback: T, fn: () => Promise<T> | T): Promise<T>;
}

/** Answers workspace pulls and "pgwarden: Lint Workspace" (progress to the request's workDoneToken). */
export function registerWorkspaceDiagnostics(connection: Connection, w: WorkspaceDiagnosticsWiring): WorkspaceDiagnostics {
  const wd = new WorkspaceDiagnostics(w);
  connection.languages.diagnostics.onWorkspace((params, token) => w.guard('workspace diagnostics', { items: [] }, () => wd.pull(params.previousResultIds, token)));
  connection.onRequest(LintWorkspaceRequest, (params, token) =>
    w.guard<LintWorkspaceResult>('linting the workspace', { files: 0, errors: 0, warnings: 0 }, async () => {
      const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
      progress.begin('pgwarden: linting the workspace', 0, undefined, true);
      try {
        const closed = await wd.collect(token, (done, total) => progress.report(Math.round((done / Math.max(total, 1)) * 100), `${done} of ${total} files`));
        const open = await w.openDiagnostics();
        // A pulling client gets the reports through its held workspace pull; a pushing one now.
        if (wd.pulled) wd.changed();
        else if (w.pushMode()) for (const r of closed) void connection.sendDiagnostics({ uri: r.uri, diagnostics: r.diagnostics });
        return { files: closed.length + open.length, ...countSeverities([...closed.map((r) => r.diagnostics), ...open]) };
      } finally {
        progress.done();
      }
    }),
  );
  return wd;
}

/** Counts of errors and warnings in reports (the Lint Workspace summary). */
export function countSeverities(lists: Diagnostic[][]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const list of lists) {
    for (const d of list) {
      if (d.severity === 1) errors++;
      else if (d.severity === 2) warnings++;
    }
  }
  return { errors, warnings };
}
