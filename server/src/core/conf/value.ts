// Value checking the way the server's guc.c does it (parse_bool, parse_int, parse_real,
// convert_to_base_unit, config_enum_lookup_by_name), so that a value pgwarden accepts is
// one the server accepts, down to octal integers, case-sensitive units, fractional
// values rounded to the next smaller unit, and boolean prefixes. Check hooks of string
// parameters (time zones, search paths, ...) are not emulated: those values pass.

import { ParamInfo } from './catalog';

/** parse_bool: a case-insensitive prefix of true/false/yes/no, on/off (two letters at least), 1, 0. */
export function parseBool(value: string): boolean | undefined {
  const v = value.toLowerCase();
  const len = v.length;
  if (len === 0) return undefined;
  const prefixOf = (word: string, min = 1) => len >= min && len <= word.length && word.startsWith(v);
  switch (v[0]) {
    case 't':
      return prefixOf('true') ? true : undefined;
    case 'f':
      return prefixOf('false') ? false : undefined;
    case 'y':
      return prefixOf('yes') ? true : undefined;
    case 'n':
      return prefixOf('no') ? false : undefined;
    case 'o':
      if (prefixOf('on', 2)) return true;
      if (prefixOf('off', 2)) return false;
      return undefined;
    case '1':
      return len === 1 ? true : undefined;
    case '0':
      return len === 1 ? false : undefined;
    default:
      return undefined;
  }
}

// C's isspace in the "C" locale.
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';

interface Scan {
  value: number;
  /** Index just after the number; 0 when nothing was parsed. */
  end: number;
  range: boolean;
}

/** glibc strtol(s, &end, 0): whitespace, sign, then 0x hex, 0 octal or decimal. */
function strtol(s: string): Scan {
  let i = 0;
  while (isSpace(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  let base = 10;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
    base = 16;
    i += 2;
  } else if (s[i] === '0') base = 8;
  const digitRe = base === 16 ? /[0-9a-fA-F]/ : base === 8 ? /[0-7]/ : /[0-9]/;
  const start = i;
  let big = 0n;
  while (i < s.length && digitRe.test(s[i])) {
    big = big * BigInt(base) + BigInt(parseInt(s[i], 16));
    i++;
  }
  if (i === start) return { value: 0, end: 0, range: false };
  const LONG_MAX = 9223372036854775807n;
  const range = neg ? big > LONG_MAX + 1n : big > LONG_MAX;
  return { value: Number(neg ? -big : big), end: i, range };
}

const DBL_MIN = 2.2250738585072014e-308;

/** glibc strtod: whitespace, sign, inf/infinity/nan, hex floats, decimal with exponent. */
function strtod(s: string): Scan {
  let i = 0;
  while (isSpace(s[i])) i++;
  let sign = 1;
  if (s[i] === '+' || s[i] === '-') {
    sign = s[i] === '-' ? -1 : 1;
    i++;
  }
  const rest = s.slice(i);
  const word = /^(infinity|inf|nan)/i.exec(rest);
  if (word) {
    let end = i + word[0].length;
    if (word[1].toLowerCase() === 'nan') {
      const paren = /^\([0-9A-Za-z_]*\)/.exec(s.slice(end));
      if (paren) end += paren[0].length;
      return { value: NaN, end, range: false };
    }
    return { value: sign * Infinity, end, range: false };
  }
  const hex = /^0[xX](?:([0-9a-fA-F]+)(?:\.([0-9a-fA-F]*))?|\.([0-9a-fA-F]+))(?:[pP]([+-]?[0-9]+))?/.exec(rest);
  if (hex) {
    const intPart = hex[1] ?? '';
    const frac = hex[2] ?? hex[3] ?? '';
    let v = 0;
    for (const d of intPart) v = v * 16 + parseInt(d, 16);
    let scale = 1 / 16;
    for (const d of frac) {
      v += parseInt(d, 16) * scale;
      scale /= 16;
    }
    if (hex[4]) v *= Math.pow(2, Number(hex[4]));
    return finish(sign * v, i + hex[0].length, v !== 0 || /[1-9a-fA-F]/.test(intPart + frac));
  }
  const dec = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(rest);
  if (!dec) {
    // "0x" without hex digits parses as 0 followed by "x".
    return { value: 0, end: 0, range: false };
  }
  const v = Number(dec[0]);
  return finish(sign * v, i + dec[0].length, /[1-9]/.test(dec[0].replace(/[eE].*$/, '')));
}

function finish(v: number, end: number, nonZeroDigits: boolean): Scan {
  const abs = Math.abs(v);
  const range = !Number.isFinite(v) || (nonZeroDigits && abs < DBL_MIN);
  return { value: v, end, range };
}

/** C's rint: round half to even. */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r;
}

type UnitTable = Array<[unit: string, multiplier: number]>;

// The conversion tables of guc.c, per base unit, largest unit first (the order matters:
// a fractional value is rounded to a multiple of the next entry).
const MEMORY_UNITS = ['TB', 'GB', 'MB', 'kB', 'B'];
const MEMORY_BYTES: Record<string, number> = { TB: 1024 ** 4, GB: 1024 ** 3, MB: 1024 ** 2, kB: 1024, B: 1 };
const BASE_BYTES: Record<string, number> = { B: 1, kB: 1024, MB: 1024 * 1024, '8kB': 8192 };
const TIME_TABLES: Record<string, UnitTable> = {
  ms: [['d', 1000 * 60 * 60 * 24], ['h', 1000 * 60 * 60], ['min', 1000 * 60], ['s', 1000], ['ms', 1], ['us', 1.0 / 1000]],
  s: [['d', 60 * 60 * 24], ['h', 60 * 60], ['min', 60], ['s', 1], ['ms', 1.0 / 1000], ['us', 1.0 / (1000 * 1000)]],
  min: [['d', 60 * 24], ['h', 60], ['min', 1], ['s', 1.0 / 60], ['ms', 1.0 / (1000 * 60)], ['us', 1.0 / (1000 * 1000 * 60)]],
};

