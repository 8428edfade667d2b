// Writing names back into SQL for quick fixes, and finding where a (qualified) name ends
// in the source. A fix must produce SQL that parses and names the same object, so a name
// is double-quoted whenever the parser would otherwise fold or reject it.

import { tokenEnd } from '../fix';
import { quoteIdent } from '../identifier';

export { QUOTED_KEYWORDS, quoteIdent, quoteQualified } from '../identifier';

/**
 * The end of a possibly qualified name starting at `offset` in `text`: `a`, `"A b".c`,
 * `s . t` (the parser allows blanks around the dot).
 */
export function qualifiedNameEnd(text: string, offset: number): number {
  let end = tokenEnd(text, offset);
  for (;;) {
    const m = /^\s*\.\s*/.exec(text.slice(end, end + 64));
    if (!m || end + m[0].length >= text.length) return end;
    const next = end + m[0].length;
    if (!/["\w$\u0080-\uffff]/.test(text[next])) return end;
    end = tokenEnd(text, next);
  }
}

/**
 * Where to insert a new statement after one that ends at `semicolon` (or at `stmtEnd`
 * when it has none): at the end of the semicolon's line when only blanks or a `--`
 * comment follow it there, so a trailing comment stays with its statement. The inserted
 * text starts on a new line with the document's own line ending.
 */
export function statementInsertion(docText: string, semicolon: number, stmtEnd: number, sql: string): { at: number; text: string } {
  const from = semicolon < 0 ? stmtEnd : semicolon;
  let lineEnd = docText.indexOf('\n', from);
  // The line ending of the statement's own line (or of the first line, at the end of the
  // file), found locally: scanning the whole document for every fix would be quadratic.
  const probe = lineEnd >= 0 ? lineEnd : docText.indexOf('\n');
  const eol = probe > 0 && docText[probe - 1] === '\r' ? '\r\n' : '\n';
  if (semicolon < 0) return { at: stmtEnd, text: `;${eol}${sql}` };
  if (lineEnd < 0) lineEnd = docText.length;
  if (docText[lineEnd - 1] === '\r') lineEnd--;
  const rest = docText.slice(semicolon + 1, lineEnd);
  const at = /^\s*(--.*)?$/.test(rest) ? lineEnd : semicolon + 1;
  return { at, text: `${eol}${sql}` };
}

/** A policy condition keeping the rows whose `column` names the current role. */
export function currentUserCondition(column: string): string {
  return `${quoteIdent(column)} = current_user`;
}
