// Files on disk for both front ends: walking directories for lintable files, finding
// pgwarden.json, and matching ignore globs relative to the config's folder.

import { Dirent, existsSync, readFileSync, Stats, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { minimatch } from 'minimatch';
import { DocLanguage, languageOfPath } from './core/lint';
import { childOf } from './core/model/roots';
import { inputLog, readEntries } from './inputs';

export const CONFIG_FILE = 'pgwarden.json';

/** Directories never walked: dependencies and version control. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface FoundFile {
  /** Absolute path. */
  path: string;
  /** The path as the user gave it or as found under a given directory. */
  display: string;
  language: DocLanguage;
}

export type IgnoreTest = (absPath: string) => boolean;

/** A folder's entries, undefined when it cannot be read (listEntries, or a lister that keeps what it read: Projects.entries). */
export type FolderLister = (dir: string) => readonly Dirent[] | undefined;

export function ignoreMatcher(globs: readonly string[], baseDir: string): IgnoreTest {
  if (globs.length === 0) return () => false;
  return (absPath) => {
    const rel = relative(baseDir, absPath).split(sep).join('/');
    return globs.some((g) => minimatch(rel, g, { dot: true }) || minimatch(rel, `${g.replace(/\/$/, '')}/**`, { dot: true }));
  };
}

/**
 * Expands paths: files are taken as given (language by name, `forced` overrides, SQL
 * for an unknown extension named explicitly); directories are walked for every file
 * pgwarden knows by its name.
 */
export function collectFiles(paths: readonly string[], ignore: IgnoreTest, forced?: DocLanguage, list: FolderLister = listEntries): { files: FoundFile[]; missing: string[] } {
  const files: FoundFile[] = [];
  const missing: string[] = [];
  for (const given of paths) {
    const abs = resolve(given);
    const st = statPath(abs);
    if (!st) {
      missing.push(given);
      continue;
    }
    if (st.isDirectory()) walk(abs, given, ignore, forced, files, list);
    else if (!ignore(abs)) files.push({ path: abs, display: given, language: forced ?? languageOfPath(abs) ?? 'sql' });
  }
  return { files, missing };
}

function walk(dir: string, display: string, ignore: IgnoreTest, forced: DocLanguage | undefined, out: FoundFile[], list: FolderLister): void {
  const listed = list(dir);
  if (!listed) return;
  const entries = [...listed].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const abs = childOf(dir, e.name);
    const shown = display.endsWith('/') ? display + e.name : `${display}/${e.name}`;
    if (ignore(abs)) continue;
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(abs, shown, ignore, forced, out, list);
    } else if (e.isFile()) {
      const lang = languageOfPath(e.name);
      if (lang && (!forced || forced === lang)) out.push({ path: abs, display: shown, language: lang });
    }
  }
}

/** The nearest pgwarden.json at or above a directory. */
export function findConfig(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (pathExists(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

// The reads of a lint run go through these, which tell its log (inputs.ts) what was seen.

/** Reads a text file as UTF-8; undefined when it cannot be read. */
export function readText(path: string): string | undefined {
  const log = inputLog();
  log?.stamped(path);
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    text = undefined;
  }
  log?.read(path, text);
  return text;
}

/** A folder's entries; undefined when it cannot be read. */
export function listEntries(dir: string): Dirent[] | undefined {
  const log = inputLog();
  log?.stamped(dir, true);
  const entries = readEntries(dir);
  log?.listed(dir, entries);
  return entries;
}

/** The entry names of a directory; undefined when it cannot be read. */
export function listDir(path: string): string[] | undefined {
  return listEntries(path)?.map((e) => e.name);
}

/**
 * A path's stats (following links); undefined when it cannot be stat'ed. `content`: the
 * caller takes the file's text to be what its metadata says (the cache's metadata
 * strategy), so a run's log keeps the metadata, not only the kind.
 */
export function statPath(path: string, content = false): Stats | undefined {
  const log = inputLog();
  if (log) return content ? log.stamped(path) : log.probe(path);
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Whether a path exists (following links). */
export function pathExists(path: string): boolean {
  const log = inputLog();
  return log ? log.probe(path) !== undefined : existsSync(path);
}
