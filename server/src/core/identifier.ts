// Identifiers as PostgreSQL reads and writes them, once for the whole tree: quoting a name
// for a message, a quick fix or a generated statement, and reading a (schema-)qualified
// name back. Every place that writes a name into SQL text uses this module, so a role
// called `user` or a table called `Order` is written the same, valid way everywhere.

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


/**
 * An identifier always double-quoted, as node-postgres' escapeIdentifier writes it: for
 * generated GRANT and REVOKE text, where every name reads the same whatever its spelling.
 */
export function quoteIdentAlways(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A schema-qualified (or bare) name as SQL text. */
export function quoteQualified(q: { schema?: string; name: string }): string {
  return q.schema ? `${quoteIdent(q.schema)}.${quoteIdent(q.name)}` : quoteIdent(q.name);
}

export class IdentifierError extends Error {}

/** Folds an unquoted identifier the way PostgreSQL does: ASCII letters only. */
function fold(s: string): string {
  return s.replace(/[A-Z]+/g, (c) => c.toLowerCase());
}

/**
 * Reads a dotted name as SQL does (`app."Order Items"`, `a."B c"."d""e"`, or quote_ident
 * output): quoted parts keep case and dots, unquoted ones are folded to lower case.
 * Returns the parts and the text after the name (`(integer)` for a function signature).
 * Throws IdentifierError for text that does not start with a name.
 */
export function parseQualified(text: string): { parts: string[]; rest: string } {
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    let part = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new IdentifierError('unterminated quoted identifier');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += text[i++];
      }
      if (part === '') throw new IdentifierError('zero-length quoted identifier');
    } else {
      const m = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(text.slice(i));
      if (!m) throw new IdentifierError(`not a name: ${text.replace(/[\u0000-\u001f]/g, '?')}`);
      part = fold(m[0]);
      i += m[0].length;
    }
    parts.push(part);
    if (text[i] !== '.') break;
    i++;
  }
  return { parts, rest: text.slice(i) };
}

/** `schema.name` (or a bare name, in `defaultSchema`) as its parts; undefined when it is not exactly that. */
export function parseSchemaQualified(text: string, defaultSchema?: string): { schema: string; name: string } | undefined {
  try {
    const { parts, rest } = parseQualified(text);
    if (rest !== '') return undefined;
    if (parts.length === 2) return { schema: parts[0], name: parts[1] };
    if (parts.length === 1 && defaultSchema !== undefined) return { schema: defaultSchema, name: parts[0] };
  } catch (err) {
    if (!(err instanceof IdentifierError)) throw err;
  }
  return undefined;
}
