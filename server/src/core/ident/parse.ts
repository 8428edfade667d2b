// pg_ident.conf mappings as the server parses them (hba.c: parse_ident_line of
// PostgreSQL 13 to 18). The file goes through the same tokenizer, @file expansion and
// (16+) include directives as pg_hba.conf (readAuthFile); each line is then a map name, a
// system user and a PostgreSQL user, one value each. Fields after the third are ignored,
// as the server ignores them. A system user starting with '/' is a regular expression;
// from 16 the PostgreSQL user may be one too, or `all`, or `+group`.

import { HbaError, HbaInclude, HbaParseOptions, readAuthFile, regexError } from '../hba/parse';
import { HbaField, HbaToken, LogicalLine } from '../hba/tokenize';
import { CommentSpan } from '../suppress';

export interface IdentMapping {
  kind: 'mapping';
  line: LogicalLine;
  /** The file holding the mapping: the document's URI or an included file's path. */
  file: string;
  inDocument: boolean;
  error?: HbaError;
  mapToken?: HbaToken;
  systemToken?: HbaToken;
  pgToken?: HbaToken;
  /** Position among all mappings the server reads, included files counted. */
  index: number;
}

export type IdentEntry = IdentMapping | HbaInclude;

export interface IdentParse {
  entries: IdentEntry[];
  mappings: IdentMapping[];
  comments: CommentSpan[];
  lines: LogicalLine[];
  version: number;
  uri?: string;
}

const MISSING = 'missing entry at end of line';
const MULTI = 'multiple values in ident field';

/** parse_ident_line: the three fields, or the first error the server reports for the line. */
export function parseMapping(line: LogicalLine, fields: HbaField[], file: string, inDocument: boolean, version: number, index: number): IdentMapping {
  const m: IdentMapping = { kind: 'mapping', line, file, inDocument, index };
  const fail = (message: string, token?: HbaToken): IdentMapping => {
    m.error = { message, token };
    return m;
  };
  const one = (k: number): HbaToken | string => {
    const f = fields[k];
    if (!f) return MISSING;
    return f.tokens.length > 1 ? MULTI : f.tokens[0];
  };
  const last = (k: number) => fields[k].tokens[fields[k].tokens.length - 1];
  const map = one(0);
  if (typeof map === 'string') return fail(map, fields[0]?.tokens[1]);
  m.mapToken = map;
  const sys = one(1);
  if (typeof sys === 'string') return fail(sys, sys === MULTI ? fields[1].tokens[1] : last(0));
  m.systemToken = sys;
  const pg = one(2);
  if (typeof pg === 'string') return fail(pg, pg === MULTI ? fields[2].tokens[1] : last(1));
  m.pgToken = pg;
  // The regular expressions are compiled after the fields are checked: the system user
  // always, the PostgreSQL user from 16.
  for (const t of version >= 16 ? [sys, pg] : [sys]) {
    const bad = regexError(t);
    if (bad) return fail(bad, t);
  }
  return m;
}

export function parseIdent(text: string, opts: HbaParseOptions): IdentParse {
  const f = readAuthFile(text, opts, parseMapping);
  return { entries: f.entries, mappings: f.records, comments: f.comments, lines: f.lines, version: opts.version, uri: opts.uri };
}

/** The mappings the server loads: every one without an error. */
export function validMappings(p: IdentParse): IdentMapping[] {
  return p.mappings.filter((m) => !m.error && m.mapToken);
}
