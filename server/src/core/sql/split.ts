// Splits a SQL file (or a psql script) into statements without the server's parser.
//
// Why not libpg-query's scanner: it costs as much as a full parse, knows nothing of psql,
// and throws on the unterminated quotes a file has while someone types. This splitter
// follows psql's own lexer (psqlscan.l) for what decides a boundary: quotes, E'' escapes,
// dollar quotes, nested block comments, parenthesis depth, BEGIN ATOMIC bodies,
// backslash meta-commands, `:var` interpolation and inline COPY ... FROM stdin data.
// Longer than 400 lines because it is one scanner state machine, kept whole as psqlscan.l
// is.

import { isSectionMarkerAt } from '../model/layout';
import { EXTENSION_PLACEHOLDERS, PlaceholderRule, standIn } from './placeholders';

export interface PsqlVariable {
  /** UTF-16 offsets of the whole reference, `:'name'` included, in the document. */
  start: number;
  end: number;
  /** The variable's name; for a template placeholder, its whole text as written. */
  name: string;
  kind: 'literal' | 'identifier' | 'raw' | 'placeholder';
  /** What the parser sees instead of a template placeholder (same length). */
  replacement?: string;
}

export interface Statement {
  /** UTF-16 offsets of the statement's first token and of its end (the `;` excluded). */
  start: number;
  end: number;
  /**
   * The text handed to the parser: the document's slice with psql variables and
   * skipped meta-commands replaced by text of the same UTF-16 length, so offsets in
   * it equal offsets in the document minus `start`.
   */
  parseText: string;
  variables: PsqlVariable[];
  /** Offset of the terminating `;`, or -1 when the statement ran to the end of the file. */
  semicolon: number;
}

export interface Comment {
  start: number;
  end: number;
  /** The comment's text without its `--` or `/* *\/` markers. */
  body: string;
}

export interface SplitResult {
  statements: Statement[];
  comments: Comment[];
  /** Ranges the parser never sees: meta-command lines and COPY data. */
  skipped: Array<{ start: number; end: number }>;
}

const isIdentStart = (c: number) =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
const isIdentChar = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;

/** psql commands that send the buffered query, so they end the statement like `;`. */
const SENDING_META = /^\\(g|gx|gset|gexec|gdesc|crosstabview|watch|;)\b/;

const BLOCK_WORDS = ['atomic', 'begin', 'case', 'end'];

/**
 * The word at [i, j) in lower case when it is BEGIN, ATOMIC, CASE or END (the only words
 * the splitter needs), else ''; compared in place, since copying out every identifier of
 * a large file costs more than the rest of the scan. Keywords are ASCII, so setting the
 * 0x20 bit lowers a letter and never turns another character into one.
 */
function blockWord(text: string, i: number, j: number): string {
  const len = j - i;
  if (len < 3 || len > 6) return '';
  for (const w of BLOCK_WORDS) {
    if (w.length !== len) continue;
    let k = 0;
    while (k < len && (text.charCodeAt(i + k) | 0x20) === w.charCodeAt(k)) k++;
    if (k === len) return w;
  }
  return '';
}

/**
 * Splits `text`; `placeholders` (the extension-script ones by default) are matched within
 * each statement and handed to the parser as stand-ins of the same length.
 */
export function splitSql(text: string, placeholders: readonly PlaceholderRule[] = EXTENSION_PLACEHOLDERS): SplitResult {
  const result: SplitResult = { statements: [], comments: [], skipped: [] };
  scan(text, 0, result, undefined, placeholders);
  return result;
}

/**
 * The split of one part of `text`, so that threads can split a large file's parts apart:
 * from `from` (0, or the `end` of the part before) up to the first place at or after
 * `until` just after a statement's `;` that is not a COPY ... FROM stdin, returned as
 * `end` (the text's length when there is none). The scanner's state is clean at such a
 * place (see incrementalSplit), so the parts' statements, comments and skipped ranges,
 * joined in order, are exactly splitSql(text)'s.
 */
