// A unified diff of a text before and after fix edits, for `pgwarden lint --diff`. The
// edits say which lines changed, so only those regions (with their context) are diffed
// line by line; a 10,000-line file with one fix costs a few lines of work.

import { applyEdits } from '../core/fix';
import { TextEdit } from '../core/rules';

const CONTEXT = 3;

/** The text split into lines, each keeping its line break ('' for the last line's absent one). */
function splitLines(text: string): string[] {
  const out = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return out;
}

/** Line-level LCS diff of two short line lists: ' ', '-' and '+' operations in order. */
function diffLines(a: string[], b: string[]): Array<[op: ' ' | '-' | '+', line: string]> {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: Array<[' ' | '-' | '+', string]> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push([' ', a[i++]]), j++;
    // Removals before additions, as diff(1) prints a changed line.
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push(['-', a[i++]]);
    else ops.push(['+', b[j++]]);
  }
  return ops;
}

function emit(op: string, line: string, out: string[]): void {
  if (line.endsWith('\n')) out.push(op + line.slice(0, -1));
  else out.push(op + line, '\\ No newline at end of file');
}

/**
 * The unified diff (`--- a/NAME`, `+++ b/NAME`, hunks with 3 lines of context) of
 * applying `edits` to `text`; '' when they change nothing.
 */
export function unifiedDiff(name: string, text: string, edits: readonly TextEdit[]): string {
  if (!edits.length) return '';
  const lines = splitLines(text);
  const lineStarts: number[] = [];
  let off = 0;
  for (const l of lines) {
    lineStarts.push(off);
    off += l.length;
  }
  const lineOf = (o: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return Math.max(0, lo);
  };
  // Changed line spans, merged when their contexts touch.
  const spans = [...edits]
    .sort((x, y) => x.start - y.start)
    .map((e) => ({ from: lineOf(e.start), to: lineOf(Math.max(e.start, e.end - (e.end > e.start ? 1 : 0))), edits: [e] }));
  const groups: typeof spans = [];
  for (const s of spans) {
    const last = groups[groups.length - 1];
    if (last && s.from <= last.to + 2 * CONTEXT + 1) {
      last.to = Math.max(last.to, s.to);
      last.edits.push(...s.edits);
    } else groups.push({ ...s, edits: [...s.edits] });
  }
  const out: string[] = [`--- a/${name}`, `+++ b/${name}`];
  let shift = 0;
  let changed = false;
  for (const g of groups) {
    const from = Math.max(0, g.from - CONTEXT);
    const to = Math.min(lines.length - 1, g.to + CONTEXT);
    const base = lineStarts[from] ?? text.length;
    const end = to >= 0 && to < lines.length ? lineStarts[to] + lines[to].length : text.length;
    const before = text.slice(base, end);
    const after = applyEdits(before, g.edits.map((e) => ({ ...e, start: e.start - base, end: e.end - base })));
    if (before === after) continue;
    changed = true;
    const a = splitLines(before);
    const b = splitLines(after);
    const range = (startLine: number, count: number) => (count === 0 ? `${startLine},0` : count === 1 ? `${startLine + 1}` : `${startLine + 1},${count}`);
    out.push(`@@ -${range(from, a.length)} +${range(from + shift, b.length)} @@`);
    for (const [op, line] of diffLines(a, b)) emit(op, line, out);
    shift += b.length - a.length;
  }
  return changed ? out.join('\n') + '\n' : '';
}
