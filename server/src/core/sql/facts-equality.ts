// Whether a file's facts changed in a way the workspace must count: an edit that only moves
// statements must not bump the workspace version (every dependant would re-check), and
// comparing field by field avoids serialising a large file's facts twice per keystroke.

import { Effect } from '../model/effects';
import { EFFECT_ORIGIN, ExecuteRevoke, FileFacts, LocatedName } from './facts';

/**
 * Whether two versions of a file's facts differ only in where things stand, compared
 * field by field (an edit to a large file must not serialise all of its facts twice).
 * Values compare as JSON would see them: keys holding undefined count as absent.
 */
export function sameFactsBesidesLocations(a: FileFacts, b: FileFacts): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as Array<keyof FileFacts>);
  for (const key of keys) {
    const x = a[key] as unknown[] | undefined;
    const y = b[key] as unknown[] | undefined;
    switch (key) {
      case 'tables':
      case 'rlsEnabled':
      case 'definerFunctions':
        if (!sameList(x as LocatedName[], y as LocatedName[], (p, q) => (p.schema ?? null) === (q.schema ?? null) && p.name === q.name)) return false;
        break;
      case 'effects':
        // Only the order of effects within the file and their content matter to the fold;
        // places move with every edit above them and are refreshed without a new version.
        if (!sameList((x ?? []) as Effect[], (y ?? []) as Effect[], sameEffect)) return false;
        break;
      case 'executeRevokes':
        // Moving a revoke within its file changes no other file's findings: only the order
        // across files (by URI) matters there, and the file itself is re-checked anyway.
        if (!sameList((x ?? []) as ExecuteRevoke[], (y ?? []) as ExecuteRevoke[], (p, q) => sameJson({ ...p, start: 0 }, { ...q, start: 0 }))) return false;
        break;
      default:
        if (!sameJson(x, y)) return false;
    }
  }
  return true;
}

/** Effects equal but for their places: made from the same statement's effect, or equal as JSON. */
function sameEffect(p: Effect, q: Effect): boolean {
  const a = EFFECT_ORIGIN.get(p) ?? p;
  const b = EFFECT_ORIGIN.get(q) ?? q;
  return a === b || sameJson({ ...p, start: 0, end: 0 }, { ...q, start: 0, end: 0 });
}

function sameList<T>(x: T[] | undefined, y: T[] | undefined, same: (p: T, q: T) => boolean): boolean {
  if (x === y) return true;
  if (!x || !y || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!same(x[i], y[i])) return false;
  return true;
}

/** Deep equality of JSON-like values, as their JSON texts would compare (up to key order). */
export function sameJson(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  if (Array.isArray(x)) return sameList(x, y as unknown[], (p, q) => sameJson(p ?? null, q ?? null));
  const xo = x as Record<string, unknown>;
  const yo = y as Record<string, unknown>;
  let nx = 0;
  for (const k in xo) {
    if (xo[k] === undefined) continue;
    nx++;
    if (!sameJson(xo[k], yo[k])) return false;
  }
  let ny = 0;
  for (const k in yo) if (yo[k] !== undefined) ny++;
  return nx === ny;
}
