// What the main thread sends the analysis worker when a document changes: the one range
// that differs from the text the worker already holds, instead of the whole text again.

import { editBetween } from '../core/sql/split';

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

/** The one range in which two texts differ (common prefix and suffix left out), for version `base`. */
export function textChange(before: string, after: string, base: number): TextChange {
  return { base, ...editBetween(before, after) };
}

/** Applies a change made by textChange to the text it was made from. */
export function applyTextChange(before: string, c: TextChange): string {
  return before.slice(0, c.start) + c.insert + before.slice(c.end);
}
