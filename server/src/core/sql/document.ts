// A parsed SQL document: statements with their ASTs and exact document offsets.
// Parsing is per statement and cached by statement text, so an edit re-parses only the
// statements whose text changed; a one-shot parse (ParseOptions.transient) instead keeps
// nothing and lets each statement's tree go once used. It passes 400 lines because the
// layout cache, which lets an edit reuse outcomes by position, and the transient path both
// belong beside the parse loop they change.

import { ByteMap } from '../text';
import { JsonStore, KeptJson, parsePlpgsql, parseText, parseTextKeeping, ParseError, ParseOutcome, PlpgsqlOutcome, readKept } from './parser';
import { Comment, editBetween, incrementalSplit, PsqlVariable, splitSql, SplitResult, Statement } from './split';
import { maskCode } from './mask';
import { nestedUnits, NestedResult } from './nested';
import { newerSyntax } from './newer-syntax';
import { MappedText, sourceOf } from './plpgsql';
import { EXTENSION_PLACEHOLDERS, PlaceholderRule } from './placeholders';
import { downRanges, FileLayout } from '../model/layout';

/** A flat copy of a string that shares no memory with the text it was sliced from. */
export const detach = (s: string): string => Buffer.from(s, 'utf16le').toString('utf16le');

/**
 * Where a parse outcome keeps its byte map, reused with it from one version of a document
 * to the next: a symbol, which JSON, Object.keys and for-in never see (cheaper per
 * statement than a WeakMap lookup).
 */
const BYTES = Symbol('pgwarden.bytes');
type BytesHolder = { [BYTES]?: ByteMap };

/** PL/pgSQL parses by the statement's AST node, which lives as long as its ParseCache entry. */
const PLPGSQL_BY_NODE = new WeakMap<object, PlpgsqlOutcome>();
/** Nested units by the enclosing statement's AST node, kept as long as that node. */
const NESTED_BY_NODE = new WeakMap<object, NestedResult>();

/** How deep statements nest in statements before the rest is left alone (a DO that EXECUTEs a DO ...). */
const MAX_NESTING = 3;

/** Where a nested statement comes from. */
export interface Nesting {
  parent: SqlStmt;
  /** 'do': runs where it stands (a DO block); 'routine': runs only when the routine is called. */
  origin: 'do' | 'routine';
  /** Built by EXECUTE from a constant string. */
  execute: boolean;
  /** The statement's text with where each character stands in the parent's parse text. */
  map: MappedText;
  depth: number;
}

export class SqlStmt {
  /** The AST node's fields; undefined while a transient statement's tree is let go. */
  private tree: any;
  /** Set on transient statements: where `node` reads the tree again, the unit's JSON, and this statement's index in it. */
  private source: KeptJson | undefined;
  private sourceIndex = 0;
  private maskedText: string | undefined;
  private plpgsqlOutcome: PlpgsqlOutcome | undefined;
  private nestedList: { stmts: SqlStmt[]; unknowns: Array<{ start: number; end: number; origin: 'do' | 'routine' }> } | undefined;
  /** Set on statements nested in a DO block, a routine body or a constant EXECUTE. */
  nesting?: Nesting;
  /**
   * Whether offsets in this statement are document offsets: true for top-level statements
   * and for nested ones copied verbatim from the document (a dollar-quoted body); false
   * when the text was decoded or assembled (quotes undoubled, escapes, EXECUTE strings),
   * whose offsets go through toDocument and whose findings carry no fix.
   */
  exact = true;

  constructor(
    /** The AST node's kind, e.g. `GrantStmt`. */
    readonly type: string,
    node: any,
    readonly unit: Statement,
    private readonly bytes: ByteMap,
    /** Byte offset of this statement within the unit's parse text (nonzero only when a unit holds several). */
    private readonly byteStart: number,
    private readonly byteLen: number | undefined,
    /**
     * In a Down section (goose, sql-migrate, dbmate) or a down/undo/revert file: checked
     * for syntax and direct dangers, but not part of the schema's state.
     */
    readonly down = false,
  ) {
    this.tree = node;
  }

  /** The AST node's fields. */
  get node(): any {
    if (this.tree === undefined && this.source) this.tree = (readKept(this.source)[this.sourceIndex].stmt as Record<string, any>)[this.type];
    return this.tree;
  }

  /** Whether this statement lets its tree go when released (a transient document's). */
  get transient(): boolean {
    return this.source !== undefined;
  }

