// From parsed postgresql.conf text to what the rules need: each setting with its catalog
// entry and value problem, the include directives followed (relative to the including
// file, include_dir as *.conf files without dot-files in C order), and for each setting
// whether a later line (in this file, an included file, or postgresql.auto.conf, which
// the server reads last) overrides it. Following includes never loops: a cycle or a
// nesting deeper than the server's limit of 10 ends the walk with one problem.

import { lookupParam, ParamInfo, paramVersions, versionRange } from './catalog';
import { ConfEntry, parseConf, ParsedConf } from './parse';
import { basenameOf, compareCodePoints, dirnameOf, normalizePath, pathOfUri, resolveInclude } from './paths';
import { checkValue } from './value';

export interface ConfFs {
  /** The text of a file, or undefined when it cannot be read (missing, a directory). */
  readFile?(path: string): string | undefined;
  /** The names in a directory, or undefined when it cannot be opened. */
  listDir?(path: string): string[] | undefined;
}

export interface ConfInput extends ConfFs {
  uri: string;
  text: string;
  /** The file's path; derived from a file: URI when absent. */
  path?: string;
}

/** Where an overriding line is: `file` is undefined for the linted document itself. */
export interface Location {
  file?: string;
  line: number;
}

export interface Setting {
  entry: ConfEntry;
  /** The catalog entry for the configured version; undefined for unknown and custom names. */
  param?: ParamInfo;
  /** A custom `ext.name` placeholder: the server accepts any value. */
  custom: boolean;
  /** The server's complaint about the name or the value, if any. */
  problem?: string;
  /** The later line that wins over this one, if any. */
  overriddenBy?: Location;
}

export interface IncludeProblem {
  entry: ConfEntry;
  message: string;
}

export interface ConfAnalysis {
  uri: string;
  path?: string;
  version: number;
  parsed: ParsedConf;
  settings: Setting[];
  includeProblems: IncludeProblem[];
  /**
   * For each name (lower case), the line that wins across every file the server reads
   * (this one, its includes, postgresql.auto.conf), with its value as the server sees it.
   */
  winners: Map<string, { value: string; file?: string; line: number }>;
  /** The file has include directives that could not be followed (no file access was given). */
  includesUnread: boolean;
}

/** The server's limit on include nesting (CONF_FILE_MAX_DEPTH). */
const MAX_DEPTH = 10;

/**
 * How many included files one analysis reads at most. Files that include the same file
 * many times nest exponentially within the depth limit; the server would grind through
 * that, an editor must not.
 */
export const MAX_INCLUDED_FILES = 1000;

interface Occurrence {
  key: string;
  /** Exact spelling: the server only drops an earlier duplicate spelled the same way. */
  name: string;
  value: string;
  file?: string;
  line: number;
  setting?: Setting;
  /** For a line of an included file: its value problem, and the top-level directive that read it. */
  valueProblem?: string;
  via?: ConfEntry;
}

/**
 * Checks one file's entries against the catalog, without following includes. The value
 * problem of a line that a later line spelled exactly alike overrides is dropped by
 * analyzeConf, which knows every file the server reads.
 */
export function checkSettings(parsed: ParsedConf, version: number): Setting[] {
  const out: Setting[] = [];
  for (const entry of parsed.entries) {
    if (entry.directive) continue;
    const custom = entry.key.includes('.');
    const param = custom ? undefined : lookupParam(entry.key, version);
    const s: Setting = { entry, param, custom };
    if (!custom && !param) s.problem = unknownMessage(entry.name, entry.key, version);
    out.push(s);
  }
  for (const s of out) if (s.param && !s.problem) s.problem = checkValue(s.param, s.entry.value);
  return out;
}

function unknownMessage(name: string, key: string, version: number): string {
  if (name.startsWith('\uFEFF')) {
    return `unrecognized configuration parameter "${name.slice(1)}": the file starts with a byte order mark, which the server reads as part of the name; save it as UTF-8 without BOM`;
  }
  const base = `unrecognized configuration parameter "${name}"`;
  if (paramVersions(key).length) return `${base} in PostgreSQL ${version} (it exists in ${versionRange(key).replace('PostgreSQL ', '')})`;
  return base;
}

