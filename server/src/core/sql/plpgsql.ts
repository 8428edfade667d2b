// Reading routine and DO bodies: where the body string stands in the document, its text as
// the server sees it (quotes undoubled, E-string escapes decoded) with where each of its
// characters came from, and the PL/pgSQL statements in source order. Shared by the nested
// SQL units (nested.ts) and the rules that read bodies.

/**
 * Text with, for each of its characters, the offset it came from (relative to whatever
 * base the producer chose). `from` is undefined when the text is a verbatim copy starting
 * at `at`, so offset i came from at + i.
 */
export interface MappedText {
  text: string;
  at: number;
  from?: number[];
}

/** Where character i of a mapped text came from; i == text.length maps just past the last one. */
export function sourceOf(m: MappedText, i: number): number {
  if (!m.from) return m.at + i;
  if (m.from.length === 0) return m.at;
  if (i < m.from.length) return m.from[i];
  return m.from[m.from.length - 1] + 1;
}

/** Whether a mapped text is a verbatim copy of one contiguous stretch of its source. */
export function isVerbatim(m: MappedText): boolean {
  if (!m.from) return true;
  for (let i = 1; i < m.from.length; i++) if (m.from[i] !== m.from[0] + i) return false;
  return true;
}

/** A slice of a mapped text, still mapped. */
export function sliceMapped(m: MappedText, start: number, end: number): MappedText {
  if (!m.from) return { text: m.text.slice(start, end), at: m.at + start };
  return { text: m.text.slice(start, end), at: sourceOf(m, start), from: m.from.slice(start, end) };
}

/** Concatenation of mapped texts. */
export function concatMapped(parts: readonly MappedText[]): MappedText {
  if (parts.length === 1) return parts[0];
  const from: number[] = [];
  let text = '';
  for (const p of parts) {
    text += p.text;
    for (let i = 0; i < p.text.length; i++) from.push(sourceOf(p, i));
  }
  return { text, at: from[0] ?? parts[0]?.at ?? 0, from };
}

/** A text whose every character comes from one place (a substituted value). */
export function pinned(text: string, at: number): MappedText {
  return { text, at, from: new Array(text.length).fill(at) };
}

const SIMPLE_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * The string literal (or dollar-quoted string) starting at `open` in `src`, decoded, with
 * each character mapped to `base + ` its offset in `src`. Undefined when no literal starts
 * there (or it is a U& literal, whose escapes are not decoded here).
 */
export function decodeLiteral(src: string, open: number, base = 0): (MappedText & { end: number }) | undefined {
  let i = open;
  let escapes = false;
  if (src[i] === 'E' || src[i] === 'e') {
    escapes = true;
    i++;
  }
  if (src[i] === '$') {
    const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(src.slice(i, i + 64));
    if (!m || escapes) return undefined;
    const close = src.indexOf(m[0], i + m[0].length);
    if (close < 0) return undefined;
    const start = i + m[0].length;
    return { text: src.slice(start, close), at: base + start, end: close + m[0].length };
  }
  if (src[i] !== "'") return undefined;
  let text = '';
  const from: number[] = [];
  let verbatim = true;
  let j = i + 1;
  while (j < src.length) {
    const c = src[j];
    if (c === "'") {
      if (src[j + 1] === "'") {
        text += "'";
        from.push(base + j);
        verbatim = false;
        j += 2;
        continue;
      }
      return verbatim ? { text, at: base + i + 1, end: j + 1 } : { text, at: from[0] ?? base + i + 1, from, end: j + 1 };
    }
    if (escapes && c === '\\') {
      verbatim = false;
      const n = src[j + 1] ?? '';
      let value = n;
      let len = 2;
      if (SIMPLE_ESCAPES[n]) value = SIMPLE_ESCAPES[n];
      else if (/[0-7]/.test(n)) {
        const m = /^[0-7]{1,3}/.exec(src.slice(j + 1))!;
        value = String.fromCharCode(parseInt(m[0], 8));
        len = 1 + m[0].length;
      } else if (n === 'x' && /[0-9A-Fa-f]/.test(src[j + 2] ?? '')) {
        const m = /^[0-9A-Fa-f]{1,2}/.exec(src.slice(j + 2))!;
        value = String.fromCharCode(parseInt(m[0], 16));
        len = 2 + m[0].length;
      } else if (n === 'u' || n === 'U') {
        const digits = n === 'u' ? 4 : 8;
        const hex = src.slice(j + 2, j + 2 + digits);
        if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) return undefined;
        value = String.fromCodePoint(parseInt(hex, 16));
        len = 2 + digits;
      }
      for (let k = 0; k < value.length; k++) from.push(base + j);
      text += value;
      j += len;
      continue;
    }
    text += c;
    from.push(base + j);
    j++;
  }
  return undefined;
}

