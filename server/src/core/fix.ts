// Building fix edits. Offsets are UTF-16 offsets into the document.

import type { Finding } from './rules';
import { Fix, TextEdit } from './rules';

export function replace(start: number, end: number, newText: string): TextEdit {
  return { start, end, newText };
}

export function insert(at: number, newText: string): TextEdit {
  return { start: at, end: at, newText };
}

export function fix(title: string, edits: TextEdit[], snippet = false): Fix {
  return snippet ? { title, edits, snippet } : { title, edits };
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

/** Every preferred fix of the findings, without overlaps (an earlier edit wins). */
export function preferredEdits(findings: readonly Pick<Finding, 'fixes'>[]): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const f of findings) {
    const fx = f.fixes?.find((x) => !x.snippet);
    if (!fx) continue;
    const overlaps = fx.edits.some((e) => edits.some((o) => e.start < o.end && o.start < e.end));
    if (!overlaps) edits.push(...fx.edits);
  }
  return edits;
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
