// Editor features of the configuration languages (hover, completion, formatting, outline),
// keyed `<language>.<feature>`, as LSP answers. Each wraps a pure function of the
// document text from core/hba or core/conf; the worker runs them, so a pathological file
// cannot stall the server's main loop.

import { CompletionItem, CompletionItemKind, DocumentSymbol, Hover, MarkupKind, Position, Range, SymbolKind, TextEdit } from 'vscode-languageserver';
import { complete as confComplete, hover as confHover } from '../core/conf/help';
import { hbaComplete, hbaFormat, hbaHover, hbaOutline } from '../core/hba/editor';
import { LineIndex } from '../core/text';
import { statementImpact } from '../core/drift/statement-impact';
import { Claim, statementClaims } from '../core/drift/claims';
import type { Workspace } from '../core/workspace';
import { toLspEdit, toRange } from './convert';

export interface FeatureContext {
  text: string;
  lines: LineIndex;
  /** The PostgreSQL major version from pgwarden.json. */
  version: number;
  uri: string;
  /** The project root's declared history, for SQL documents. */
  workspace?: Workspace;
}

type Feature = (ctx: FeatureContext, ...args: any[]) => unknown;

const markdown = (value: string): Hover => ({ contents: { kind: MarkupKind.Markdown, value } });
/** Backslash before every ASCII punctuation mark that CommonMark could read as markup. */
const escapeMarkdown = (text: string): string => text.replace(/[\\`*_{}[\]<>()#+\-.!|~&]/g, '\\$&');

const HBA_KIND: Record<string, CompletionItemKind> = {
  type: CompletionItemKind.Keyword,
  keyword: CompletionItemKind.Constant,
  method: CompletionItemKind.EnumMember,
  option: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
};

const CONF_KIND: Record<string, CompletionItemKind> = {
  parameter: CompletionItemKind.Property,
  directive: CompletionItemKind.Keyword,
  value: CompletionItemKind.Value,
};

export const EDITOR_FEATURES: Record<string, Feature> = {
  /** What a GRANT, REVOKE, default-privilege, membership or policy statement changes, from the history before and after it. */
  'sql.hover'(ctx, position: Position): Hover | null {
    const ws = ctx.workspace;
    const effects = ws?.effectsOf(ctx.uri);
    if (!ws || !effects) return null;
    const impact = statementImpact(ws.model(ctx.uri).files, ctx.uri, effects, ctx.lines.offsetAt(position));
    if (!impact) return null;
    const body = impact.lines.length ? impact.lines.map((l) => `- ${escapeMarkdown(l)}`).join('\n') : 'No change to access: the declared state already has this.';
    // Markdown, so the editor wraps the lines as prose (it shows plain text with every space
    // made unbreakable); names are escaped, so a quoted identifier is never read as markup.
    return { ...markdown(`pgwarden: access\n\n${body}`), range: toRange(ctx.lines, impact.start, impact.end) };
  },
  /** What each GRANT, REVOKE, CREATE POLICY and RLS statement says, for the drift CodeLens (CURRENT_USER read as `migrationRole`). */
  'sql.driftClaims'(ctx, migrationRole: string): Array<{ range: Range; claims: Claim[] }> {
    const ws = ctx.workspace;
    const effects = ws?.effectsOf(ctx.uri);
    if (!ws || !effects || typeof migrationRole !== 'string') return [];
    return statementClaims(ctx.uri, effects, ws.model(ctx.uri), migrationRole).map((s) => ({ range: toRange(ctx.lines, s.start, s.end), claims: s.claims }));
  },
  'hba.hover'(ctx, position: Position): Hover | null {
    const md = hbaHover(ctx.text, ctx.lines.offsetAt(position), ctx.version);
    return md ? markdown(md) : null;
  },
  'hba.complete'(ctx, position: Position): CompletionItem[] {
    return hbaComplete(ctx.text, ctx.lines.offsetAt(position), ctx.version).map((i) => ({
      label: i.label,
      kind: HBA_KIND[i.kind],
      detail: i.detail,
      ...(i.insertText ? { insertText: i.insertText } : {}),
    }));
  },
  'hba.format'(ctx): TextEdit[] {
    return hbaFormat(ctx.text, ctx.version).map((e) => toLspEdit(ctx.lines, e));
  },
  'hba.outline'(ctx): DocumentSymbol[] {
    return hbaOutline(ctx.text, ctx.version).map((r) => ({
      name: r.name,
      detail: r.detail,
      kind: r.kind === 'include' ? SymbolKind.File : SymbolKind.Field,
      range: toRange(ctx.lines, r.start, r.end),
      selectionRange: toRange(ctx.lines, r.selectionStart, r.selectionEnd),
    }));
  },
  'conf.hover'(ctx, position: Position): Hover | null {
    const md = confHover(ctx.text, ctx.lines.offsetAt(position), ctx.version);
    return md ? markdown(md) : null;
  },
  'conf.complete'(ctx, position: Position): CompletionItem[] {
    const r = confComplete(ctx.text, ctx.lines.offsetAt(position), ctx.version);
    if (!r) return [];
    const range = toRange(ctx.lines, r.start, r.end);
    return r.items.map((i) => ({
      label: i.label,
      kind: CONF_KIND[i.kind],
      ...(i.detail ? { detail: i.detail } : {}),
      textEdit: { range, newText: i.insertText },
    }));
  },
};
