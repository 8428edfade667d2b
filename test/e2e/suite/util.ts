// Helpers shared by the extension-host tests. Everything waits by polling with a
// deadline: the language server answers asynchronously and a fixed sleep would be
// either flaky or slow.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'pgwarden.pgwarden';

/** Polls `probe` until it returns a value other than undefined/false, or fails with `what`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The single workspace folder the runner opened. */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner must open a workspace folder');
  return folder.uri;
}

export function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/'));
}

export async function open(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Only pgwarden's diagnostics: other extensions (none installed here) must not count. */
export function pgwardenDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pgwarden');
}

export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c);
}

/** A compact, comparable form: `rule-id@line:col-line:col` with 0-based positions. */
export function describeDiagnostic(d: vscode.Diagnostic): string {
  const r = d.range;
  return `${codeOf(d)}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/**
 * Waits until the file's pgwarden diagnostics equal `expected` (sorted) and then stay
 * equal for a short settling window: a server that published twice, or a workbench
 * that showed a pushed and a pulled copy, would fail the "exactly once" comparison.
 */
export async function expectDiagnostics(uri: vscode.Uri, expected: string[], timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  const want = [...expected].sort();
  const current = () => pgwardenDiagnostics(uri).map(describeDiagnostic).sort();
  try {
    await waitFor(`diagnostics ${JSON.stringify(want)} on ${uri.path}`, () => JSON.stringify(current()) === JSON.stringify(want), timeoutMs);
  } catch (err) {
    throw new Error(`${(err as Error).message}; last seen ${JSON.stringify(current())}`);
  }
  // Settle: the same set must still be there after further polls (a duplicate arriving
  // late from a second channel would show up here).
  const settleUntil = Date.now() + 1500;
  while (Date.now() < settleUntil) {
    assert.deepEqual(current(), want, `diagnostics on ${uri.path} changed after settling`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return pgwardenDiagnostics(uri);
}

export async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  return waitFor(`${EXTENSION_ID} to activate`, () => ext.isActive && ext);
}

/** Closes every editor without saving, so one test's edits never leak into the next. */
export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
