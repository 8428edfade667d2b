// The status item's summary: pgwarden's errors and warnings across Problems (open and
// closed files alike, now that the server reports the whole workspace) and the databases
// connected. Ctx renders it; this module only keeps it current.

import * as vscode from 'vscode';
import type { Ctx } from './context';
import type { LiveConnections } from './live/connections';

export function registerStatusSummary(ctx: Ctx, live: LiveConnections): void {
  let pending: NodeJS.Timeout | undefined;
  const update = () => {
    pending = undefined;
    let errors = 0;
    let warnings = 0;
    for (const [, list] of vscode.languages.getDiagnostics()) {
      for (const d of list) {
        if (d.source !== 'pgwarden') continue;
        if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
        else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++;
      }
    }
    ctx.setSummary({ errors, warnings, databases: live.connectedNames().sort() });
  };
  // Diagnostics change in bursts (a workspace report, every keystroke): count once per burst.
  const schedule = () => {
    pending ??= setTimeout(update, 150);
  };
  ctx.extension.subscriptions.push(
    vscode.languages.onDidChangeDiagnostics(schedule),
    live.onDidChange(schedule),
    { dispose: () => pending && clearTimeout(pending) },
  );
  update();
}
