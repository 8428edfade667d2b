// The VS Code side of pgwarden: start the language server, show its state, register
// commands. No PostgreSQL knowledge lives here; the client asks the server.

import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Ctx } from './context';
import { registerLive } from './live';
import { registerStatusSummary } from './status';

let ctx: Ctx | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<{ ctx: Ctx }> {
  ctx = new Ctx(extension);
  registerCommands(ctx);
  const { live } = registerLive(ctx);
  registerStatusSummary(ctx, live);
  await ctx.start();
  return { ctx };
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
