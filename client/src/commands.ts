// Commands are small factories over the context; each has a sensible answer when the
// server is down.

import * as vscode from 'vscode';
import { Ctx } from './context';

export function registerCommands(ctx: Ctx): void {
  const reg = (id: string, fn: (...args: any[]) => unknown) => ctx.extension.subscriptions.push(vscode.commands.registerCommand(id, fn));
  reg('pgwarden.showOutput', () => ctx.output.show(true));
  reg('pgwarden.restartServer', async () => {
    await ctx.stop();
    await ctx.start();
  });
}
