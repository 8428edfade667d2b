// Commands are small factories over the context; each has a sensible answer when the
// server is down.

import * as vscode from 'vscode';
import { WorkDoneProgress } from 'vscode-languageclient/node';
import { LintWorkspaceRequest, LintWorkspaceResult } from '../../server/src/shared/protocol';
import { Ctx } from './context';

// Command ids: pgwarden.showOutput, pgwarden.restartServer, pgwarden.lintWorkspace (returns the totals).
export function registerCommands(ctx: Ctx): void {
  const reg = (id: string, fn: (...args: any[]) => unknown) => ctx.extension.subscriptions.push(vscode.commands.registerCommand(id, fn));
  reg('pgwarden.showOutput', () => ctx.output.show(true));
  reg('pgwarden.restartServer', async () => {
    await ctx.stop();
    await ctx.start();
  });
  reg('pgwarden.lintWorkspace', () => lintWorkspace(ctx));
}

let lintRuns = 0;

/**
 * Lints every workspace file, with progress and a way to cancel; the findings reach
 * Problems (the server's workspace report), which opens with the totals.
 */
async function lintWorkspace(ctx: Ctx): Promise<LintWorkspaceResult | undefined> {
  const client = await ctx.running();
  if (!client) {
    void vscode.window.showErrorMessage('pgwarden: the language server is not running; use "pgwarden: Restart Language Server".');
    return undefined;
  }
  const token = `pgwarden.lintWorkspace.${++lintRuns}`;
  const r = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'pgwarden: linting the workspace', cancellable: true },
    async (progress, cancel) => {
      let done = 0;
      const sub = client.onProgress(WorkDoneProgress.type, token, (v) => {
        if (v.kind !== 'report' || v.percentage === undefined) return;
        progress.report({ increment: v.percentage - done, message: v.message });
        done = v.percentage;
      });
      try {
        return await client.sendRequest(LintWorkspaceRequest, { workDoneToken: token }, cancel);
      } finally {
        sub.dispose();
      }
    },
  );
  await vscode.commands.executeCommand('workbench.panel.markers.view.focus');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  void vscode.window.showInformationMessage(`pgwarden: ${plural(r.files, 'file')} linted: ${plural(r.errors, 'error')}, ${plural(r.warnings, 'warning')}.`);
  return r;
}
