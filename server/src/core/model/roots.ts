// Project roots: which files form one project, so that one project's facts (an ALTER
// DEFAULT PRIVILEGES ... REVOKE, a role created SUPERUSER, RLS enabled) never decide
// another's findings. The CLI and the editor find a file's root and its pgwarden.json the
// same way, from the file's folder upward. Pure: the caller answers what a folder holds.

import { dirname, join, relative, resolve, sep } from 'node:path';

export interface RootProbe {
  /** Whether the folder holds a pgwarden.json. */
  hasConfig(dir: string): boolean;
  /** Whether the folder is a project of its own (see PROJECT_MARKERS). */
  isProject(dir: string): boolean;
  /** The folders, absolute, that the pgwarden.json in `configDir` names as migration roots. */
  configRoots?(configDir: string): readonly string[];
}

export interface Root {
  /** The root folder, absolute. */
  dir: string;
  /** The folder of the pgwarden.json that applies (at or above the root), if any. */
  configDir?: string;
}

/**
 * Files and folders that make the folder holding them a project of its own: version
 * control, a package manifest, a migration tool's project file, an extension's control
 * file. (pgwarden.json makes a root too, and carries the configuration.)
 */
export const PROJECT_MARKERS: readonly string[] = ['.git', 'package.json', 'go.mod', 'Cargo.toml', 'pyproject.toml', 'sqitch.plan', 'flyway.conf', 'diesel.toml', '*.control'];

/** A path's characters that path.resolve would change: an empty, '.' or '..' segment, or a trailing separator. */
const NOT_NORMAL = /\/\/|\/\.\.?(\/|$)|\/$/;

/**
 * path.resolve, without its cost for a path that is absolute and normal already, as every
 * path of a walk is: resolve rebuilds a path character by character, and a run over a
 * thousand files asks for it several times per file.
 */
export function absolute(path: string): string {
  return sep === '/' && path.charCodeAt(0) === 47 && !NOT_NORMAL.test(path) ? path : resolve(path);
}

/** join(dir, name) for a folder that is absolute and normal and an entry name (no separator), without join's normalising of the whole path. */
export function childOf(dir: string, name: string): string {
  return sep === '/' ? (dir.endsWith('/') ? dir + name : `${dir}/${name}`) : join(dir, name);
}

/** Whether a folder's entry names include a project marker. */
export function hasProjectMarker(entries: readonly string[]): boolean {
  return entries.some((e) => e.endsWith('.control') || PROJECT_MARKERS.includes(e));
}

/**
 * The root of a file: walking up from its folder, the first folder that
 * - holds pgwarden.json, or is named in "migrations.roots" of the pgwarden.json above it;
 * - is a project (a PROJECT_MARKERS entry), so projects side by side in one workspace or
 *   one CLI run stay apart even without configuration;
 * - is a boundary (a path given to the CLI, an editor workspace folder), unless a
 *   pgwarden.json above it says where the project starts.
 * Without any of those, the folder of the nearest pgwarden.json, else the widest boundary
 * holding the file, else the file's own folder.
 */
export function rootOf(file: string, boundaries: readonly string[], probe: RootProbe): Root {
  const start = dirname(absolute(file));
  let configDir: string | undefined;
  for (let d = start; ; d = dirname(d)) {
    if (probe.hasConfig(d)) {
      configDir = d;
      break;
    }
    if (dirname(d) === d) break;
  }
  const named = configDir && probe.configRoots ? probe.configRoots(configDir).map((r) => resolve(r)) : [];
  const bounds = boundaries.map(absolute);
  const at = (dir: string): Root => (configDir ? { dir, configDir } : { dir });
  for (let d = start; ; d = dirname(d)) {
    if (d === configDir || named.includes(d) || probe.isProject(d)) return at(d);
    if (!configDir && bounds.includes(d)) return at(d);
    if (dirname(d) === d) break;
  }
  if (configDir) return at(configDir);
  const holding = bounds.filter((b) => isInside(start, b)).sort((a, b) => a.length - b.length);
  return at(holding[0] ?? start);
}

/** Whether `path` is `dir` or inside it. */
export function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
}

/** A file's path relative to its root, '/'-separated, as classifyFile takes it. */
export function rootRelative(root: string, file: string): string {
  const abs = absolute(file);
  const dir = absolute(root);
  // The common case, a file below its root, without path.relative's own two resolves.
  if (sep === '/' && abs.length > dir.length && abs.startsWith(dir) && (dir === '/' || abs.charCodeAt(dir.length) === 47)) return abs.slice(dir === '/' ? 1 : dir.length + 1);
  return relative(dir, abs).split(sep).join('/');
}

/** Resolves "migrations.roots" of the pgwarden.json in `configDir`. */
export function resolveConfigRoots(configDir: string, roots: readonly string[]): string[] {
  return roots.map((r) => join(configDir, r));
}
