// One large SQL file shared by several workers of the CLI's pool (cli/pool.ts), so that a
// single 50,000-line file does not run on one core. Facts are extracted statement by
// statement, and rules read their own statement, the rest of its line, the document's text
// and the workspace, so the file is cut into contiguous ranges of statements:
//   1. the pool's own thread splits its range of the text, up to a place where the
//      splitter's state is clean, which tells where the next range starts, and so on
//      (splitRanges); each worker then splits only its own range, parses its units and
//      extracts their facts (when a range needs what lies outside it, every worker splits
//      the whole text and parses only the units starting in its range); joined in range
//      order they are the file's facts, so every worker then builds the same workspace as
//      one thread would;
//   2. each worker runs the rules over its range's statements and returns the raw findings
//      (syntax errors apart), and the main thread joins them and does what is file-level:
//      syntax errors first, then statements in order, then suppression comments (a
//      pgwarden-disable covers statements of every range), severities, and the statement
//      heads that the pg_dump dedupe compares.
// The facts of the ranges travel as JSON text (made once by the worker that extracted
// them; JSON.parse gave the same objects in a third of v8.deserialize's time here): the
// main thread forwards each range's text to the other workers
// without reading it, so no thread serializes the file's whole facts while the others
// wait, and each worker joins its own range's facts with the others' (SharedFacts).
// The one rule that reads other statements of its document (dynamic-sql-injection: a
// helper function its own script drops later) gets them: a worker also parses the units
// outside its range that can hold a DROP, only to show them to rules as ctx.doc.statements.
// The result is what one thread gives, byte for byte (test/cli/pool.test.ts).

import { setFlagsFromString } from 'node:v8';
import { analyze, Analysis, DocInput, settle } from './core/lint';
import { PgwardenConfig } from './core/config';
import { statementTextAt } from './core/model/dedupe';
import { Finding } from './core/rules';
import { parseSqlDocument, SqlDocument } from './core/sql/document';
import { emptyFacts, FileFacts } from './core/sql/facts';
import { runSqlRules } from './core/sql/lint';
import { SplitResult, splitSqlPart, Statement } from './core/sql/split';
import { PlaceholderRule } from './core/sql/placeholders';
import { downRanges } from './core/model/layout';
import { CommentSpan } from './core/suppress';
import { LineIndex } from './core/text';
import { Workspace } from './core/workspace';
import type { LintOutcome } from './lint-jobs';

/** A shared file's facts on their way to a worker: the other ranges' JSON, its own range's kept by the worker. */
export interface SharedFacts {
  shared: true;
  path: string;
  /** The worker's own range, whose facts it has. */
  own: FileRange;
  /** Per range in order, its facts as JSON, null for the worker's own. */
  parts: Array<string | null>;
}

export function isSharedFacts(f: FileFacts | SharedFacts): f is SharedFacts {
  return (f as SharedFacts).shared === true;
}

/** A range's facts as a worker returns them: as JSON, made once, with their keys in order. */
export interface SerializedFacts {
  json: string;
  keys: string[];
}

export function serializeFacts(f: FileFacts): SerializedFacts {
  return { json: JSON.stringify(f), keys: Object.keys(f) };
}

/**
 * A shared file's facts for the main thread, which needs them only to hand them back to
 * the pool (which sends the JSON instead) and for the --cache file: they are read from
 * the ranges' JSON on first access, not while the workers wait. The keys are known up
 * front, so enumerating the object (JSON.stringify) gives what the joined facts give.
 */
export function lazyFacts(read: () => FileFacts, keys: readonly string[]): FileFacts {
  const facts = {} as Record<string, unknown>;
  const materialise = (): void => {
    const full = read() as unknown as Record<string, unknown>;
    for (const k of keys) Object.defineProperty(facts, k, { value: full[k], writable: true, enumerable: true, configurable: true });
  };
  for (const k of keys) {
    Object.defineProperty(facts, k, {
      get: () => (materialise(), facts[k]),
      enumerable: true,
      configurable: true,
    });
  }
  return facts as unknown as FileFacts;
}