export function splitSqlPart(text: string, from: number, until: number, placeholders: readonly PlaceholderRule[] = EXTENSION_PLACEHOLDERS): { split: SplitResult; end: number } {
  const split: SplitResult = { statements: [], comments: [], skipped: [] };
  const end = scan(text, from, split, until < text.length ? (at) => at >= until : undefined, placeholders);
  return { split, end };
}

/** A change of the text a split was made from: the range [start, end) of it replaced by `insert`. */
export interface SplitEdit {
  start: number;
  end: number;
  insert: string;
}

/**
 * The split of `text`, which is the previous split's text with `edit` applied, re-scanning
 * only from the last statement boundary before the edit up to the first boundary after it
 * that the previous split also had (shifted by the edit's change in length); the rest of
 * the previous result is reused, shifted. Always equal to splitSql(text).
 *
 * Why it is exact: at the place just after a `;` that ended a statement other than a COPY
 * ... FROM stdin, the scanner's state is reset (no statement, parenthesis, BEGIN ATOMIC,
 * literal or comment open), and what it does from there depends only on the text from
 * there on plus the two characters before (the E'' and `$`/`:` look-behinds). So the scan
 * can restart at such a place before the edit, whose text up to it is unchanged, and stop
 * at one that lies two characters past the inserted text and that the previous scan also
 * went through: from there both scans read the same text in the same state.
 */
export function incrementalSplit(prev: SplitResult, text: string, edit: SplitEdit, placeholders: readonly PlaceholderRule[] = EXTENSION_PLACEHOLDERS): SplitResult {
  const delta = edit.insert.length - (edit.end - edit.start);
  if (edit.start < 0 || edit.end < edit.start || edit.start > text.length) return splitSql(text, placeholders);
  const ps = prev.statements;
  // The last boundary before the edit: after a `;` left of the edit's start, not a COPY.
  let r = firstAtOrAfter(ps, edit.start) - 1;
  while (r >= 0 && (ps[r].semicolon < 0 || ps[r].semicolon >= edit.start || COPY_FROM_STDIN.test(ps[r].parseText))) r--;
  const from = r >= 0 ? ps[r].semicolon + 1 : 0;
  const out: SplitResult = {
    statements: ps.slice(0, r + 1),
    comments: prev.comments.slice(0, firstAtOrAfter(prev.comments, from)),
    skipped: prev.skipped.slice(0, firstAtOrAfter(prev.skipped, from)),
  };
  const keptStatements = out.statements.length;
  const keptComments = out.comments.length;
  const insertedEnd = edit.start + edit.insert.length;
  let m = r + 1;
  let syncedAt = -1;
  const sync: SyncCheck = (q) => {
    if (q < insertedEnd + 2) return false;
    const old = q - delta;
    while (m < ps.length && (ps[m].semicolon < 0 ? ps[m].start < old : ps[m].semicolon + 1 < old)) m++;
    if (m < ps.length && ps[m].semicolon + 1 === old && !COPY_FROM_STDIN.test(ps[m].parseText)) {
      syncedAt = old;
      return true;
    }
    return false;
  };
  scan(text, from, out, sync, placeholders);
  // The re-scanned statements and comments live on into later versions (reused like the
  // rest), so their strings are copied: a slice would keep this whole version of the text
  // alive, and one more version with every edit.
  for (let j = keptStatements; j < out.statements.length; j++) {
    const st = out.statements[j];
    st.parseText = detach(st.parseText);
    for (const v of st.variables) {
      v.name = detach(v.name);
      if (v.replacement !== undefined) v.replacement = detach(v.replacement);
    }
  }
  for (let j = keptComments; j < out.comments.length; j++) out.comments[j].body = detach(out.comments[j].body);
  if (syncedAt < 0) return out;
  for (let j = m + 1; j < ps.length; j++) out.statements.push(shiftStatement(ps[j], delta));
  for (let j = firstAtOrAfter(prev.comments, syncedAt); j < prev.comments.length; j++) {
    const c = prev.comments[j];
    out.comments.push(delta === 0 ? c : { start: c.start + delta, end: c.end + delta, body: c.body });
  }
  for (let j = firstAtOrAfter(prev.skipped, syncedAt); j < prev.skipped.length; j++) {
    const k = prev.skipped[j];
    out.skipped.push(delta === 0 ? k : { start: k.start + delta, end: k.end + delta });
  }
  return out;
}