/** The DefElem options of a CREATE FUNCTION (options) or DO (args). */
function optionsOf(type: string, node: any): any[] {
  return ((type === 'DoStmt' ? node.args : node.options) ?? []).map((o: any) => o?.DefElem).filter(Boolean);
}

/** A routine's or DO block's language, lower-case ('plpgsql' for a DO block without one). */
export function routineLanguage(type: string, node: any): string | undefined {
  const lang = optionsOf(type, node).find((d) => d.defname === 'language')?.arg?.String?.sval;
  if (typeof lang === 'string') return lang.toLowerCase();
  return type === 'DoStmt' ? 'plpgsql' : node.sql_body ? 'sql' : undefined;
}

/**
 * The body string of a CREATE FUNCTION/PROCEDURE or DO statement, found in the statement's
 * parse text from the AS (or DO) clause's location: decoded as the server reads it, each
 * character mapped to its offset in the parse text. Undefined for C functions (AS 'obj',
 * 'symbol'), BEGIN ATOMIC bodies and bodies the text does not show.
 */
export function routineBody(type: string, node: any, parseText: string, locationToOffset: (byteLocation: number) => number): MappedText | undefined {
  const as = optionsOf(type, node).find((d) => d.defname === 'as');
  if (!as || typeof as.location !== 'number') return undefined;
  const items = as.arg?.List?.items;
  if (Array.isArray(items) && items.length !== 1) return undefined;
  const expected: unknown = items?.[0]?.String?.sval ?? as.arg?.String?.sval;
  if (typeof expected !== 'string') return undefined;
  let i = locationToOffset(as.location);
  // The location is the AS keyword's for functions and the string's for DO; comments may
  // stand between AS and the string.
  const m = /^(?:AS\b)?(?:\s+|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/i.exec(parseText.slice(i));
  i += m ? m[0].length : 0;
  const lit = decodeLiteral(parseText, i);
  if (!lit || lit.text !== expected) return undefined;
  return lit.from ? { text: lit.text, at: lit.at, from: lit.from } : { text: lit.text, at: lit.at };
}

/**
 * Where a PL/pgSQL statement's text (as the PL/pgSQL parser returns it) stands in the
 * body: searched from the start of its line (`lineno` counts from 1 at the body's first
 * line) and not before `from`. Returns the index in the body text, or -1.
 */
export function locateInBody(body: string, lineno: number, text: string, from: number): number {
  let lineStart = 0;
  for (let k = 1; k < lineno; k++) {
    const nl = body.indexOf('\n', lineStart);
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  const at = body.indexOf(text, Math.max(lineStart, from));
  return at;
}

/** PL/pgSQL statements in source order, nested blocks, branches, loops and handlers included. */
export function plpgsqlStatements(action: unknown, visit: (type: string, stmt: any) => void): void {
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k.startsWith('PLpgSQL_stmt_')) visit(k, x);
      if (x && typeof x === 'object') walk(x);
    }
  };
  walk(action);
}
