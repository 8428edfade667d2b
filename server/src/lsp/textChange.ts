// What the main thread sends the analysis worker when a document changes: the one range
// that differs from the text the worker already holds, instead of the whole text again.

/** How the worker's error begins when it does not hold the version a change applies to. */
export const STALE_BASE = 'stale base version:';

/** A change of a document's text: the range of `base` it replaces and the new text there. */
export interface TextChange {
  /** The version of the text the worker holds, which the change applies to. */
  base: number;
  start: number;
  end: number;
  insert: string;
}

/** The one range in which two texts differ (common prefix and suffix left out). */
export function textChange(before: string, after: string, base: number): TextChange {
  const n = Math.min(before.length, after.length);
  let start = 0;
  // Compared in chunks first: equal slices compare as fast as memory is read.
  const CHUNK = 4096;
  while (start + CHUNK <= n && before.slice(start, start + CHUNK) === after.slice(start, start + CHUNK)) start += CHUNK;
  while (start < n && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  const room = n - start;
  while (tail + CHUNK <= room && before.slice(before.length - tail - CHUNK, before.length - tail) === after.slice(after.length - tail - CHUNK, after.length - tail)) tail += CHUNK;
  while (tail < room && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { base, start, end: before.length - tail, insert: after.slice(start, after.length - tail) };
}

/** Applies a change made by textChange to the text it was made from. */
export function applyTextChange(before: string, c: TextChange): string {
  return before.slice(0, c.start) + c.insert + before.slice(c.end);
}