/**
 * The one range in which `after` differs from `before` (common prefix and suffix left
 * out), as the edit incrementalSplit takes: the analysis keeps the previous text, so the
 * edit is recovered here rather than passed through every caller.
 */
export function editBetween(before: string, after: string): SplitEdit {
  const n = Math.min(before.length, after.length);
  // Compared in chunks first: equal slices compare as fast as memory is read.
  const CHUNK = 4096;
  let start = 0;
  while (start + CHUNK <= n && before.slice(start, start + CHUNK) === after.slice(start, start + CHUNK)) start += CHUNK;
  while (start < n && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  const room = n - start;
  while (tail + CHUNK <= room && before.slice(before.length - tail - CHUNK, before.length - tail) === after.slice(after.length - tail - CHUNK, after.length - tail)) tail += CHUNK;
  while (tail < room && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { start, end: before.length - tail, insert: after.slice(start, after.length - tail) };
}

/** A copy of a string that shares no memory with the string it came from. */
const detach = (s: string): string => Buffer.from(s, 'utf16le').toString('utf16le');

/** The index of the first item starting at or after `at` in a list sorted by start. */
function firstAtOrAfter(items: ReadonlyArray<{ start: number }>, at: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].start < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function shiftStatement(st: Statement, d: number): Statement {
  if (d === 0) return st;
  return {
    start: st.start + d,
    end: st.end + d,
    parseText: st.parseText,
    variables: st.variables.map((v) => (v.replacement === undefined ? { start: v.start + d, end: v.end + d, name: v.name, kind: v.kind } : { ...v, start: v.start + d, end: v.end + d })),
    semicolon: st.semicolon < 0 ? -1 : st.semicolon + d,
  };
}

/**
 * Where an incremental re-split may stop: the scan is in a clean state (between statements,
 * outside any literal, comment, COPY data or parenthesis) at `at` in the new text. Returns
 * true when the previous split was clean at the same place shifted by the edit, so the
 * rest of the previous result applies unchanged.
 */
type SyncCheck = (at: number) => boolean;

/**
 * The splitter's loop from `from`, where it must be in a clean state (the start of the
 * text or just after a statement's `;` that is not a COPY ... FROM stdin), appending to
 * `out`, which holds everything found before `from`. Returns the offset where it stopped:
 * the text's length, or the first place after a `;` that `sync` accepted.
 */
function scan(text: string, from: number, out: SplitResult, sync: SyncCheck | undefined, placeholders: readonly PlaceholderRule[]): number {
  const { statements, comments, skipped } = out;
  const n = text.length;
  const findPlaceholders = placeholderFinder(text, placeholders);

  let stmtStart = -1; // offset of the first significant character of the current statement
  // End of the last token that is SQL (not a comment, blank or meta-command), so a statement
  // without a semicolon ends before a trailing comment: a fix that appends `;` and a new
  // statement there must not land inside `-- ...`.
  let lastEnd = 0;
  let inToken = false;
  let parens = 0;
  let atomicDepth = 0; // >0 inside BEGIN ATOMIC ... END
  let sawAtomic = false;
  let lastWord = '';
  let vars: PsqlVariable[] = [];
  let blanks: Array<{ start: number; end: number }> = [];

  const finish = (end: number, semicolon: number) => {
    let trimmed = stmtStart >= 0 ? Math.max(stmtStart, Math.min(end, lastEnd)) : end;
    while (stmtStart >= 0 && trimmed > stmtStart && isSpace(text.charCodeAt(trimmed - 1))) trimmed--;
    // An empty statement (`;;`, a `;` on its own line) is valid and sends nothing, so it
    // never reaches the parser, which would reject the empty string.
    if (stmtStart >= 0 && trimmed > stmtStart) {
      if (findPlaceholders) vars = findPlaceholders(stmtStart, trimmed, vars, blanks);
      statements.push({
        start: stmtStart,
        end: trimmed,
        parseText: buildParseText(text, stmtStart, trimmed, vars, blanks),
        variables: vars,
        semicolon,
      });
    }
    stmtStart = -1;
    parens = 0;
    atomicDepth = 0;
    sawAtomic = false;
    lastWord = '';
    vars = [];
    blanks = [];
  };
  const begin = (i: number) => {
    inToken = true;
    if (stmtStart < 0) stmtStart = i;
  };

  let i = from;
  while (i < n) {
    if (inToken) {
      lastEnd = i;
      inToken = false;
    }
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    // -- comment
    if (c === 45 && text.charCodeAt(i + 1) === 45) {
      let j = i + 2;
      while (j < n && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
      // goose, sql-migrate and dbmate cut the file at their Up/Down markers, so a statement
      // without a final semicolon ends there instead of running into the next section.
      if (stmtStart >= 0 && isSectionMarkerAt(text, i, j)) finish(i, -1);
      comments.push({ start: i, end: j, body: text.slice(i + 2, j) });
      i = j;
      continue;
    }
    // /* comment */, nested as in PostgreSQL
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (text.charCodeAt(j) === 47 && text.charCodeAt(j + 1) === 42) {
          depth++;
          j += 2;
        } else if (text.charCodeAt(j) === 42 && text.charCodeAt(j + 1) === 47) {
          depth--;
          j += 2;
        } else j++;
      }
      if (depth > 0) {
        // Unterminated: let the parser report it as part of a statement.
        begin(i);
        i = n;
        continue;
      }
      comments.push({ start: i, end: j, body: text.slice(i + 2, j - 2) });
      i = j;
      continue;
    }
    // psql meta-command: from the backslash to the end of the line.
    if (c === 92) {
      let j = i;
      while (j < n && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
      const line = text.slice(i, j);
      skipped.push({ start: i, end: j });
      if (stmtStart >= 0) {
        blanks.push({ start: i, end: j });
        if (SENDING_META.test(line)) finish(i, -1);
      }
      i = j;
      continue;
    }
    begin(i);
    // Quoted strings: '...', E'...' (backslash escapes), U&'...', B'', X'', N''.
    if (c === 39) {
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      const escapes = (prev === 69 || prev === 101) && !(i > 1 && isIdentChar(text.charCodeAt(i - 2)));
      i = skipQuoted(text, i, 39, escapes);
      lastWord = '';
      continue;
    }
    if (c === 34) {
      i = skipQuoted(text, i, 34, false);
      lastWord = '';
      continue;
    }
    // Dollar quotes: $tag$ ... $tag$ (but not $1 parameters).
    if (c === 36) {
      const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64));
      if (m && !(i > 0 && isIdentChar(text.charCodeAt(i - 1)))) {
        const tag = m[0];
        const close = text.indexOf(tag, i + tag.length);
        const end = close < 0 ? n : close;
        collectBodyDirectives(text, i + tag.length, end, comments);
        i = close < 0 ? n : close + tag.length;
        lastWord = '';
        continue;
      }
      i++;
      continue;
    }
    // psql variables: :name, :'name', :"name" (not :: casts).
    if (c === 58) {
      const next = text.charCodeAt(i + 1);
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      if (prev !== 58 && next !== 58) {
        if ((next === 39 || next === 34) && isIdentStart(text.charCodeAt(i + 2))) {
          let j = i + 2;
          while (j < n && isIdentChar(text.charCodeAt(j))) j++;
          if (text.charCodeAt(j) === next) {
            vars.push({ start: i, end: j + 1, name: text.slice(i + 2, j), kind: next === 39 ? 'literal' : 'identifier' });
            i = j + 1;
            continue;
          }
        } else if (isIdentStart(next)) {
          let j = i + 1;
          while (j < n && isIdentChar(text.charCodeAt(j))) j++;
          vars.push({ start: i, end: j, name: text.slice(i + 1, j), kind: 'raw' });
          i = j;
          continue;
        }
      }
      i++;
      continue;
    }
    if (c === 40) {
      parens++;
      i++;
      continue;
    }
    if (c === 41) {
      if (parens > 0) parens--;
      i++;
      continue;
    }
    if (c === 59) {
      if (parens === 0 && atomicDepth === 0) {
        const count = statements.length;
        finish(i, i);
        i++;
        // Only after a statement this `;` ended (an empty one leaves the previous statement
        // last, which decides whether COPY data follows) that is not a COPY.
        if (sync && statements.length > count && !COPY_FROM_STDIN.test(statements[count].parseText) && sync(i)) return i;
        i = skipCopyData(text, i, statements, skipped);
        continue;
      }
      i++;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(text.charCodeAt(j))) j++;
      const word = blockWord(text, i, j);
      // BEGIN ATOMIC bodies (SQL-standard function bodies) contain semicolons.
      if (word === 'atomic' && lastWord === 'begin') {
        sawAtomic = true;
        atomicDepth++;
      } else if (sawAtomic && (word === 'begin' || word === 'case')) {
        atomicDepth++;
      } else if (sawAtomic && word === 'end' && atomicDepth > 0) {
        atomicDepth--;
      }
      lastWord = word;
      i = j;
      continue;
    }
    i++;
  }
  if (inToken) lastEnd = i;
  finish(n, -1);
  return n;
}

