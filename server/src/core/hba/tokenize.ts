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
 * Splits text into logical lines with their tokens. `continuation` is false before 14,
 * when a trailing backslash is an ordinary character.
 */
export function tokenizeLines(text: string, continuation: boolean): LogicalLine[] {
  const out: LogicalLine[] = [];
  const n = text.length;
  let pos = 0;
  let lineNumber = 1;
  while (pos < n) {
    const segments: Segment[] = [];
    let buf = '';
    const start = pos;
    let firstLineEnd = -1;
    let physical = 0;
    let end = pos;
    for (;;) {
      let nl = text.indexOf('\n', pos);
      const lineEndWithBreak = nl < 0 ? n : nl;
      let contentEnd = lineEndWithBreak;
      while (contentEnd > pos && text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
      physical++;
      const next = nl < 0 ? n : nl + 1;
      const cont = continuation && contentEnd > pos && text.charCodeAt(contentEnd - 1) === 92;
      const keepEnd = cont ? contentEnd - 1 : contentEnd;
      segments.push({ bufStart: buf.length, docStart: pos });
      buf += text.slice(pos, keepEnd);
      if (firstLineEnd < 0) firstLineEnd = keepEnd;
      end = keepEnd;
      pos = next;
      if (!cont || pos >= n) break;
      nl = -1;
    }
    out.push(tokenizeLogical(buf, segments, { lineNumber, start, end, firstLineEnd, physicalLines: physical }));
    lineNumber += physical;
  }
  return out;
}

function tokenizeLogical(
  buf: string,
  segments: Segment[],
  base: Omit<LogicalLine, 'fields' | 'comment' | 'text'>,
): LogicalLine {
  // The server's strings end at a NUL byte: nothing after one counts.
  const nul = buf.indexOf('\0');
  const n = nul < 0 ? buf.length : nul;
  // Buffer index -> document offset; one physical line (the common case) is a plain shift.
  const single = segments.length === 1;
  const shift = segments[0].docStart;
  const toDoc = (i: number): number => {
    if (single) return shift + i;
    let s = segments[0];
    for (let k = 1; k < segments.length && segments[k].bufStart <= i; k++) s = segments[k];
    return s.docStart + (i - s.bufStart);
  };
  // The end offset of a token ending just before buffer index i (exclusive).
  const endDoc = (i: number): number => (i <= 0 ? toDoc(0) : toDoc(i - 1) + 1);
  const fields: HbaField[] = [];
  let comment: CommentSpan | undefined;
  let i = 0;
  while (i < n) {
    const tokens: HbaToken[] = [];
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
          comment = { start: toDoc(i), end: endDoc(n), body: buf.slice(i + 1, n) };
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
      if (!sawQuote) value = buf.slice(tokStart, tokEnd < 0 ? i : tokEnd);
      if (!(sawQuote || value.length > 0)) break;
      tokens.push(mk(value, quoted, sawQuote, tokStart, tokEnd < 0 ? i : tokEnd));
    } while (trailingComma);
    if (tokens.length) fields.push({ tokens, start: tokens[0].start, end: tokens[tokens.length - 1].end });
  }
  return {
    lineNumber: base.lineNumber,
    start: base.start,
    end: base.end,
    firstLineEnd: base.firstLineEnd,
    physicalLines: base.physicalLines,
    fields,
    comment,
    text: buf,
  };

  function mk(value: string, quoted: boolean, sawQuote: boolean, s: number, e: number): HbaToken {
    return { value, quoted, sawQuote, start: toDoc(s), end: endDoc(e) };
  }
}
