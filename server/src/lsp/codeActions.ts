// Code actions: each diagnostic's fixes (from its data), "Disable <id> for this line",
// and source.fixAll.pgwarden, which applies every safe fix at once (core/fix.ts chooses).

import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { snippetText } from '../core/fix';
import { DocLanguage } from '../core/lint';
import { Placeholder, SnippetPart } from '../core/rules';
import { DiagnosticData } from '../shared/protocol';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.pgwarden`;

/**
 * What the client can take: `snippets` when it applies snippet text edits (LSP 3.18
 * `workspace.workspaceEdit.snippetEditSupport`), so a placeholder becomes a tab stop with
 * choices; `choices` adds names only the server knows (a connected database's).
 */
export interface QuickFixOptions {
  snippets?: boolean;
  choices?: (p: Placeholder) => readonly string[];
}

/** The placeholders of every snippet fix the diagnostics carry, for the server to find choices for. */
export function placeholdersOf(params: CodeActionParams): Placeholder[] {
  const out: Placeholder[] = [];
  for (const d of params.context.diagnostics) {
    const data = d.data as DiagnosticData | undefined;
    for (const fx of data?.fixes ?? []) for (const e of fx.edits) for (const p of e.snippet ?? []) if (typeof p !== 'string') out.push(p as Placeholder);
  }
  return out;
}

export function quickFixes(params: CodeActionParams, doc: TextDocument, language: DocLanguage, opts: QuickFixOptions = {}): CodeAction[] {
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
          edit:
            opts.snippets && fx.edits.some((e) => e.snippet)
              ? {
                  documentChanges: [
                    {
                      textDocument: { uri: doc.uri, version: doc.version },
                      edits: fx.edits.map((e) =>
                        e.snippet ? { range: e.range, snippet: { kind: 'snippet', value: snippetText(e.snippet as SnippetPart[], opts.choices) } } : { range: e.range, newText: e.newText },
                      ),
                    },
                  ],
                }
              : { changes: { [doc.uri]: fx.edits.map((e) => ({ range: e.range, newText: e.newText })) } },
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
