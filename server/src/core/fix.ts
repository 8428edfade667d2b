// Building fix edits, choosing the fixes to apply unasked, and applying edits. Offsets are
// UTF-16 offsets into the document.

import { Finding, Fix, Placeholder, SnippetPart, TextEdit } from './rules';

export function replace(start: number, end: number, newText: string): TextEdit {
  return { start, end, newText };
}

export function insert(at: number, newText: string): TextEdit {
  return { start: at, end: at, newText };
}

/** An edit whose text holds placeholders: plain newText for any editor, tab stops for those that take snippets. */
export function snippetEdit(start: number, end: number, parts: SnippetPart[]): TextEdit {
  return { start, end, newText: parts.map((p) => (typeof p === 'string' ? p : p.placeholder)).join(''), snippet: parts };
}

const escapeText = (s: string) => s.replace(/[\\$}]/g, (c) => `\\${c}`);
const escapeChoice = (s: string) => s.replace(/[\\,|$}]/g, (c) => `\\${c}`);

/**
 * The snippet text of an edit (VS Code / LSP snippet syntax): placeholders numbered in
 * order, as a choice list when there is more than the default to offer. `more` adds
 * choices known only to the caller (the roles and columns of a connected database).
 */
export function snippetText(parts: readonly SnippetPart[], more?: (p: Placeholder) => readonly string[]): string {
  let n = 0;
  return parts
    .map((p) => {
      if (typeof p === 'string') return escapeText(p);
      n++;
      const choices = [...new Set([p.placeholder, ...(p.choices ?? []), ...(more?.(p) ?? [])])];
      return choices.length > 1 ? `\${${n}|${choices.map(escapeChoice).join(',')}|}` : `\${${n}:${escapeText(p.placeholder)}}`;
    })
    .join('');
}

export interface FixOptions {
  snippet?: boolean;
  /** The fix cannot change what the running system accepts (see Fix.safe). */
  safe?: boolean;
  /** What an unsafe fix can break (see Fix.consequence). */
  consequence?: string;
}

/** A fix; unsafe unless `opts.safe`. A boolean `opts` is the snippet flag alone. */
export function fix(title: string, edits: TextEdit[], opts: boolean | FixOptions = false): Fix {
  const o: FixOptions = typeof opts === 'boolean' ? { snippet: opts } : opts;
  const out: Fix = { title, edits };
  if (o.snippet) out.snippet = true;
  if (o.safe) out.safe = true;
  else if (o.consequence) out.consequence = o.consequence;
  return out;
}

/** The same fix marked unsafe with what it can break (for helpers that build fixes generically). */
export function withConsequence<T extends Fix | undefined>(f: T, consequence: string): T {
  return f ? { ...f, safe: undefined, consequence } : f;
}

/** The same fix marked safe. */
export function asSafe<T extends Fix | undefined>(f: T): T {
  if (!f) return f;
  const { consequence: _c, ...rest } = f;
  return { ...rest, safe: true } as T;
}

const UNSAFE_DEFAULT = 'may change what the running system accepts';

/** The title a user reads: an unsafe fix says what it can break. */
export function fixTitle(f: Fix): string {
  return f.safe ? f.title : `${f.title} (unsafe: ${f.consequence ?? UNSAFE_DEFAULT})`;
}

/** Whether a fix is applied unasked: never a snippet; an unsafe one only when `unsafe` is allowed. */
export function appliesUnasked(f: Fix, unsafe = false): boolean {
  return !f.snippet && (f.safe === true || unsafe);
}

/**
 * The edits fix-all applies: for each finding, its first fix that applies unasked (safe
 * ones only unless `unsafe`), skipping any that overlaps an edit already taken (the
 * earlier finding wins). Used by source.fixAll and `pgwarden lint --fix`.
 */
export function preferredEdits(findings: readonly Finding[], opts: { unsafe?: boolean } = {}): TextEdit[] {
  return chosenFixes(findings, opts).flatMap((c) => c.fix.edits);
}

/** The fixes fix-all applies, with their findings, in the order of `findings`. */
export function chosenFixes<F extends Finding>(findings: readonly F[], opts: { unsafe?: boolean } = {}): Array<{ finding: F; fix: Fix }> {
  const out: Array<{ finding: F; fix: Fix }> = [];
  const taken: TextEdit[] = [];
  for (const f of findings) {
    const fx = f.fixes?.find((x) => appliesUnasked(x, opts.unsafe));
    if (!fx) continue;
    const overlaps = fx.edits.some((e) => taken.some((o) => e.start < o.end && o.start < e.end));
    if (overlaps) continue;
    taken.push(...fx.edits);
    out.push({ finding: f, fix: fx });
  }
  return out;
}

/** Applies edits (non-overlapping, any order) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  // Last edit first, so earlier offsets stay valid; insertions at one point keep their order.
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.start - a.e.start || b.e.end - a.e.end || b.i - a.i).map((x) => x.e);
  let out = text;
  let lastStart = Infinity;
  for (const e of sorted) {
    if (e.end > lastStart) continue; // overlapping edit: the earlier one in the file wins on the next pass
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    lastStart = e.start;
  }
  return out;
}

/** The length of the token at `offset`: a double-quoted name or a run of word characters. */
export function tokenEnd(text: string, offset: number): number {
  if (text[offset] === '"') {
    let j = offset + 1;
    while (j < text.length) {
      if (text[j] === '"' && text[j + 1] === '"') j += 2;
      else if (text[j] === '"') return j + 1;
      else j++;
    }
    return text.length;
  }
  if (text[offset] === "'") {
    let j = offset + 1;
    while (j < text.length) {
      if (text[j] === "'" && text[j + 1] === "'") j += 2;
      else if (text[j] === "'") return j + 1;
      else j++;
    }
    return text.length;
  }
  let j = offset;
  while (j < text.length && /[\w$\u0080-\uffff]/.test(text[j])) j++;
  return j === offset ? Math.min(text.length, offset + 1) : j;
}
