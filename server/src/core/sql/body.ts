// Where the body of a CREATE FUNCTION/PROCEDURE or a DO block lies in the document, and how
// an index into the body string the parser decoded maps back to a document offset. Rules
// that read the PL/pgSQL parse (whose line numbers and texts are relative to that decoded
// string) use it to put findings on the exact characters, whatever quoting the body uses
// and whatever comments stand between AS and the body.

import { SqlStmt } from './document';

export interface RoutineBody {
  /** The body's language, lower-cased; a DO block without LANGUAGE is plpgsql. */
  language: string | undefined;
  /** The body as the parser decoded it (escapes and doubled quotes resolved). */
  source: string;
  /** Document offsets of the body's first character and of its closing quote. */
  start: number;
  end: number;
  /**
   * The document offset of each index of `source`, and of `source.length` (the closing
   * quote); undefined when the document text could not be matched with the decoded string.
   */
  offsets: ((i: number) => number) | undefined;
  /** Dollar-quoted: the document text of the body is the decoded string, character for character. */
  verbatim: boolean;
}

/** The DefElem options of a CREATE FUNCTION or DO statement. */
export function routineOptions(stmt: SqlStmt): any[] {
  const n = stmt.node;
  return ((stmt.type === 'DoStmt' ? n.args : n.options) ?? []).map((o: any) => o?.DefElem).filter(Boolean);
}

export function routineBody(stmt: SqlStmt): RoutineBody | undefined {
  const options = routineOptions(stmt);
  const lang: string | undefined = options.find((d) => d.defname === 'language')?.arg?.String?.sval;
  const language = lang?.toLowerCase() ?? (stmt.type === 'DoStmt' ? 'plpgsql' : undefined);
  const as = options.find((d) => d.defname === 'as');
  const items: any[] | undefined = as?.arg?.List?.items;
  const source: unknown = items ? items[0]?.String?.sval : as?.arg?.String?.sval;
  // `AS 'obj_file', 'symbol'` is a C function: no body to read.
  if (typeof source !== 'string' || (items && items.length !== 1)) return undefined;

  const base = stmt.unit.start;
  const text = stmt.unit.parseText;
  const code = stmt.masked;
  // CREATE FUNCTION's location is the AS keyword, DO's the body itself. Comments are blank
  // in the masked text, so skipping blanks there also skips a comment before the body.
  let i = stmt.offset(as.location) - base;
  const skip = () => {
    while (i < code.length && /\s/.test(code[i])) i++;
  };
  skip();
  if (/^as\b/i.test(code.slice(i, i + 3))) {
    i += 2;
    skip();
  }
  const tag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64));
  if (tag) {
    const start = i + tag[0].length;
    const close = text.indexOf(tag[0], start);
    const end = close < 0 ? text.length : close;
    const exact = text.slice(start, end) === source;
    return { language, source, start: base + start, end: base + end, offsets: exact ? (k) => base + start + k : undefined, verbatim: exact };
  }
  const escape = /^[Ee]'/.test(text.slice(i, i + 2));
  if (escape) i++;
  if (text[i] !== "'") return undefined;
  const start = i + 1;
  // The masked text keeps a literal's closing quote in place.
  const close = code.indexOf("'", start);
  const end = close < 0 ? text.length : close;
  const map = decodedOffsets(text.slice(start, end), escape, source);
  return { language, source, start: base + start, end: base + end, offsets: map ? (k) => base + start + map[k] : undefined, verbatim: false };
}

/**
 * For a single-quoted literal's inside, the offset in `raw` where each character of the
 * decoded string comes from (plus one past the end), or undefined when decoding does not
 * give `expected` (an escape this decoder does not know).
 */
function decodedOffsets(raw: string, escape: boolean, expected: string): number[] | undefined {
  const at: number[] = [];
  let out = '';
  const put = (s: string, from: number) => {
    for (let k = 0; k < s.length; k++) at.push(from);
    out += s;
  };
  for (let i = 0; i < raw.length; ) {
    const c = raw[i];
    if (c === "'" && raw[i + 1] === "'") {
      put("'", i);
      i += 2;
    } else if (escape && c === '\\' && i + 1 < raw.length) {
      const rest = raw.slice(i + 1);
      const m =
        /^([0-7]{1,3})/.exec(rest) ?? /^x([0-9A-Fa-f]{1,2})/.exec(rest) ?? /^u([0-9A-Fa-f]{4})/.exec(rest) ?? /^U([0-9A-Fa-f]{8})/.exec(rest);
      if (m) {
        const radix = /^[0-7]/.test(rest) ? 8 : 16;
        put(String.fromCodePoint(parseInt(m[1], radix)), i);
        i += 1 + m[0].length;
      } else {
        const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        put(simple[rest[0]] ?? rest[0], i);
        i += 2;
      }
    } else {
      put(c, i);
      i++;
    }
  }
  at.push(raw.length);
  return out === expected ? at : undefined;
}

/** Line starts of a body's source, for turning PL/pgSQL line numbers into indexes. */
export class BodyLines {
  private readonly starts: number[] = [0];
  /** Per line, where the last text looked up on it was found, so repeats on one line advance. */
  private readonly used = new Map<number, number>();

  constructor(private readonly body: RoutineBody) {
    const s = body.source;
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /**
   * The document range of `text` as PL/pgSQL reports it on 1-based body line `lineno`
   * (line 1 is the line of the opening quote): exact when found, else the line's
   * non-blank part, flagged inexact.
   */
  locate(lineno: number, text: string): { start: number; end: number; exact: boolean } | undefined {
    const { source, offsets } = this.body;
    const line = Math.min(Math.max(lineno, 1), this.starts.length) - 1;
    const from = Math.max(this.starts[line], this.used.get(line) ?? 0);
    const trimmed = text.trimEnd();
    const at = trimmed ? source.indexOf(trimmed, from) : -1;
    if (offsets && at >= 0) {
      this.used.set(line, at + trimmed.length);
      return { start: offsets(at), end: offsets(at + trimmed.length), exact: true };
    }
    if (!offsets) return undefined;
    let s = this.starts[line];
    let e = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : source.length;
    while (s < e && /\s/.test(source[s])) s++;
    while (e > s && /\s/.test(source[e - 1])) e--;
    return { start: offsets(s), end: offsets(e), exact: false };
  }
}
