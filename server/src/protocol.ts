// Custom LSP messages between the pgwarden client and server, typed once and imported
// by both sides. The standard LSP covers diagnostics, code actions, hover and the rest.

import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** Sent once per distinct internal failure, so the client can flag it in the status item. */
export interface InternalErrorParams {
  message: string;
}
export const InternalErrorNotification = new NotificationType<InternalErrorParams>('pgwarden/internalError');

/** The server's view of its own state, for the status item's tooltip. */
export interface ServerStatus {
  indexedFiles: number;
  configFile: string | undefined;
  configProblems: number;
  internalErrors: number;
}
export const StatusRequest = new RequestType<void, ServerStatus, void>('pgwarden/status');

/** Diagnostic data: the fixes of a finding, already in LSP ranges for the version it was computed on. */
export interface DiagnosticData {
  ruleId: string;
  version: number;
  fixes: Array<{
    title: string;
    snippet?: boolean;
    edits: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>;
  }>;
}