  /**
   * A transient statement lets its tree and what was derived from it go: the next read of
   * `node` reads an equal tree again from the parser's JSON. Trees kept alive from the parse
   * until the rules had run were most of what the garbage collector copied on a large file.
   */
  release(): void {
    if (!this.source) return;
    this.tree = undefined;
    this.maskedText = undefined;
    this.plpgsqlOutcome = undefined;
    this.nestedList = undefined;
  }

  /** Makes this statement transient, its tree read again from `json` once released. */
  keepSource(json: KeptJson, index: number): void {
    this.source = json;
    this.sourceIndex = index;
  }

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

  /** A document offset for an offset in this statement's coordinates (the identity when `exact`). */
  toDocument(offset: number): number {
    const n = this.nesting;
    if (!n || this.exact) return offset;
    const len = this.unit.parseText.length;
    const i = Math.max(0, Math.min(len, offset - this.unit.start));
    return n.parent.toDocument(n.parent.unit.start + sourceOf(n.map, i));
  }

  /** A document offset for the end of a range ending at `offset` (its last character, plus one). */
  toDocumentEnd(offset: number): number {
    if (this.exact || offset <= this.unit.start) return this.toDocument(offset);
    return this.toDocument(offset - 1) + 1;
  }

  /**
   * The statements nested in this one: a DO block's and a routine body's statements, and
   * what their constant EXECUTEs run, in order; and the EXECUTEs whose string is built at
   * run time (`unknowns`, in document offsets). Parsed once per statement text.
   */
  nested(): { stmts: SqlStmt[]; unknowns: Array<{ start: number; end: number; origin: 'do' | 'routine' }> } {
    if (this.nestedList) return this.nestedList;
    const depth = (this.nesting?.depth ?? 0) + 1;
    if (depth > MAX_NESTING || (this.type !== 'DoStmt' && this.type !== 'CreateFunctionStmt')) return (this.nestedList = { stmts: [], unknowns: [] });
    let result = this.node && typeof this.node === 'object' ? NESTED_BY_NODE.get(this.node) : undefined;
    if (!result) {
      result = nestedUnits(
        { type: this.type, node: this.node, parseText: this.unit.parseText, offsetOf: (b) => this.offset(b) - this.unit.start, plpgsql: () => this.plpgsql() },
        this.nesting?.origin,
      );
      if (this.node && typeof this.node === 'object') NESTED_BY_NODE.set(this.node, result);
    }
    const stmts: SqlStmt[] = [];
    for (const u of result.units) {
      const start = this.unit.start + sourceOf(u.text, 0);
      const unit: Statement = {
        start,
        end: start + u.text.text.length,
        parseText: u.text.text,
        variables: [],
        semicolon: u.semicolon < 0 || !this.exact ? -1 : this.unit.start + u.semicolon,
      };
      const s = new SqlStmt(u.type, u.raw.stmt![u.type], unit, new ByteMap(u.text.text), u.raw.stmt_location ?? 0, u.raw.stmt_len || undefined, this.down);
      s.nesting = { parent: this, origin: u.origin, execute: u.execute, map: u.text, depth };
      s.exact = this.exact && u.verbatim && !u.execute;
      stmts.push(s);
    }
    const unknowns = result.unknowns.map((k) => ({
      start: this.toDocument(this.unit.start + k.start),
      end: this.toDocumentEnd(this.unit.start + k.end),
      origin: k.origin,
    }));
    return (this.nestedList = { stmts, unknowns });
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
  /** The newer PostgreSQL syntax the statement uses (newer-syntax.ts), when that is why it does not parse. */
  newer?: string;
}

export interface SqlDocument {
  uri: string;
  text: string;
  statements: SqlStmt[];
  syntaxErrors: SyntaxProblem[];
  comments: Comment[];
  /** Meta-command lines and COPY data. */
  skipped: Array<{ start: number; end: number }>;
  /** What the file is in its project (migration up or down, test, dump...), when the caller knows its root. */
  layout?: FileLayout;
}

export interface ParseOptions {
  /** Template placeholders; the extension-script ones when not given. */
  placeholders?: readonly PlaceholderRule[];
  layout?: FileLayout;
  /** Only the units it accepts are parsed and reported (a pool worker's range: lint-split.ts); all when not given. */
  select?: (unit: Statement) => boolean;
  /**
   * Nothing of this parse is reused (a one-shot lint): the statements are transient (see
   * SqlStmt.release) and the cache keeps no outcomes.
   */
  transient?: boolean;
  /** Called with each statement as soon as it is parsed (a transient one can be released after). */
  each?: (stmt: SqlStmt) => void;
  /**
   * The units of one part of the text, split by the caller (splitSqlPart: a pool worker's
   * range, lint-split.ts): these are parsed instead of a split of the whole text.
   */
  split?: SplitResult;
}

/** Parse results by statement text, carried from one version of a document to the next. */
export type ParseCache = Map<string, ParseOutcome>;

/**
 * The statements of the version a cache was made for, in order, with their outcomes
 * (undefined for a unit the parser never saw). The next version reuses an outcome by
 * comparing a statement's text with the one at the same place counted from the start or
 * from the end, which costs a comparison instead of hashing every statement's text; only
 * the statements in between (the edited ones) are looked up by text.
 */
interface Layout {
  /** The version's text and split, from which the next version re-splits only around its edit. */
  text: string;
  split: SplitResult;
  /** The placeholders the split was made with: other ones need a whole new split. */
  placeholders: readonly PlaceholderRule[];
  units: Statement[];
  outcomes: Array<ParseOutcome | undefined>;
}

/** A ParseCache whose entries are filled in from its layout on first use. */
class LayoutCache extends Map<string, ParseOutcome> {
  private pending: Layout | undefined;