/** Runs the analysis; never throws for any text or any file system answer. */
export function analyzeConf(input: ConfInput, version: number): ConfAnalysis {
  const parsed = parseConf(input.text);
  const settings = checkSettings(parsed, version);
  const path = input.path ?? pathOfUri(input.uri);
  const includeProblems: IncludeProblem[] = [];
  const bySelf = new Map<ConfEntry, Setting>(settings.map((s) => [s.entry, s]));
  const occurrences: Occurrence[] = [];
  const cache = new Map<string, ParsedConf | null>();
  const read = (p: string): ParsedConf | null => {
    const key = normalizePath(p);
    if (cache.has(key)) return cache.get(key)!;
    let text: string | undefined;
    try {
      text = input.readFile?.(p);
    } catch {
      text = undefined;
    }
    const r = text === undefined ? null : parseConf(text);
    cache.set(key, r);
    return r;
  };

  /**
   * Appends the occurrences of one included file and returns the problems found in it
   * (its own syntax errors, unknown names, bad values and failed includes).
   */
  const checked = new Map<ParsedConf, Map<ConfEntry, Setting>>();
  let visits = 0;
  const walk = (file: string, parsedFile: ParsedConf, chain: string[], via: ConfEntry): string[] => {
    const problems: string[] = [];
    const label = shortName(file, path);
    for (const e of parsedFile.errors) problems.push(`${label} line ${e.line + 1}: ${e.message}`);
    let byEntry = checked.get(parsedFile);
    if (!byEntry) checked.set(parsedFile, (byEntry = new Map(checkSettings(parsedFile, version).map((s) => [s.entry, s]))));
    for (const entry of parsedFile.entries) {
      if (entry.directive) {
        problems.push(...followDirective(entry, file, chain, via).map((m) => `${label} line ${entry.line + 1}: ${m}`));
        continue;
      }
      const s = byEntry.get(entry)!;
      const o: Occurrence = { key: entry.key, name: entry.name, value: entry.value, file, line: entry.line };
      if (s.problem && !s.param) problems.push(`${label} line ${entry.line + 1}: ${s.problem}`);
      else if (s.problem) {
        o.valueProblem = `${label} line ${entry.line + 1}: ${s.problem}`;
        o.via = via;
      }
      occurrences.push(o);
    }
    return problems;
  };

  /** Follows one directive; returns what the server would complain about. */
  const followDirective = (entry: ConfEntry, includingFile: string | undefined, chain: string[], via: ConfEntry): string[] => {
    if (!input.readFile) return [];
    const target = entry.value;
    const isDir = entry.directive === 'include_dir';
    if (target.trim() === '') return [`empty configuration ${isDir ? 'directory' : 'file'} name: "${target}"`];
    const resolved = resolveInclude(target, includingFile);
    if (resolved === undefined) return [];
    if (chain.length > MAX_DEPTH) {
      return [`could not open configuration file "${resolved}": maximum nesting depth exceeded`];
    }
    const files: string[] = [];
    if (isDir) {
      let names: string[] | undefined;
      try {
        names = input.listDir?.(resolved);
      } catch {
        names = undefined;
      }
      if (!input.listDir) return [];
      if (names === undefined) return [`could not open configuration directory "${resolved}"`];
      const sep = resolved.endsWith('/') || resolved.endsWith('\\') ? '' : '/';
      for (const n of names.filter((n) => !n.startsWith('.') && n.endsWith('.conf')).sort(compareCodePoints)) files.push(resolved + sep + n);
    } else files.push(resolved);
    const problems: string[] = [];
    for (const f of files) {
      const norm = normalizePath(f);
      if (chain.includes(norm)) {
        const names = [...chain.slice(chain.indexOf(norm)), norm].map((p) => basenameOf(p));
        problems.push(`include cycle ${names.join(' -> ')}; the server stops at nesting depth ${MAX_DEPTH} ("maximum nesting depth exceeded")`);
        continue;
      }
      if (++visits > MAX_INCLUDED_FILES) {
        problems.push(`more than ${MAX_INCLUDED_FILES} included files; pgwarden stopped following includes here`);
        break;
      }
      const p = read(f);
      if (!p) {
        // include_if_exists skips a missing file; a listed directory entry that cannot be
        // read is a subdirectory, which the server skips too.
        if (entry.directive === 'include') problems.push(`could not open configuration file "${f}": No such file or directory`);
        continue;
      }
      problems.push(...walk(f, p, [...chain, norm], via));
    }
    return problems;
  };

  const ownChain = path ? [normalizePath(path)] : [];
  const directiveProblems = new Map<ConfEntry, string[]>();
  for (const entry of parsed.entries) {
    if (entry.directive) {
      directiveProblems.set(entry, followDirective(entry, path, ownChain, entry));
      continue;
    }
    occurrences.push({ key: entry.key, name: entry.name, value: entry.value, line: entry.line, setting: bySelf.get(entry) });
  }
  // The server reads postgresql.auto.conf (ALTER SYSTEM's file) after postgresql.conf.
  if (path && basenameOf(path).toLowerCase() === 'postgresql.conf' && input.readFile) {
    const autoPath = dirnameOf(path) + '/postgresql.auto.conf';
    const auto = read(autoPath);
    if (auto) for (const e of auto.entries) if (!e.directive) occurrences.push({ key: e.key, name: e.name, value: e.value, file: autoPath, line: e.line });
  }
  // Of several lines spelled exactly alike, in whatever files, the server checks only the
  // value of the last (guc-file.l marks the earlier ones ignored); so does pgwarden.
  const lastExact = new Map<string, Occurrence>();
  for (const o of occurrences) lastExact.set(o.name, o);
  for (const o of occurrences) {
    const checked = lastExact.get(o.name) === o;
    if (o.setting?.param && o.setting.problem && !checked) delete o.setting.problem;
    if (o.valueProblem && o.via && checked) directiveProblems.get(o.via)?.push(o.valueProblem);
  }
  for (const [entry, problems] of directiveProblems) {
    if (!problems.length) continue;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    includeProblems.push({ entry, message: problems[0] + more });
  }
  const last = new Map<string, Occurrence>();
  for (const o of occurrences) last.set(o.key, o);
  for (const o of occurrences) {
    const winner = last.get(o.key)!;
    if (o.setting && winner !== o) o.setting.overriddenBy = { file: winner.file === undefined ? undefined : shortName(winner.file, path), line: winner.line };
  }
  const winners = new Map([...last].map(([key, o]) => [key, { value: o.value, file: o.file === undefined ? undefined : shortName(o.file, path), line: o.line }]));
  const includesUnread = !input.readFile && parsed.entries.some((e) => e.directive);
  return { uri: input.uri, path, version, parsed, settings, includeProblems, winners, includesUnread };
}

/** A file's name relative to the linted file's folder when it is inside it. */
function shortName(file: string, from: string | undefined): string {
  if (!from) return file;
  const dir = dirnameOf(from);
  const prefix = dir.endsWith('/') ? dir : dir + '/';
  return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}
