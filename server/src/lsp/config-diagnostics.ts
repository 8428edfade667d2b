// The diagnostics of a pgwarden.json document: pgwarden's own problems with its settings.

import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { ConfigProblem } from '../core/config';
import { LineIndex } from '../core/text';
import { toRange } from './convert';

/**
 * Each problem once: in an open pgwarden.json the editor's JSON support already reports a
 * syntax error (`syntax` false), and schemas/pgwarden.schema.json only completes and
 * describes (it validates nothing), so pgwarden's own messages are the only ones about what
 * the settings mean. A closed file has no JSON support looking at it (`syntax` true).
 */
export function configDiagnostics(text: string, problems: readonly ConfigProblem[], options: { syntax?: boolean } = {}): Diagnostic[] {
  const lines = new LineIndex(text);
  return problems
    .filter((p) => options.syntax || !p.syntax)
    .map((p) => ({ range: toRange(lines, p.start, p.end), severity: DiagnosticSeverity.Error, source: 'pgwarden', message: p.message }));
}