/**
 * Suppression comments inside a dollar-quoted function body (`-- pgwarden-disable-next-line`
 * above an EXECUTE, as the "Disable for this line" quick fix writes it) count like any
 * other: only `--` comments naming a pgwarden directive are taken, so ordinary body text
 * is never mistaken for a comment.
 */
function collectBodyDirectives(text: string, from: number, to: number, comments: Comment[]): void {
  // Searched within the body only: indexOf over the whole document from every body would
  // make splitting quadratic in the number of function bodies.
  const body = text.slice(0, to);
  let at = body.indexOf('pgwarden-', from);
  while (at >= 0) {
    const lineStart = Math.max(from, text.lastIndexOf('\n', at) + 1);
    const dash = text.indexOf('--', lineStart);
    let lineEnd = text.indexOf('\n', at);
    if (lineEnd < 0 || lineEnd > to) lineEnd = to;
    if (lineEnd > 0 && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    if (dash >= 0 && dash < at && /^--\s*pgwarden-/.test(text.slice(dash, at + 9))) {
      comments.push({ start: dash, end: lineEnd, body: text.slice(dash + 2, lineEnd) });
    }
    at = body.indexOf('pgwarden-', lineEnd);
  }
}

function skipQuoted(text: string, i: number, quote: number, backslashEscapes: boolean): number {
  const n = text.length;
  let j = i + 1;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (backslashEscapes && c === 92) {
      j += 2;
      continue;
    }
    if (c === quote) {
      if (text.charCodeAt(j + 1) === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return n;
}

const COPY_FROM_STDIN = /^\s*copy\b[\s\S]*\bfrom\s+stdin\b/i;

/**
 * After `COPY ... FROM stdin;` psql sends the following lines as data up to a line `\.`.
 * Those lines are not SQL, so they are skipped.
 */
function skipCopyData(
  text: string,
  i: number,
  statements: Statement[],
  skipped: Array<{ start: number; end: number }>,
): number {
  const last = statements[statements.length - 1];
  if (!last || !COPY_FROM_STDIN.test(last.parseText)) return i;
  let lineEnd = text.indexOf('\n', i);
  if (lineEnd < 0) return text.length;
  const dataStart = lineEnd + 1;
  let pos = dataStart;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end).replace(/\r$/, '');
    if (line === '\\.') {
      skipped.push({ start: dataStart, end });
      return end;
    }
    pos = end + 1;
  }
  skipped.push({ start: dataStart, end: text.length });
  return text.length;
}

/**
 * The parser's copy of a statement: psql variables become placeholders of the same
 * length (`:'pw'` -> `':pw'`, a string literal; `:"x"` -> `":x"`, a quoted name; `:x` ->
 * `_x`, a name), and skipped meta-commands become spaces.
 */
function buildParseText(
  text: string,
  start: number,
  end: number,
  vars: PsqlVariable[],
  blanks: Array<{ start: number; end: number }>,
): string {
  if (vars.length === 0 && blanks.length === 0) return text.slice(start, end);
  const chars = text.slice(start, end).split('');
  for (const v of vars) {
    const s = v.start - start;
    if (v.kind === 'placeholder') for (let k = 0; k < v.replacement!.length; k++) chars[s + k] = v.replacement![k];
    else if (v.kind === 'raw') chars[s] = '_';
    else {
      const q = v.kind === 'literal' ? "'" : '"';
      chars[s] = q;
      chars[s + 1] = ':';
    }
  }
  for (const b of blanks) {
    for (let k = b.start - start; k < Math.min(b.end, end) - start; k++) chars[k] = ' ';
  }
  return chars.join('');
}

type PlaceholderFinder = (start: number, end: number, vars: PsqlVariable[], blanks: ReadonlyArray<{ start: number; end: number }>) => PsqlVariable[];

/**
 * Finds template placeholders statement by statement, in document order. Each rule keeps
 * its next match, so one scan costs one pass of each expression over the text, however
 * many statements it has. A match that crosses the statement's end, or overlaps a psql
 * variable, a blanked meta-command or an earlier placeholder, is left alone.
 */
function placeholderFinder(text: string, rules: readonly PlaceholderRule[]): PlaceholderFinder | undefined {
  if (rules.length === 0) return undefined;
  const finders = rules.map((rule) => ({
    rule,
    re: new RegExp(rule.pattern.source, rule.pattern.flags.includes('g') ? rule.pattern.flags : rule.pattern.flags + 'g'),
    next: undefined as RegExpExecArray | null | undefined,
  }));
  return (start, end, vars, blanks) => {
    let out = vars;
    // A placeholder wins over the psql variables inside it (`@extschema:name@` holds `:name`).
    const taken = (s: number, e: number) =>
      out.some((v) => s < v.end && v.start < e && (v.kind === 'placeholder' || v.start < s || v.end > e)) || blanks.some((b) => s < b.end && b.start < e);
    for (const f of finders) {
      if (f.next === undefined || (f.next !== null && f.next.index < start)) {
        f.re.lastIndex = start;
        f.next = f.re.exec(text);
      }
      while (f.next && f.next.index < end) {
        const m = f.next;
        const mEnd = m.index + m[0].length;
        if (m[0].length > 0 && mEnd <= end && !taken(m.index, mEnd)) {
          out = out.filter((v) => !(v.start >= m.index && v.end <= mEnd));
          out.push({ start: m.index, end: mEnd, name: m[0], kind: 'placeholder', replacement: standIn(text, m.index, mEnd, f.rule.as, { start, end }) });
        }
        f.re.lastIndex = Math.max(mEnd, m.index + 1);
        f.next = f.re.exec(text);
      }
    }
    if (out !== vars) out.sort((a, b) => a.start - b.start);
    return out;
  };
}
