// The pg_hba.conf lexer, following the server's tokenizer (hba.c: tokenize_auth_file and
// next_token) step by step, because its quirks decide what a record means:
// - lines end at '\n' only; trailing '\r's are stripped, a lone '\r' is a blank;
// - from 14, a physical line whose content ends in '\' continues on the next line, the
//   backslash is removed and the lines are joined with nothing between them, even inside
//   quotes and comments; the record keeps the number of its first line;
// - blanks are space, tab and '\r'; '#' outside quotes starts a comment to the end of the
//   logical line; '""' inside quotes is a quote; an unclosed quote runs to the end;
// - a comma ends a token and the field goes on with the next token, skipping blanks and
//   commas first, so `a, b` is one field;
// - a token is "quoted" (not a keyword) only when a quote comes before its first character.
// Every token keeps its UTF-16 range in the document; a token can span a continuation.

import { CommentSpan } from '../suppress';

export interface HbaToken {
  /** The token as the server sees it: quotes removed, `""` made `"`. */
  value: string;
  /** A quote came before the first character: the server never reads it as a keyword. */
  quoted: boolean;
  /** Any quote in the token. */
  sawQuote: boolean;
  /** UTF-16 document offsets of the raw token text (quotes included). */
  start: number;
  end: number;
  /** Set when the token came from an @file: the path it was read from. */
  fromFile?: string;
}

export interface HbaField {
  tokens: HbaToken[];
  start: number;
  end: number;
}

export interface LogicalLine {
  /** 1-based line number as the server counts it ('\n' only), of the first physical line. */
  lineNumber: number;
  /** Document offsets: start of the first physical line, end of the last one's content. */
  start: number;
  end: number;
  /** End of the first physical line's content (before a continuation backslash). */
  firstLineEnd: number;
  /** Physical lines joined into this one. */
  physicalLines: number;
  fields: HbaField[];
  comment?: CommentSpan;
  /** The joined text the server tokenizes (continuations removed). */
  text: string;
}

interface Segment {
  bufStart: number;
  docStart: number;
}

const isBlank = (c: number) => c === 32 || c === 9 || c === 13;

/**
 * The server's line buffer: its capacity grows and is reused for every line of a file.
 * `fixed` is 13's reader instead: one fgets per line into a fixed buffer, kept up to its
 * first NUL (strlen), so a NUL drops the rest of its own line and never joins two lines.
 */
interface ReadState {
  maxlen: number;
  fixed?: boolean;
}

const utf8Len = (text: string, a: number, b: number): number => {
  let bytes = 0;
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < b) {
      bytes += 4;
      i++;
    } else bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  return bytes;
};

/**
 * One line as the server's pg_get_line_append reads it: up to and including '\n'. Without
 * a NUL byte in the text that is simply the text up to the newline. With one, the reading
 * matters: fgets fills the free space of the reused line buffer (1024 bytes at first,
 * doubled as lines grow) and the server keeps each chunk only up to its first NUL, so a
 * NUL drops the rest of its chunk, and when the newline is in the dropped part the next
 * physical line joins this one.
 */
function readServerLine(text: string, pos: number, state: ReadState | undefined, bufBytes: number): { pieces: Array<[number, number]>; next: number } {
  const n = text.length;
  if (!state || state.fixed) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? n : nl;
    const z = state ? text.indexOf('\0', pos) : -1;
    return { pieces: [[pos, z >= 0 && z < end ? z : end]], next: nl < 0 ? n : nl + 1 };
  }
  const pieces: Array<[number, number]> = [];
  let len = bufBytes;
  let p = pos;
  while (p < n) {
    const room = state.maxlen - len - 1;
    let q = p;
    let bytes = 0;
    let newline = false;
    while (q < n) {
      const c = text.charCodeAt(q);
      const w = c >= 0xd800 && c <= 0xdbff && q + 1 < n ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      if (bytes + w > room) break;
      bytes += w;
      q += w === 4 ? 2 : 1;
      if (c === 10) {
        newline = true;
        break;
      }
    }
    if (q === p) q = p + 1;
    const z = text.indexOf('\0', p);
    if (z >= 0 && z < q) {
      pieces.push([p, z]);
      len += utf8Len(text, p, z);
    } else {
      pieces.push([p, newline ? q - 1 : q]);
      len += bytes;
      if (newline) return { pieces, next: q };
    }
    // enlargeStringInfo(buf, 128): double the capacity until 128 more bytes fit.
    if (len + 129 > state.maxlen) {
      let m = state.maxlen * 2;
      while (len + 129 > m) m *= 2;
      state.maxlen = m;
    }
    p = q;
  }
  return { pieces, next: n };
}

/**
 * Splits text into logical lines with their tokens. `continuation` is false before 14,
 * when a trailing backslash is an ordinary character.
 */