function unitTable(unit: string): UnitTable | undefined {
  if (TIME_TABLES[unit]) return TIME_TABLES[unit];
  const base = BASE_BYTES[unit];
  if (!base) return undefined;
  return MEMORY_UNITS.map((u) => [u, MEMORY_BYTES[u] / base]);
}

export function isMemoryUnit(unit: string): boolean {
  return BASE_BYTES[unit] !== undefined;
}

export function unitHint(unit: string): string {
  return isMemoryUnit(unit)
    ? 'Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".'
    : 'Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".';
}

/** convert_to_base_unit: the unit text after the number (at most 3 characters, case-sensitive). */
function toBaseUnit(value: number, rest: string, baseUnit: string): number | undefined {
  let i = 0;
  let unit = '';
  while (i < rest.length && !isSpace(rest[i]) && unit.length < 3) unit += rest[i++];
  if (i < rest.length && !isSpace(rest[i])) return undefined;
  while (isSpace(rest[i])) i++;
  if (i < rest.length) return undefined;
  const table = unitTable(baseUnit);
  if (!table) return undefined;
  const k = table.findIndex(([u]) => u === unit);
  if (k < 0) return undefined;
  let v = value * table[k][1];
  if (k + 1 < table.length) v = rint(v / table[k + 1][1]) * table[k + 1][1];
  return v;
}

export type NumberResult = { ok: true; value: number } | { ok: false; hint?: string };

/** parse_int / parse_real: the value in the parameter's base unit, before the range check. */
export function parseNumber(value: string, integer: boolean, unit: string): NumberResult {
  let scan: Scan;
  if (integer) {
    scan = strtol(value);
    const after = value[scan.end];
    if (after === '.' || after === 'e' || after === 'E' || scan.range) scan = strtod(value);
  } else scan = strtod(value);
  if (scan.end === 0 || scan.range) return { ok: false };
  if (Number.isNaN(scan.value)) return { ok: false };
  let i = scan.end;
  while (isSpace(value[i])) i++;
  let v = scan.value;
  if (i < value.length) {
    if (!unit) return { ok: false };
    const converted = toBaseUnit(v, value.slice(i), unit);
    if (converted === undefined) return { ok: false, hint: unitHint(unit) };
    v = converted;
  }
  if (integer) {
    v = rint(v);
    if (v > 2147483647 || v < -2147483648) return { ok: false, hint: 'Value exceeds integer range.' };
  }
  return { ok: true, value: v };
}

/** The enum value a spelling stands for (case-insensitive), or undefined. */
export function enumMatch(p: ParamInfo, value: string): string | undefined {
  const v = value.toLowerCase();
  return [...(p.values ?? []), ...(p.hidden ?? [])].find((x) => x.toLowerCase() === v);
}

const LOG_CONNECTIONS_ASPECTS = ['receipt', 'authentication', 'authorization', 'setup_durations', 'all'];

/** The aspects an 18-style log_connections value names, or undefined when it is invalid. */
export function logConnectionsAspects(value: string): string[] | undefined {
  const b = parseBool(value);
  if (b !== undefined) return b ? ['receipt', 'authentication', 'authorization'] : [];
  if (value.trim() === '') return [];
  const parts = value.split(',').map((s) => s.trim().toLowerCase());
  if (parts.some((s) => !LOG_CONNECTIONS_ASPECTS.includes(s))) return undefined;
  return parts.includes('all') ? ['receipt', 'authentication', 'authorization', 'setup_durations'] : parts;
}

/** What the server would say about `value` for `p`, or undefined when it accepts it. */
export function checkValue(p: ParamInfo, value: string): string | undefined {
  const name = p.name;
  // Internal parameters (block_size, server_version, ...) are rejected whatever the value.
  if (p.context === 'internal') return `parameter "${name}" cannot be changed`;
  switch (p.type) {
    case 'bool': {
      const b = parseBool(value);
      if (b === undefined) return `parameter "${name}" requires a Boolean value`;
      // Its check hook refuses true since PostgreSQL 12.
      if (name === 'default_with_oids' && b) return `invalid value for parameter "default_with_oids": "${value}". Tables declared WITH OIDS are not supported.`;
      return undefined;
    }
    case 'integer':
    case 'real': {
      const r = parseNumber(value, p.type === 'integer', p.unit);
      if (!r.ok) return `invalid value for parameter "${name}": "${value}"` + (r.hint ? `. ${r.hint}` : '');
      if ((p.min !== null && r.value < p.min) || (p.max !== null && r.value > p.max)) {
        const u = p.unit ? ` ${p.unit}` : '';
        return `${fmt(r.value)}${u} is outside the valid range for parameter "${name}" (${fmt(p.min)} .. ${fmt(p.max)})`;
      }
      return undefined;
    }
    case 'enum':
      if (enumMatch(p, value) !== undefined) return undefined;
      return `invalid value for parameter "${name}": "${value}". Available values: ${(p.values ?? []).join(', ')}.`;
    case 'string':
      if (p.name === 'log_connections' && logConnectionsAspects(value) === undefined) {
        return `invalid value for parameter "log_connections": "${value}". Valid values are a list of ${LOG_CONNECTIONS_ASPECTS.join(', ')}, or a Boolean.`;
      }
      return undefined;
  }
}

function fmt(n: number | null): string {
  if (n === null) return '';
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
}
