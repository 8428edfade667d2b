// Files on disk for both front ends: walking directories for lintable files, finding
// pgwarden.json, and matching ignore globs relative to the config's folder.

import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { minimatch } from 'minimatch';
import { DocLanguage, languageOfPath } from './core/lint';

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
export function collectFiles(paths: readonly string[], ignore: IgnoreTest, forced?: DocLanguage): { files: FoundFile[]; missing: string[] } {
  const files: FoundFile[] = [];
  const missing: string[] = [];
  for (const given of paths) {
    const abs = resolve(given);
    let st;
    try {
      st = statSync(abs);
    } catch {
      missing.push(given);
      continue;
    }
    if (st.isDirectory()) walk(abs, given, ignore, forced, files);
    else if (!ignore(abs)) files.push({ path: abs, display: given, language: forced ?? languageOfPath(abs) ?? 'sql' });
  }
  return { files, missing };
}

function walk(dir: string, display: string, ignore: IgnoreTest, forced: DocLanguage | undefined, out: FoundFile[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return;
  }
  for (const e of entries) {
    const abs = join(dir, e.name);
    const shown = display.endsWith('/') ? display + e.name : `${display}/${e.name}`;
    if (ignore(abs)) continue;
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(abs, shown, ignore, forced, out);
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
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads a text file as UTF-8; undefined when it cannot be read. */
export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The entry names of a directory; undefined when it cannot be read. */
export function listDir(path: string): string[] | undefined {
  try {
    return readdirSync(path);
  } catch {
    return undefined;
  }
}