export function tokenizeLines(text: string, continuation: boolean): LogicalLine[] {
  const out: LogicalLine[] = [];
  const n = text.length;
  let pos = 0;
  let lineNumber = 1;
  // Only text with a NUL byte needs the server's buffer arithmetic; 13 (the last without
  // continuations) read lines with a plain fgets, checked against a real 13 server.
  const state: ReadState | undefined = text.includes('\0') ? { maxlen: 1024, fixed: !continuation } : undefined;
  while (pos < n) {
    const start = pos;
    if (!state) {
      // The common case, without allocations beyond the line's own: one physical line
      // that does not continue, whose buffer is a plain slice of the document.
      const nl = text.indexOf('\n', pos);
      const next = nl < 0 ? n : nl + 1;
      let e = nl < 0 ? n : nl;
      while (e > pos && text.charCodeAt(e - 1) === 13) e--;
      if (!(continuation && e > pos && text.charCodeAt(e - 1) === 92)) {
        out.push(tokenizeLogical(text.slice(pos, e), undefined, pos, lineNumber, start, e, e, 1));
        lineNumber++;
        pos = next;
        continue;
      }
    }
    const segments: Segment[] = [];
    let buf = '';
    let firstLineEnd = -1;
    let physical = 0;
    let end = pos;
    for (;;) {
      const { pieces, next } = readServerLine(text, pos, state, state ? utf8Len(buf, 0, buf.length) : 0);
      physical++;
      // Trailing carriage returns go (pg_strip_crlf), then a final backslash continues the line.
      const last = pieces[pieces.length - 1];
      while (last[1] > last[0] && text.charCodeAt(last[1] - 1) === 13) last[1]--;
      const cont = continuation && last[1] > last[0] && text.charCodeAt(last[1] - 1) === 92;
      if (cont) last[1]--;
      for (const [a, b] of pieces) {
        if (b <= a) continue;
        segments.push({ bufStart: buf.length, docStart: a });
        buf += text.slice(a, b);
      }
      if (firstLineEnd < 0) firstLineEnd = pieces.length === 1 ? last[1] : pieces[0][1];
      end = last[1];
      pos = next;
      if (!cont || pos >= n) break;
    }
    if (segments.length === 0) segments.push({ bufStart: 0, docStart: start });
    out.push(tokenizeLogical(buf, segments.length === 1 ? undefined : segments, segments[0].docStart, lineNumber, start, end, firstLineEnd, physical));
    lineNumber += physical;
  }
  return out;
}

function segmentOffset(segments: Segment[], i: number): number {
  let s = segments[0];
  for (let k = 1; k < segments.length && segments[k].bufStart <= i; k++) s = segments[k];
  return s.docStart + (i - s.bufStart);
}

/** Buffer index -> document offset: a plain shift for one segment (the common case). */
const toDoc = (segments: Segment[] | undefined, shift: number, i: number): number => (segments ? segmentOffset(segments, i) : shift + i);

/** The end offset of a token ending just before buffer index i (exclusive). */
const endDoc = (segments: Segment[] | undefined, shift: number, i: number): number =>
  i <= 0 ? toDoc(segments, shift, 0) : toDoc(segments, shift, i - 1) + 1;

/**
 * Tokenizes one logical line. `segments` maps buffer indexes to document offsets when the
 * line was joined from several pieces; without it, buffer index i is document offset shift + i.
 */
function tokenizeLogical(
  buf: string,
  segments: Segment[] | undefined,
  shift: number,
  lineNumber: number,
  start: number,
  end: number,
  firstLineEnd: number,
  physicalLines: number,
): LogicalLine {
  // NUL bytes were dropped while reading (readServerLine).
  const n = buf.length;
  const fields: HbaField[] = [];
  let comment: CommentSpan | undefined;
  let i = 0;
  while (i < n) {
    let tokens: HbaToken[] | undefined;
    let single: HbaToken | undefined;
    let trailingComma = false;
    do {
      // Skip blanks and commas before the token.
      while (i < n && (isBlank(buf.charCodeAt(i)) || buf.charCodeAt(i) === 44)) i++;
      let inQuote = false;
      let wasQuote = false;
      let sawQuote = false;
      let quoted = false;
      let value = '';
      const tokStart = i;
      let tokEnd = -1;
      trailingComma = false;
      while (i < n) {
        const cc = buf.charCodeAt(i);
        if (!inQuote && (cc === 32 || cc === 9 || cc === 13)) break;
        if (!sawQuote && cc !== 34 && cc !== 35 && cc !== 44) {
          // No quote yet: the value is the raw text, sliced once at the end.
          i++;
          continue;
        }
        const c = buf[i];
        if (c === '#' && !inQuote) {
          // A comment runs to the end of the logical line, continuations included.
          comment = { start: toDoc(segments, shift, i), end: endDoc(segments, shift, n), body: buf.slice(i + 1, n) };
          tokEnd = i;
          i = n;
          break;
        }
        if (c === ',' && !inQuote) {
          trailingComma = true;
          break;
        }
        if (!sawQuote && c !== '"') {
          i++;
          continue;
        }
        if (!sawQuote) value = buf.slice(tokStart, i);
        if (c !== '"' || wasQuote) value += c;
        if (inQuote && c === '"') wasQuote = !wasQuote;
        else wasQuote = false;
        if (c === '"') {
          inQuote = !inQuote;
          sawQuote = true;
          if (value.length === 0) quoted = true;
        }
        i++;
      }
      const e = tokEnd < 0 ? i : tokEnd;
      if (!sawQuote) value = buf.slice(tokStart, e);
      if (!(sawQuote || value.length > 0)) break;
      const tok: HbaToken = { value, quoted, sawQuote, start: toDoc(segments, shift, tokStart), end: endDoc(segments, shift, e) };
      // Most fields hold one token: no list is built for them until a second one comes.
      if (!single) single = tok;
      else (tokens ??= [single]).push(tok);
    } while (trailingComma);
    // slice() leaves arrays of their exact size: a pushed-to array keeps spare capacity,
    // which for 10,000 records would be most of the parse's memory.
    if (single) {
      const list = tokens ? tokens.slice() : [single];
      fields.push({ tokens: list, start: single.start, end: list[list.length - 1].end });
    }
  }
  return { lineNumber, start, end, firstLineEnd, physicalLines, fields: fields.slice(), comment, text: buf };
}
