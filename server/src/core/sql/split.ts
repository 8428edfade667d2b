// Splits a SQL file (or a psql script) into statements without the server's parser.
//
// Why not libpg-query's scanner: it costs as much as a full parse, knows nothing of psql,
// and throws on the unterminated quotes a file has while someone types. This splitter
// follows psql's own lexer (psqlscan.l) for what decides a boundary: quotes, E'' escapes,
// dollar quotes, nested block comments, parenthesis depth, BEGIN ATOMIC bodies,
// backslash meta-commands, `:var` interpolation and inline COPY ... FROM stdin data.

export interface PsqlVariable {
  /** UTF-16 offsets of the whole reference, `:'name'` included, in the document. */
  start: number;
  end: number;
  name: string;
  kind: 'literal' | 'identifier' | 'raw';
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

export function splitSql(text: string): SplitResult {
  const statements: Statement[] = [];
  const comments: Comment[] = [];
  const skipped: Array<{ start: number; end: number }> = [];
  const n = text.length;

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

  let i = 0;
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
        finish(i, i);
        i++;
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
  return { statements, comments, skipped };
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
  if (!last || !/^\s*copy\b[\s\S]*\bfrom\s+stdin\b/i.test(last.parseText)) return i;
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
    if (v.kind === 'raw') chars[s] = '_';
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
