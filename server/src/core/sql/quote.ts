// Writing names back into SQL for quick fixes, and finding where a (qualified) name ends
// in the source. A fix must produce SQL that parses and names the same object, so a name
// is double-quoted whenever the parser would otherwise fold or reject it.

import { QualifiedName } from './ast';
import { tokenEnd } from '../fix';

/**
 * PostgreSQL keywords that are not "unreserved" (reserved, type/function-name and
 * column-name keywords, as in src/include/parser/kwlist.h). An identifier equal to one
 * of them is quoted; column-name keywords would be accepted as table names, but quoting
 * them too is harmless and keeps the helper usable for every kind of name.
 */
const NON_UNRESERVED = new Set(
  (
    // Reserved.
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create ' +
    'current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc ' +
    'distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral ' +
    'leading limit localtime localtimestamp not null offset on only or order placing primary references returning ' +
    'select session_user some symmetric system_user table then to trailing true union unique user using variadic when ' +
    'where window with ' +
    // Type or function name.
    'authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left ' +
    'like natural notnull outer overlaps right similar tablesample verbose ' +
    // Column name.
    'between bigint bit boolean char character coalesce dec decimal exists extract float greatest grouping inout int ' +
    'integer interval json json_array json_arrayagg json_exists json_object json_objectagg json_query json_scalar ' +
    'json_serialize json_table json_value least merge_action national nchar none normalize nullif numeric out overlay ' +
    'position precision real row setof smallint substring time timestamp treat trim values varchar xmlattributes ' +
    'xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable'
  ).split(' '),
);

/** Keywords quoted by quoteIdent; exported so a test can compare it with the parser's own list. */
export const QUOTED_KEYWORDS: ReadonlySet<string> = NON_UNRESERVED;

/** An identifier as SQL text: bare when the parser reads it back unchanged, else double-quoted. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !NON_UNRESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** A schema-qualified (or bare) name as SQL text. */
export function quoteQualified(q: QualifiedName): string {
  return q.schema ? `${quoteIdent(q.schema)}.${quoteIdent(q.name)}` : quoteIdent(q.name);
}

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
