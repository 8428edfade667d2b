// The postgresql.conf lexer and parser, written to accept exactly what the server's
// guc-file.l accepts. Flex picks the longest match and, on a tie, the earlier rule; the
// rules (in order) are: newline, blanks [ \t\r], `#` comment, ID, QUALIFIED_ID (ID.ID),
// STRING ('...' with '' and backslash escapes, no newline), UNQUOTED_STRING (a letter
// then letters, digits and -._:/), INTEGER (sign, digits or 0x hex, then unit letters),
// REAL (sign, digits, a dot, digits, exponent), `=`, and any other character as an error.
// A line is `name [=] value` with name an ID or QUALIFIED_ID; anything else on the line
// is a syntax error, reported the way the server does ("near token" or "near end of line").
// Bytes >= 0x80 are letters for the server, so every non-ASCII UTF-16 unit is one here.
//
// The parser never throws and is linear in the input: after a syntax error it reads the
// rest of the line token by token like the server (so comments there still count), and
// string scans that fail are remembered so unmatched quotes cannot make that quadratic.

export type TokenKind = 'id' | 'qualified' | 'string' | 'unquoted' | 'integer' | 'real' | 'equals' | 'error' | 'eol' | 'eof';

export interface Token {
  kind: TokenKind;
  /** UTF-16 offsets into the text. */
  start: number;
  end: number;
}

export interface ConfEntry {
  /** The name as written, and lower-cased (names are case-insensitive, ASCII only). */
  name: string;
  key: string;
  nameStart: number;
  nameEnd: number;
  /** The value token as written (quotes included) and its range. */
  raw: string;
  valueStart: number;
  valueEnd: number;
  /** The value the server sees: quotes stripped and escapes resolved. */
  value: string;
  quoted: boolean;
  valueKind: TokenKind;
  /** 0-based line of the entry (the server reports line + 1). */
  line: number;
  /** include, include_if_exists or include_dir, when the line is a directive. */
  directive?: 'include' | 'include_if_exists' | 'include_dir';
}

export interface ConfSyntaxError {
  start: number;
  end: number;
  line: number;
  /** The server's text: `syntax error near token "x"` or `syntax error near end of line`. */
  message: string;
}

export interface ConfComment {
  start: number;
  end: number;
  /** The text after `#`. */
  body: string;
}

export interface ParsedConf {
  text: string;
  entries: ConfEntry[];
  errors: ConfSyntaxError[];
  comments: ConfComment[];
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isLetter = (c: number) => isAlpha(c) || c === 95 || c >= 0x80;
const isLetterOrDigit = (c: number) => isLetter(c) || isDigit(c);
// UNQUOTED_STRING's extra characters: - . _ : /
const isUnquotedChar = (c: number) => isLetterOrDigit(c) || c === 45 || c === 46 || c === 58 || c === 47;

/** The lexer: one token at a time, comments collected on the side. */
export class ConfLexer {
  pos = 0;
  line = 0;
  private readonly failedStrings: FailedScans;

  constructor(
    readonly text: string,
    private readonly onComment?: (c: ConfComment) => void,
  ) {
    this.failedStrings = new FailedScans(text.length);
  }

