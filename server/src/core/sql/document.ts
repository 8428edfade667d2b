// A parsed SQL document: statements with their ASTs and exact document offsets.
// Parsing is per statement and cached by statement text, so an edit re-parses only the
// statements whose text changed.

import { ByteMap } from '../text';
import { parsePlpgsql, parseText, ParseError, ParseOutcome, PlpgsqlOutcome } from './parser';
import { Comment, PsqlVariable, splitSql, Statement } from './split';
import { maskCode } from './mask';

/** A flat copy of a string that shares no memory with the text it was sliced from. */
export const detach = (s: string): string => Buffer.from(s, 'utf16le').toString('utf16le');

/** Byte maps by parse outcome, reused with it from one version of a document to the next. */
const BYTES_BY_OUTCOME = new WeakMap<ParseOutcome, ByteMap>();

/** PL/pgSQL parses by the statement's AST node, which lives as long as its ParseCache entry. */
const PLPGSQL_BY_NODE = new WeakMap<object, PlpgsqlOutcome>();

export class SqlStmt {
  private maskedText: string | undefined;
  private plpgsqlOutcome: PlpgsqlOutcome | undefined;

  constructor(
    /** The AST node's kind, e.g. `GrantStmt`. */
    readonly type: string,
    /** The AST node's fields. */
    readonly node: any,
    readonly unit: Statement,
    private readonly bytes: ByteMap,
    /** Byte offset of this statement within the unit's parse text (nonzero only when a unit holds several). */
    private readonly byteStart: number,
    private readonly byteLen: number | undefined,
  ) {}

  /** UTF-16 document offset of an AST `location` (UTF-8 bytes within the unit). */
  offset(byteLocation: number | undefined): number {
    return this.unit.start + this.bytes.toUtf16(byteLocation ?? this.byteStart);
  }

  get start(): number {
    return this.offset(this.byteStart);
  }

  get end(): number {
    if (this.byteLen === undefined) return this.unit.end;
    return Math.min(this.unit.end, this.offset(this.byteStart + this.byteLen));
  }

  /** The statement's text as the parser saw it (psql variables as placeholders). */
  get text(): string {
    return this.unit.parseText.slice(this.start - this.unit.start, this.end - this.unit.start);
  }

  /** The parse text with comments and the insides of literals blanked, same length. */
  get masked(): string {
    if (this.maskedText === undefined) this.maskedText = maskCode(this.unit.parseText);
    return this.maskedText;
  }

  /**
   * Finds a keyword sequence in the statement's code (never in comments or literals).
   * `pattern` must be a global-free RegExp; returns document offsets or undefined.
   */
  find(pattern: RegExp, fromOffset = this.start): { start: number; end: number } | undefined {
    const base = this.unit.start;
    const from = Math.max(0, fromOffset - base);
    const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
    re.lastIndex = from;
    const m = re.exec(this.masked);
    if (!m || m.index + base >= this.end) return undefined;
    return { start: base + m.index, end: base + m.index + m[0].length };
  }

  /** The psql variable, if any, that covers a document offset. */
  variableAt(offset: number): PsqlVariable | undefined {
    return this.unit.variables.find((v) => offset >= v.start && offset < v.end);
  }

  /**
   * The PL/pgSQL parse of this CREATE FUNCTION/DO statement, computed once per statement
   * text: the AST node comes from the ParseCache, so the next version of the document
   * reuses the body's parse as long as the statement is unchanged.
   */
  plpgsql(): PlpgsqlOutcome {
    if (!this.plpgsqlOutcome) {
      this.plpgsqlOutcome = PLPGSQL_BY_NODE.get(this.node) ?? parsePlpgsql(this.text);
      if (this.node && typeof this.node === 'object') PLPGSQL_BY_NODE.set(this.node, this.plpgsqlOutcome);
    }
    return this.plpgsqlOutcome;
  }
}

export interface SyntaxProblem {
  start: number;
  end: number;
  message: string;
}

export interface SqlDocument {
  uri: string;
  text: string;
  statements: SqlStmt[];
  syntaxErrors: SyntaxProblem[];
  comments: Comment[];
  /** Meta-command lines and COPY data. */
  skipped: Array<{ start: number; end: number }>;
}

/** Parse results by statement text, carried from one version of a document to the next. */
export type ParseCache = Map<string, ParseOutcome>;

export function parseSqlDocument(uri: string, text: string, previous?: ParseCache): { doc: SqlDocument; cache: ParseCache } {
  const split = splitSql(text);
  const cache: ParseCache = new Map();
  const statements: SqlStmt[] = [];
  const syntaxErrors: SyntaxProblem[] = [];
  for (const unit of split.statements) {
    const nul = unit.parseText.indexOf('\0');
    if (nul >= 0) {
      // The parser takes a C string and would silently drop everything after a NUL;
      // PostgreSQL rejects the byte, so the statement gets that error instead.
      syntaxErrors.push({ start: unit.start + nul, end: unit.start + nul + 1, message: 'invalid byte sequence for encoding "UTF8": 0x00' });
      continue;
    }
    let outcome = cache.get(unit.parseText) ?? previous?.get(unit.parseText);
    if (!outcome) outcome = parseText(unit.parseText);
    cache.set(unit.parseText, outcome);
    // The byte map depends only on the parse text, like the outcome it is kept with.
    let bytes = BYTES_BY_OUTCOME.get(outcome);
    // A copy of the text, not the slice: a slice would keep this whole version of the
    // document alive for as long as the outcome is reused.
    if (!bytes) BYTES_BY_OUTCOME.set(outcome, (bytes = new ByteMap(detach(unit.parseText))));
    if (!outcome.ok) {
      syntaxErrors.push(syntaxProblem(unit, bytes, outcome.error));
      continue;
    }
    for (const raw of outcome.stmts) {
      if (!raw.stmt) continue;
      const type = Object.keys(raw.stmt)[0];
      statements.push(new SqlStmt(type, raw.stmt[type], unit, bytes, raw.stmt_location ?? 0, raw.stmt_len || undefined));
    }
  }
  return { doc: { uri, text, statements, syntaxErrors, comments: split.comments, skipped: split.skipped }, cache };
}

function syntaxProblem(unit: Statement, bytes: ByteMap, error: ParseError): SyntaxProblem {
  const at = unit.start + bytes.codePointToUtf16(error.cursor);
  // Underline the token at the cursor: up to the next blank, at least one character.
  let end = at;
  const text = unit.parseText;
  while (end < unit.end && !/\s/.test(text[end - unit.start])) end++;
  if (end === at) end = Math.min(unit.end, at + 1);
  return { start: Math.min(at, unit.end), end: Math.max(end, Math.min(at, unit.end)), message: error.message };
}