  constructor(readonly layout: Layout) {
    super();
    this.pending = layout;
  }

  private fill(): void {
    const l = this.pending;
    if (!l) return;
    this.pending = undefined;
    l.units.forEach((u, i) => {
      const o = l.outcomes[i];
      if (o && !super.has(u.parseText)) super.set(u.parseText, o);
    });
  }

  override get(key: string): ParseOutcome | undefined {
    this.fill();
    return super.get(key);
  }
  override has(key: string): boolean {
    this.fill();
    return super.has(key);
  }
  override get size(): number {
    this.fill();
    return super.size;
  }
  override set(key: string, value: ParseOutcome): this {
    this.fill();
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    this.fill();
    return super.delete(key);
  }
  override forEach(fn: (value: ParseOutcome, key: string, map: Map<string, ParseOutcome>) => void, thisArg?: unknown): void {
    this.fill();
    super.forEach(fn, thisArg);
  }
  override entries(): MapIterator<[string, ParseOutcome]> {
    this.fill();
    return super.entries();
  }
  override keys(): MapIterator<string> {
    this.fill();
    return super.keys();
  }
  override values(): MapIterator<ParseOutcome> {
    this.fill();
    return super.values();
  }
  override [Symbol.iterator](): MapIterator<[string, ParseOutcome]> {
    this.fill();
    return super[Symbol.iterator]();
  }
}

/**
 * The outcome of a statement of the previous version between its unchanged head and tail
 * (usually the one or two statements an edit touched) with this text. A wide middle (a
 * large paste or deletion) is looked up in the cache instead, by text.
 */
function fromMiddle(previous: LayoutCache, head: number, tail: number, text: string): ParseOutcome | undefined {
  const before = previous.layout;
  const end = before.units.length - tail;
  if (end - head > 64) return previous.get(text);
  for (let j = head; j < end; j++) if (before.outcomes[j] && before.units[j].parseText === text) return before.outcomes[j];
  return undefined;
}

export function parseSqlDocument(uri: string, text: string, previous?: ParseCache, options: ParseOptions = {}): { doc: SqlDocument; cache: ParseCache } {
  const placeholders = options.placeholders ?? EXTENSION_PLACEHOLDERS;
  const transient = options.transient === true;
  // Outcomes of the previous version by position: the unchanged statements before and
  // after the edit compare equal at the same index from the start and from the end.
  const kept = previous instanceof LayoutCache ? previous.layout : undefined;
  const before = kept && samePlaceholders(kept.placeholders, placeholders) ? kept : undefined;
  // An edit re-splits only around the range that changed (the previous text is kept for
  // that): splitting a 10,000-line file again took ~2.6 ms of every keystroke.
  const split = options.split ?? (before ? incrementalSplit(before.split, text, editBetween(before.text, text), placeholders) : splitSql(text, placeholders));
  const wholeFileDown = options.layout?.kind === 'down';
  const downs = wholeFileDown ? [] : downRanges(split.comments, text.length);
  let d = 0;
  const units = split.statements;
  const outcomes: Array<ParseOutcome | undefined> = new Array(units.length);
  let head = 0;
  let tail = 0;
  if (before) {
    const n = Math.min(units.length, before.units.length);
    while (head < n && before.outcomes[head] && units[head].parseText === before.units[head].parseText) {
      outcomes[head] = before.outcomes[head];
      head++;
    }
    while (tail < n - head) {
      const i = units.length - 1 - tail;
      const j = before.units.length - 1 - tail;
      if (!before.outcomes[j] || units[i].parseText !== before.units[j].parseText) break;
      outcomes[i] = before.outcomes[j];
      tail++;
    }
  }
  /** Statements first parsed in this version, so a repeated text is parsed once. */
  let fresh: Map<string, ParseOutcome> | undefined;
  /** The same for a transient parse: the JSON of an ok outcome (kept instead of its trees), else the outcome. */
  let freshJson: Map<string, KeptJson | ParseOutcome> | undefined;
  const store = transient ? new JsonStore() : undefined;
  const statements: SqlStmt[] = [];
  const syntaxErrors: SyntaxProblem[] = [];
  units.forEach((unit, index) => {
    if (options.select && !options.select(unit)) return;
    let outcome = outcomes[index];
    let json: KeptJson | undefined;
    if (!outcome) {
      const nul = unit.parseText.indexOf('\0');
      if (nul >= 0) {
        // The parser takes a C string and would silently drop everything after a NUL;
        // PostgreSQL rejects the byte, so the statement gets that error instead.
        syntaxErrors.push({ start: unit.start + nul, end: unit.start + nul + 1, message: 'invalid byte sequence for encoding "UTF8": 0x00' });
        return;
      }
      if (transient) {
        // Nothing keeps this outcome: its trees go as soon as its statements release them.
        const seen = freshJson?.get(unit.parseText);
        if (seen && 'chunk' in seen) outcome = { ok: true, stmts: readKept((json = seen)) };
        else if (seen) outcome = seen;
        else {
          const kept = parseTextKeeping(unit.parseText, store);
          outcome = kept.outcome;
          json = kept.kept;
          (freshJson ??= new Map()).set(unit.parseText, json ?? outcome);
        }
      } else {
        outcome = fresh?.get(unit.parseText) ?? (before ? fromMiddle(previous as LayoutCache, head, tail, unit.parseText) : previous?.get(unit.parseText));
        if (!outcome) {
          outcome = parseText(unit.parseText);
          (fresh ??= new Map()).set(unit.parseText, outcome);
        }
        outcomes[index] = outcome;
      }
    }
    // The byte map depends only on the parse text, like the outcome it is kept with.
    let bytes = (outcome as BytesHolder)[BYTES];
    // A copy of the text, not the slice: a slice would keep this whole version of the
    // document alive for as long as the outcome is reused (a transient one is not).
    if (!bytes) (outcome as BytesHolder)[BYTES] = bytes = new ByteMap(transient ? unit.parseText : detach(unit.parseText));
    if (!outcome.ok) {
      syntaxErrors.push(syntaxProblem(unit, bytes, outcome.error));
      return;
    }
    while (d < downs.length && downs[d].end <= unit.start) d++;
    const down = wholeFileDown || (d < downs.length && downs[d].start <= unit.start);
    outcome.stmts.forEach((raw, i) => {
      if (!raw.stmt) return;
      const type = Object.keys(raw.stmt)[0];
      const s = new SqlStmt(type, raw.stmt[type], unit, bytes, raw.stmt_location ?? 0, raw.stmt_len || undefined, down);
      if (json !== undefined) s.keepSource(json, i);
      statements.push(s);
      options.each?.(s);
    });
  });
  const cache = new LayoutCache({ text, split, placeholders, units, outcomes });
  const doc: SqlDocument = { uri, text, statements, syntaxErrors, comments: split.comments, skipped: split.skipped };
  if (options.layout) doc.layout = options.layout;
  return { doc, cache };
}

/** Placeholder lists compare by their expressions: a config reloaded unchanged keeps the incremental split. */
function samePlaceholders(a: readonly PlaceholderRule[], b: readonly PlaceholderRule[]): boolean {
  return a === b || (a.length === b.length && a.every((r, i) => r.as === b[i].as && r.pattern.source === b[i].pattern.source && r.pattern.flags === b[i].pattern.flags));
}

function syntaxProblem(unit: Statement, bytes: ByteMap, error: ParseError): SyntaxProblem {
  const at = unit.start + bytes.codePointToUtf16(error.cursor);
  // Underline the token at the cursor: up to the next blank, at least one character.
  let end = at;
  const text = unit.parseText;
  while (end < unit.end && !/\s/.test(text[end - unit.start])) end++;
  if (end === at) end = Math.min(unit.end, at + 1);
  const problem: SyntaxProblem = { start: Math.min(at, unit.end), end: Math.max(end, Math.min(at, unit.end)), message: error.message };
  const newer = newerSyntax(text);
  if (newer) problem.newer = newer;
  return problem;
}