/**
 * While a file is shared by as many threads as there are cores, V8 runs no optimising
 * compiler, only its baseline one. One thread
 * already keeps the second core about half busy with optimising compiles (some 190
 * functions, 0.6 s of CPU on the 50k file), and each thread compiles them again for itself,
 * so on two cores the compiles took the core the second thread was to use. Measured on
 * the 50k file at load 1.6 to 2.1: two threads 1.62-1.70 s wall / 2.8-2.9 s CPU with the
 * optimising tier, 1.35-1.42 s / 2.2-2.4 s without (one thread: 1.40-1.48 s / 2.0-2.1 s).
 * V8's flags belong to the process: a worker sets this once its bundle is loaded (V8's code
 * cache is checked against the flags the bundle was loaded with), and the pool sets it back
 * when it closes, before the main thread may write its code cache at exit.
 */
export function baselineJitOnly(on: boolean): void {
  setFlagsFromString(on ? '--max-opt=1' : '--max-opt=999');
}

/** A worker's share of a file: the units whose first token lies in [start, end) (UTF-16 offsets). */
export interface FileRange {
  start: number;
  end: number;
  /**
   * The range's ends are places where the splitter's state is clean (splitRanges), so the
   * worker splits only its part of the text; otherwise each worker splits the whole text.
   */
  exact?: true;
}

/** `parts` contiguous ranges covering a text, of about equal length (parse time follows length). */
export function fileRanges(length: number, parts: number): FileRange[] {
  const cut = (k: number) => (k === parts ? length + 1 : Math.floor((length * k) / parts));
  return Array.from({ length: parts }, (_, k) => ({ start: cut(k), end: cut(k + 1) }));
}

/**
 * About how much of a file's text the pool's own thread parses before a worker, started
 * at the same time, begins its range (the worker loads the bundle and the parser first):
 * on the 50k file (2 MB) the two threads finished their facts together when this thread
 * took 60% of the text, and the run was ~50 ms shorter than with halves.
 */
export const WORKER_START_CHARS = 400_000;

/** The part of a text of `length` the pool's own thread takes out of `parts`: its equal part and what it parses while the workers start. */
export function firstShareOf(length: number, parts: number): number {
  return Math.min(0.9, 1 / parts + ((parts - 1) / parts) * (WORKER_START_CHARS / Math.max(1, length)));
}

/**
 * Ranges whose parts the workers split apart, the first taking `firstShare` of the text
 * (the thread that starts the workers begins before them), and the first range's split,
 * made here to find where it ends. Undefined when every worker must see the whole file:
 * a unit outside a worker's range may hold a DROP (see below), or a down-migration section
 * opens before a later range (a worker decides what is down from the comments above).
 */
export function splitRanges(text: string, parts: number, placeholders: readonly PlaceholderRule[] | undefined, firstShare = firstShareOf(text.length, parts)): { ranges: FileRange[]; first: SplitResult } | undefined {
  if (parts < 2 || MAY_DROP.test(text)) return undefined;
  const rest = (1 - firstShare) / (parts - 1);
  const ranges: FileRange[] = [];
  const comments: SplitResult['comments'] = [];
  let first: SplitResult | undefined;
  let from = 0;
  for (let k = 0; k < parts - 1; k++) {
    const { split, end } = splitSqlPart(text, from, Math.floor(text.length * (firstShare + k * rest)), placeholders);
    first ??= split;
    comments.push(...split.comments);
    ranges.push({ start: from, end, exact: true });
    from = end;
  }
  ranges.push({ start: from, end: text.length + 1, exact: true });
  if (downRanges(comments, text.length).length) return undefined;
  return { ranges, first: first! };
}

const inRange = (r: FileRange) => (u: { start: number }) => u.start >= r.start && u.start < r.end;

/** A unit that may hold a DROP statement: the keyword cannot be spelt without these letters. */
const MAY_DROP = /drop/i;

export interface PartAnalysis {
  analysis: Analysis;
  range: FileRange;
  /** Whether a unit outside the range may hold a DROP (the rules' context then parses those). */
  dropsOutside: boolean;
  /** The range's statements with the DROP units of the rest of the file, made when first linted. */
  context?: SqlDocument;
}

