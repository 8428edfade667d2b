// Looking parameters up in the generated catalog (params.ts) for one PostgreSQL version.

import { PARAM_ROWS, ParamRow } from './params';

export type ParamType = ParamRow[1];

export interface ParamInfo {
  /** The name as pg_settings spells it (DateStyle, TimeZone, work_mem). */
  name: string;
  type: ParamType;
  /** pg_settings' unit: B, kB, MB, 8kB (blocks), ms, s, min; '' for none. */
  unit: string;
  min: number | null;
  max: number | null;
  /** Enum values pg_settings lists. */
  values: readonly string[] | null;
  /** Enum spellings the server also accepts but does not list (on/off variants). */
  hidden: readonly string[] | null;
  /** The built-in default (boot_val) in the parameter's unit. */
  boot: string;
  /** When a change takes effect: postmaster (restart), sighup (reload), user, ... */
  context: string;
  description: string;
  since: number;
  until: number;
}

function toInfo(r: ParamRow): ParamInfo {
  const [name, type, unit, min, max, values, hidden, boot, context, description, since, until] = r;
  return { name, type, unit, min, max, values, hidden, boot, context, description, since, until };
}

const BY_KEY = new Map<string, ParamInfo[]>();
for (const r of PARAM_ROWS) {
  const info = toInfo(r);
  const key = info.name.toLowerCase();
  const list = BY_KEY.get(key);
  if (list) list.push(info);
  else BY_KEY.set(key, [info]);
}

export const FIRST_VERSION = 13;
export const LAST_VERSION = 18;

/** The parameter `key` (lower case) as PostgreSQL `version` has it, or undefined. */
export function lookupParam(key: string, version: number): ParamInfo | undefined {
  return BY_KEY.get(key)?.find((p) => p.since <= version && version <= p.until);
}

/** Every version of the parameter, for "exists only in ..." messages. */
export function paramVersions(key: string): ParamInfo[] {
  return BY_KEY.get(key) ?? [];
}

/** Every parameter that `version` has, sorted by name. */
export function paramsOf(version: number): ParamInfo[] {
  const out: ParamInfo[] = [];
  for (const list of BY_KEY.values()) {
    const p = list.find((x) => x.since <= version && version <= x.until);
    if (p) out.push(p);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** "13 to 15", "17 and later", "18": the versions a parameter exists in. */
export function versionRange(key: string): string {
  const list = paramVersions(key);
  if (!list.length) return '';
  const since = Math.min(...list.map((p) => p.since));
  const until = Math.max(...list.map((p) => p.until));
  if (since === until) return `PostgreSQL ${since}`;
  if (until === LAST_VERSION) return `PostgreSQL ${since} and later`;
  return `PostgreSQL ${since} to ${until}`;
}
