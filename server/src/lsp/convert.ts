// Findings -> LSP diagnostics. Fix edits travel in `diagnostic.data`, already converted to
// ranges of the version they were computed on, so a code action is a lookup.

import { CodeDescription, Diagnostic, DiagnosticSeverity, DiagnosticTag, Range } from 'vscode-languageserver';
import { ResolvedFinding } from '../core/engine';
import { fixTitle } from '../core/fix';
import { docsUrl, Severity, TextEdit } from '../core/rules';
import { LineIndex } from '../core/text';
import { DiagnosticData } from '../shared/protocol';

/** A finding's severity as the LSP numbers it (also for the live database's findings in db.ts). */
export const DIAGNOSTIC_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(lines: LineIndex, start: number, end: number): Range {
  return { start: lines.positionAt(start), end: lines.positionAt(end) };
}

export function toLspEdit(lines: LineIndex, e: TextEdit): { range: Range; newText: string } {
  return { range: toRange(lines, e.start, e.end), newText: e.newText };
}

export function toDiagnostic(f: ResolvedFinding, lines: LineIndex, version: number): Diagnostic {
  const data: DiagnosticData = {
    ruleId: f.ruleId,
    version,
    fixes: (f.fixes ?? []).map((fx) => ({
      title: fixTitle(fx),
      ...(fx.snippet ? { snippet: true } : {}),
      ...(fx.safe ? { safe: true } : {}),
      edits: fx.edits.map((e) => (e.snippet ? { ...toLspEdit(lines, e), snippet: e.snippet } : toLspEdit(lines, e))),
    })),
  };
  const codeDescription: CodeDescription = { href: docsUrl(f.ruleId) };
  const d: Diagnostic = {
    range: toRange(lines, f.start, f.end),
    severity: DIAGNOSTIC_SEVERITY[f.severity],
    source: 'pgwarden',
    code: f.ruleId,
    codeDescription,
    message: f.message,
    data,
  };
  if (f.unnecessary) d.tags = [DiagnosticTag.Unnecessary];
  return d;
}