/** Parses the range's units of a SQL file and extracts their facts. */
export function analyzePart(input: DocInput, range: FileRange): PartAnalysis {
  if (range.exact) {
    // No unit outside the range holds a DROP (splitRanges), so no other unit is needed.
    const split = input.parse?.split ?? splitSqlPart(input.text, range.start, range.end, input.parse?.placeholders).split;
    return { analysis: analyze({ ...input, parse: { ...input.parse, split, transient: true } }), range, dropsOutside: false };
  }
  const inside = inRange(range);
  let dropsOutside = false;
  const select = (u: Statement): boolean => {
    if (inside(u)) return true;
    if (!dropsOutside && MAY_DROP.test(u.parseText)) dropsOutside = true;
    return false;
  };
  const analysis = analyze({ ...input, parse: { ...input.parse, select, transient: true } });
  return { analysis, range, dropsOutside };
}

/** What a worker returns for its range of a file; `join` makes the file's outcome of them. */
export interface PartOutcome {
  /** The rules' findings before suppressions and severities: the range's syntax errors first. */
  raw: Finding[];
  /** How many of `raw` are syntax errors. */
  syntax: number;
  /** Per top-level statement of the range, its unit's start and end. */
  spans: number[];
  /** The comments starting in the range that may be pgwarden directives. */
  directives: CommentSpan[];
}

export function lintPart(
  part: PartAnalysis,
  workspace: Workspace,
  config: PgwardenConfig,
  onInternalError?: (ruleId: string, err: unknown) => void,
): PartOutcome {
  const doc = part.analysis.sql!.doc;
  part.context ??= contextOf(doc, part);
  const raw = runSqlRules(doc, { doc: part.context, workspace, config, onInternalError });
  const spans: number[] = [];
  for (const s of doc.statements) spans.push(s.unit.start, s.unit.end);
  // Only directive comments matter to suppressions. A worker may have split the whole text,
  // so each range gives those starting in it, and the ranges' lists join in order.
  const inside = inRange(part.range);
  const directives = doc.comments.filter((c) => inside(c) && c.body.includes('pgwarden-'));
  return { raw, syntax: doc.syntaxErrors.length, spans, directives };
}

/** The range's document with, among its statements, those of the units outside it that may hold a DROP. */
function contextOf(doc: SqlDocument, part: PartAnalysis): SqlDocument {
  if (!part.dropsOutside) return doc;
  const inside = inRange(part.range);
  const parse = part.analysis.input.parse;
  const others = parseSqlDocument(doc.uri, doc.text, undefined, { ...parse, layout: doc.layout, select: (u) => !inside(u) && MAY_DROP.test(u.parseText) }).doc.statements;
  if (!others.length) return doc;
  const statements = [...doc.statements, ...others].sort((a, b) => a.unit.start - b.unit.start);
  return { ...doc, statements };
}

/** The file's facts from its ranges' facts, in range order: what extracting them in one pass gives. */
export function joinFacts(parts: readonly FileFacts[]): FileFacts {
  const facts = emptyFacts() as unknown as Record<string, unknown>;
  for (const p of parts) {
    for (const [key, value] of Object.entries(p)) {
      if (Array.isArray(value)) ((facts[key] ??= []) as unknown[]).push(...value);
      else if (!(key in facts)) facts[key] = value;
    }
  }
  return facts as unknown as FileFacts;
}

const EMPTY_LINES = new LineIndex('');

/** The file's outcome from its ranges' outcomes, in range order, as one thread would give it. */
export function joinOutcomes(text: string, parts: readonly PartOutcome[], config: PgwardenConfig): LintOutcome {
  const raw = [...parts.flatMap((p) => p.raw.slice(0, p.syntax)), ...parts.flatMap((p) => p.raw.slice(p.syntax))];
  const directives = parts.flatMap((p) => p.directives);
  // Lines are counted only for suppressions; without a directive there are none to apply.
  const findings = settle(raw, directives, directives.length ? new LineIndex(text) : EMPTY_LINES, config);
  const statements: Array<{ unit: { start: number; end: number } }> = [];
  for (const p of parts) for (let i = 0; i < p.spans.length; i += 2) statements.push({ unit: { start: p.spans[i], end: p.spans[i + 1] } });
  return { findings, heads: headsOf({ text, statements }, findings) };
}

/** Per finding, the head of its top-level statement (what dumpRepeats compares), or null. */
export function headsOf(doc: Parameters<typeof statementTextAt>[0], findings: readonly Finding[]): Array<string | null> {
  return findings.map((f) => statementTextAt(doc, f.start)?.split('(')[0] ?? null);
}
