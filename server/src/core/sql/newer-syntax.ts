// Syntax of a PostgreSQL release newer than the parser (libpg-query is PostgreSQL 18's):
// a statement that fails to parse because of it is "not analysed", not an error the
// server it was written for would raise.

/** The PostgreSQL release whose new syntax NEWER_SYNTAX recognises. */
export const NEWER_VERSION = 19;

/** Statements of PostgreSQL 19: SQL/PGQ property graphs and temporal UPDATE/DELETE. */
const NEWER_SYNTAX: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:CREATE|ALTER|DROP)\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?PROPERTY\s+GRAPH\b/i, 'a property graph (SQL/PGQ)'],
  [/\bGRAPH_TABLE\s*\(/i, 'GRAPH_TABLE (SQL/PGQ)'],
  [/\bFOR\s+PORTION\s+OF\b/i, 'FOR PORTION OF'],
];

/** What makes a statement that does not parse newer PostgreSQL syntax, if anything (comments and strings aside). */
export function newerSyntax(statement: string): string | undefined {
  const code = statement.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, ' ');
  return NEWER_SYNTAX.find(([re]) => re.test(code))?.[1];
}
