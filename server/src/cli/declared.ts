// The declared state of the SQL files named on a command line, for `drift` and `impact`:
// the files are grouped into project roots as `lint` groups them, analysed, and folded in
// the order the root's migration tool runs them. A drift check compares one database with
// one history, so the paths must lie in one root.

import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PgwardenConfig } from '../core/config';
import { analyze } from '../core/lint';
import { compareLayout } from '../core/model/layout';
import { Model } from '../core/model/model';
import type { Place } from '../core/model/state';
import { LineIndex } from '../core/text';
import { collectFiles, listDir, readText } from '../files';
import { Projects } from '../projects';
import { statSync } from 'node:fs';
import { CliError } from './io';
import { CliPlace } from './output';

export interface DeclaredFiles {
  model: Model;
  /** Each file by URI: how to show it and where its lines are. */
  files: Map<string, { display: string; text: string; lines: LineIndex }>;
  /** Every file's URI, in migration order. */
  order: string[];
  /** The configuration of the project the files belong to (--config, else its pgwarden.json). */
  config: PgwardenConfig;
}

const isDirectory = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** The declared state of the SQL files under `paths`, leaving out `exclude` (absolute paths). */
export function loadDeclared(paths: readonly string[], configFile: string | undefined, usage: string, exclude: ReadonlySet<string> = new Set()): DeclaredFiles {
  if (paths.length === 0) throw new CliError(`no PATH given\n${usage}`);
  if (configFile && readText(resolve(configFile)) === undefined) throw new CliError(`cannot read config file ${configFile}`);
  const projects = new Projects({ boundaries: paths.map((p) => (isDirectory(p) ? resolve(p) : dirname(resolve(p)))), configFile });
  const found = collectFiles(paths, projects.ignore, 'sql');
  const missing = found.missing;
  const files = found.files.filter((f) => !exclude.has(resolve(f.path)));
  if (missing.length) throw new CliError(`no such file or directory: ${missing.join(', ')}`);
  for (const c of projects.loadedConfigs()) if (c.problems.length) throw new CliError(`${c.path ?? 'pgwarden.json'}: ${c.problems[0].message}`);
  const roots = [...new Set(files.map((f) => projects.rootOf(f.path).dir))];
  if (roots.length > 1) throw new CliError(`the paths hold ${roots.length} projects (${roots.join(', ')}); compare one at a time`);
  const loaded = files.map((f) => {
    const text = readText(f.path);
    if (text === undefined) throw new CliError(`cannot read ${f.display}`);
    return { f, text, uri: pathToFileURL(f.path).toString(), parse: projects.parseOptions(f.path, text) };
  });
  loaded.sort((a, b) => (a.parse?.layout && b.parse?.layout ? compareLayout(a.parse.layout, b.parse.layout) : 0));
  const ws = projects.workspace(roots[0] ?? resolve(paths[0]));
  const out = new Map<string, { display: string; text: string; lines: LineIndex }>();
  for (const l of loaded) {
    const a = analyze({ uri: l.uri, text: l.text, language: 'sql', readFile: readText, listDir, parse: l.parse });
    if (a.sql) ws.setFile(l.uri, a.sql.facts);
    out.set(l.uri, { display: l.f.display, text: l.text, lines: a.lines });
  }
  const root = roots[0] ?? resolve(paths[0]);
  return { model: ws.model(), files: out, order: loaded.map((l) => l.uri), config: projects.configFor(join(root, '_')).config };
}

/** A declared place as the CLI prints it: the statement's first line. */
export function cliPlace(files: DeclaredFiles['files'], at: Place | undefined, model: Model): CliPlace | undefined {
  const file = at && files.get(at.uri);
  if (!file || !at) return undefined;
  const start = file.lines.positionAt(model.startOf(at));
  const end = file.lines.positionAt(at.end);
  return { file: file.display.replace(/^(\.\/)+/, ''), line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}
