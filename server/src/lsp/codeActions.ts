// Code actions: each diagnostic's fixes (from its data), "Disable <id> for this line",
// and source.fixAll.pgwarden, which applies every safe fix at once (core/fix.ts chooses).

import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocLanguage } from '../core/lint';
import { DiagnosticData } from '../shared/protocol';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.pgwarden`;

export function quickFixes(params: CodeActionParams, doc: TextDocument, language: DocLanguage): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    if (d.source !== 'pgwarden') continue;
    const data = d.data as DiagnosticData | undefined;
    if (data && data.version === doc.version) {
      for (const fx of data.fixes) {
        actions.push({
          title: fx.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          // Only a safe fix may be applied by a single keystroke (auto-fix picks the preferred one).
          isPreferred: !fx.snippet && fx.safe === true,
          edit: { changes: { [doc.uri]: fx.edits } },
        });
      }
    }
    const id = typeof d.code === 'string' ? d.code : data?.ruleId;
    if (id) actions.push(disableForLine(d, id, doc, language));
  }
  return actions;
}

/** Inserts a suppression comment on its own line above the finding, with the same indentation. */
function disableForLine(d: Diagnostic, id: string, doc: TextDocument, language: DocLanguage): CodeAction {
  const line = d.range.start.line;
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
  const marker = language === 'sql' ? '--' : '#';
  return {
    title: `Disable ${id} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    edit: {
      changes: {
        [doc.uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${marker} pgwarden-disable-next-line ${id}\n` }],
      },
    },
  };
}