  next(): Token {
    const t = this.text;
    const n = t.length;
    for (;;) {
      if (this.pos >= n) return { kind: 'eof', start: n, end: n };
      const c = t.charCodeAt(this.pos);
      if (c === 10) {
        const start = this.pos++;
        this.line++;
        return { kind: 'eol', start, end: start + 1 };
      }
      if (c === 32 || c === 9 || c === 13) {
        this.pos++;
        continue;
      }
      if (c === 35) {
        const start = this.pos;
        let j = start + 1;
        while (j < n && t.charCodeAt(j) !== 10) j++;
        this.onComment?.({ start, end: j, body: t.slice(start + 1, j) });
        this.pos = j;
        continue;
      }
      break;
    }
    const start = this.pos;
    const c = t.charCodeAt(start);
    // Strictly longer wins; on a tie the earlier rule, tried first, stays.
    let best = 0;
    let kind: TokenKind = 'error';
    if (isLetter(c)) {
      let j = start + 1;
      while (j < n && isLetterOrDigit(t.charCodeAt(j))) j++;
      const idEnd = j;
      best = idEnd - start;
      kind = 'id';
      if (t.charCodeAt(idEnd) === 46 && idEnd + 1 < n && isLetter(t.charCodeAt(idEnd + 1))) {
        let k = idEnd + 2;
        while (k < n && isLetterOrDigit(t.charCodeAt(k))) k++;
        best = k - start;
        kind = 'qualified';
      }
      let u = idEnd;
      while (u < n && isUnquotedChar(t.charCodeAt(u))) u++;
      if (u - start > best) {
        best = u - start;
        kind = 'unquoted';
      }
    } else if (c === 39) {
      best = stringLength(t, start, this.failedStrings);
      kind = 'string';
    } else if (c === 61) {
      best = 1;
      kind = 'equals';
    } else if (isDigit(c) || c === 43 || c === 45 || c === 46) {
      best = integerLength(t, start);
      kind = 'integer';
      const r = realLength(t, start);
      if (r > best) {
        best = r;
        kind = 'real';
      }
    }
    if (best === 0) {
      // Flex's `.` rule: one character (a whole surrogate pair never reaches here,
      // because its units are letters).
      best = 1;
      kind = 'error';
    }
    this.pos = start + best;
    return { kind, start, end: start + best };
  }
}

/**
 * Failed string scans, remembered per position: 0 = unknown, otherwise 1 + the index just
 * after the last quote that could have closed the string (0 when none could).
 */
class FailedScans {
  private memo: Int32Array | undefined;
  constructor(private readonly size: number) {}
  get(pos: number): number {
    return this.memo ? this.memo[pos] : 0;
  }
  set(pos: number, lastCandidate: number): void {
    (this.memo ??= new Int32Array(this.size + 1))[pos] = lastCandidate + 1;
  }
}

/**
 * Length of a quoted string at `start`, or 0 when it is not closed on this line: the
 * longest match of '([^'\\\n]|\\.|'')*'. The scan is a deterministic walk (a backslash
 * takes two characters, a doubled quote two, a single quote closes), so a walk that fails
 * is remembered position by position: after a syntax error the lexer goes on to the end
 * of the line like the server, and a line full of unmatched quotes stays linear.
 */
function stringLength(t: string, start: number, failed: FailedScans): number {
  const n = t.length;
  const steps: number[] = [];
  const candidates: number[] = [];
  let j = start + 1;
  let tail = -1; // the last candidate after the walk's end, when it failed
  for (;;) {
    const known = failed.get(j);
    if (known) {
      tail = known - 1;
      break;
    }
    const c = t.charCodeAt(j);
    if (j >= n || c === 10 || (c === 92 && (j + 1 >= n || t.charCodeAt(j + 1) === 10))) {
      tail = 0;
      break;
    }
    if (c === 39) {
      if (t.charCodeAt(j + 1) !== 39) return j + 1 - start;
      steps.push(j);
      candidates.push(j + 1);
      j += 2;
    } else {
      steps.push(j);
      candidates.push(0);
      j += c === 92 ? 2 : 1;
    }
  }
  // The walk failed: remember it for every position on it, furthest candidate first.
  let last = tail;
  for (let k = steps.length - 1; k >= 0; k--) {
    if (!last && candidates[k]) last = candidates[k];
    failed.set(steps[k], last);
  }
  return last ? last - start : 0;
}

function integerLength(t: string, start: number): number {
  const n = t.length;
  let j = start;
  if (t.charCodeAt(j) === 43 || t.charCodeAt(j) === 45) j++;
  let best = 0;
  // 0x followed by hex digits
  if (t.charCodeAt(j) === 48 && t.charCodeAt(j + 1) === 120 && j + 2 < n && isHex(t.charCodeAt(j + 2))) {
    let k = j + 2;
    while (k < n && isHex(t.charCodeAt(k))) k++;
    while (k < n && isAlpha(t.charCodeAt(k))) k++;
    best = k - start;
  }
  if (isDigit(t.charCodeAt(j))) {
    let k = j;
    while (k < n && isDigit(t.charCodeAt(k))) k++;
    while (k < n && isAlpha(t.charCodeAt(k))) k++;
    best = Math.max(best, k - start);
  }
  return best;
}

function realLength(t: string, start: number): number {
  const n = t.length;
  let j = start;
  if (t.charCodeAt(j) === 43 || t.charCodeAt(j) === 45) j++;
  while (j < n && isDigit(t.charCodeAt(j))) j++;
  if (t.charCodeAt(j) !== 46) return 0;
  j++;
  while (j < n && isDigit(t.charCodeAt(j))) j++;
  const c = t.charCodeAt(j);
  if (c === 69 || c === 101) {
    let k = j + 1;
    if (t.charCodeAt(k) === 43 || t.charCodeAt(k) === 45) k++;
    if (isDigit(t.charCodeAt(k))) {
      while (k < n && isDigit(t.charCodeAt(k))) k++;
      j = k;
    }
  }
  return j - start;
}

/**
 * Strips the quotes of a STRING token and resolves its escapes like DeescapeQuotedString.
 * The server works on bytes: an octal escape is one byte, so `'\303\251'` is "é" in a
 * UTF-8 file. Escapes are collected as bytes and decoded as UTF-8 at the end.
 */
export function unquote(raw: string): string {
  const end = raw.length - 1;
  if (!/[\\]/.test(raw)) return raw.slice(1, end).replace(/''/g, "'");
  const bytes: number[] = [];
  const push = (text: string) => {
    for (const b of utf8(text)) bytes.push(b);
  };
  for (let i = 1; i < end; i++) {
    const c = raw[i];
    if (c === '\\') {
      i++;
      const e = raw[i];
      const simple: Record<string, number> = { b: 8, f: 12, n: 10, r: 13, t: 9 };
      if (e !== undefined && simple[e] !== undefined) bytes.push(simple[e]);
      else if (e !== undefined && e >= '0' && e <= '7') {
        let k = 0;
        let v = 0;
        while (k < 3 && i + k < end && raw[i + k] >= '0' && raw[i + k] <= '7') {
          v = v * 8 + (raw.charCodeAt(i + k) - 48);
          k++;
        }
        i += k - 1;
        bytes.push(v & 0xff);
      } else if (e !== undefined) push(e);
    } else if (c === "'" && raw[i + 1] === "'") {
      bytes.push(39);
      i++;
    } else {
      // Keep a surrogate pair together.
      const cp = raw.codePointAt(i)!;
      push(String.fromCodePoint(cp));
      if (cp > 0xffff) i++;
    }
  }
  return new TextDecoder('utf-8').decode(new Uint8Array(bytes));
}

function utf8(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return out;
}

/** Quotes a value for postgresql.conf: doubles quotes and backslashes. */
export function quote(value: string): string {
  return "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
}

const DIRECTIVES = new Set(['include', 'include_if_exists', 'include_dir']);

/** ASCII-only lower-casing, as guc_name_compare does. */
export function foldName(name: string): string {
  return name.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

export function parseConf(text: string): ParsedConf {
  const comments: ConfComment[] = [];
  const entries: ConfEntry[] = [];
  const errors: ConfSyntaxError[] = [];
  const lx = new ConfLexer(text, (c) => comments.push(c));
  for (;;) {
    let tok = lx.next();
    if (tok.kind === 'eof') break;
    if (tok.kind === 'eol') continue;
    const lineOfName = lx.line;
    let last = tok;
    const syntaxError = (bad: Token) => {
      if (bad.kind === 'eol' || bad.kind === 'eof') {
        // The server says "near end of line"; underline the last token before it.
        errors.push({ start: last.start, end: last.end, line: lineOfName, message: 'syntax error near end of line' });
        return;
      }
      errors.push({
        start: bad.start,
        end: bad.end,
        line: lineOfName,
        message: `syntax error near token "${truncate(text.slice(bad.start, bad.end))}"`,
      });
      // Resync like the server: read tokens to the end of the line (comments included).
      for (let t = lx.next(); t.kind !== 'eol' && t.kind !== 'eof'; t = lx.next());
    };
    if (tok.kind !== 'id' && tok.kind !== 'qualified') {
      syntaxError(tok);
      continue;
    }
    const nameTok = tok;
    tok = lx.next();
    if (tok.kind === 'equals') {
      last = tok;
      tok = lx.next();
    }
    if (tok.kind !== 'id' && tok.kind !== 'string' && tok.kind !== 'integer' && tok.kind !== 'real' && tok.kind !== 'unquoted') {
      syntaxError(tok);
      continue;
    }
    const valueTok = tok;
    last = tok;
    tok = lx.next();
    if (tok.kind !== 'eol' && tok.kind !== 'eof') {
      syntaxError(tok);
      continue;
    }
    const name = text.slice(nameTok.start, nameTok.end);
    const key = foldName(name);
    const raw = text.slice(valueTok.start, valueTok.end);
    const quoted = valueTok.kind === 'string';
    const entry: ConfEntry = {
      name,
      key,
      nameStart: nameTok.start,
      nameEnd: nameTok.end,
      raw,
      valueStart: valueTok.start,
      valueEnd: valueTok.end,
      value: quoted ? unquote(raw) : raw,
      quoted,
      valueKind: valueTok.kind,
      line: lineOfName,
    };
    if (DIRECTIVES.has(key)) entry.directive = key as ConfEntry['directive'];
    entries.push(entry);
    if (tok.kind === 'eof') break;
  }
  return { text, entries, errors, comments };
}

function truncate(s: string): string {
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}
