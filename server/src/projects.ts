// The projects of a CLI run or an editor workspace: each file's root (core/model/roots.ts)
// with its own Workspace of facts and its own pgwarden.json, found from the file's folder
// upward. Both front ends use this one container, so they group files and find
// configuration the same way. This is the I/O side; the decisions are in core.

import type { Dirent } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { minimatch } from 'minimatch';
import { ConfigProblem, defaultConfig, parseConfig, PgwardenConfig } from './core/config';
import { classifyFile, ContentTraits, controlSchema, FileLayout, parseSqitchPlan } from './core/model/layout';
import { absolute, childOf, hasProjectMarker, resolveConfigRoots, Root, rootOf, rootRelative } from './core/model/roots';
import { RULE_IDS } from './core/registry';
import { ParseOptions } from './core/sql/document';
import { compilePlaceholders, EXTENSION_PLACEHOLDERS, PlaceholderRule } from './core/sql/placeholders';
import { Workspace } from './core/workspace';
import { CONFIG_FILE, ignoreMatcher, IgnoreTest, listEntries, pathExists, readText } from './files';

export interface LoadedConfig {
  config: PgwardenConfig;
  /** The config file's path; undefined for the defaults. */
  path?: string;
  /** Its folder: where its globs are relative to (the boundary or the file's folder for the defaults). */
  dir: string;
  problems: ConfigProblem[];
  /** The extension-script placeholders, then the configured ones. */
  placeholders: readonly PlaceholderRule[];
  ignore: IgnoreTest;
}

export interface ProjectOptions {
  /** Paths given to the CLI (their folders, for files) or the editor's workspace folders. */
  boundaries: string[];
  /** `--config FILE`: one configuration for every file, instead of each file's nearest pgwarden.json. */
  configFile?: string;
  /** Text of config files open in the editor, by path, read instead of the disk. */
  openText?: (path: string) => string | undefined;
}

export class Projects {
  private readonly configs = new Map<string, LoadedConfig>();
  private readonly roots = new Map<string, Root>();
  private readonly markers = new Map<string, boolean>();
  private readonly listings = new Map<string, Map<string, boolean> | null>();
  private readonly dirents = new Map<string, readonly Dirent[] | null>();
  private readonly configFiles = new Map<string, boolean>();
  private readonly configOfPath = new Map<string, LoadedConfig>();
  private readonly plans = new Map<string, string[] | undefined>();
  /** Per control file path: the schema it names, '' for none, null when there is no such file. */
  private readonly controls = new Map<string, string | null>();
  private readonly workspaces = new Map<string, Workspace>();
  private readonly explicit: string | undefined;

  constructor(private readonly options: ProjectOptions) {
    this.explicit = options.configFile ? resolve(options.configFile) : undefined;
  }

  /** The root holding a file (absolute path), cached by the file's folder. */
  rootOf(path: string): Root {
    const dir = dirname(absolute(path));
    let r = this.roots.get(dir);
    if (!r) {
      r = rootOf(path, this.options.boundaries, {
        hasConfig: (d) => (this.explicit ? d === dirname(this.explicit) : this.hasConfig(d)),
        isProject: (d) => this.isProject(d),
        configRoots: (d) => resolveConfigRoots(d, this.configAt(d).config.migrations.roots),
      });
      this.roots.set(dir, r);
    }
    return r;
  }

  /** The configuration that applies to a file or folder: --config, else the nearest pgwarden.json above it. */
  configFor(path: string): LoadedConfig {
    return this.configOf(path, false);
  }

  /** configFor; `folder`: the path is known to be a folder, so its parent need not be listed to tell (above the folders linted, it would be listed for nothing). */
  private configOf(path: string, folder: boolean): LoadedConfig {
    if (this.explicit) return this.configAt(dirname(this.explicit));
    // Asked several times per file (ignore globs, rules, placeholders, layout): found once.
    let c = this.configOfPath.get(path);
    if (!c) {
      const abs = absolute(path);
      const parent = dirname(abs);
      // A file's configuration is its folder's (a file holds no pgwarden.json or project
      // marker): found once per folder, not once per file of a large tree.
      if (!folder && parent !== abs && this.listing(parent)?.get(basename(abs)) === false) c = this.configOf(parent, true);
      else {
        const root = this.rootOf(childOf(abs, '_'));
        c = this.configAt(root.configDir ?? root.dir, root.configDir === undefined);
      }
      this.configOfPath.set(path, c);
    }
    return c;
  }

  /** The problems of the pgwarden.json at a path (an editor's open text first). */
  configProblemsAt(path: string): ConfigProblem[] {
    return this.configAt(dirname(resolve(path))).problems;
  }

  /** Every configuration read so far (the CLI reports their problems). */
  loadedConfigs(): LoadedConfig[] {
    return [...this.configs.values()];
  }

  /** Whether a path is ignored by the "ignore" globs of its configuration. */
  readonly ignore: IgnoreTest = (path) => this.configFor(path).ignore(absolute(path));

  /** The Workspace of facts of a root. */
  workspace(root: string): Workspace {
    let ws = this.workspaces.get(root);
    if (!ws) this.workspaces.set(root, (ws = new Workspace()));
    return ws;
  }

  /** Each root's folder with its Workspace. */
  workspaceRoots(): Array<[string, Workspace]> {
    return [...this.workspaces.entries()];
  }

  /** Every root's Workspace, for facts that apply everywhere (a live catalog). */
  allWorkspaces(): Workspace[] {
    return [...this.workspaces.values()];
  }

  /** What a file is in its project, from its root-relative path, its content (text or traits) and its configuration. */
  layoutOf(path: string, text: string | ContentTraits | undefined): FileLayout {
    const root = this.rootOf(path);
    const loaded = this.configFor(path);
    const rel = rootRelative(root.dir, path);
    const matchGlob = (p: string, g: string) => minimatch(relative(loaded.dir, join(root.dir, p)).split(sep).join('/'), g, { dot: true });
    const layout = classifyFile(rel, text, { sqitchPlan: this.sqitchPlan(root.dir), migrations: loaded.config.migrations, matchGlob });
    const e = layout.extension;
    const schema = e && this.controlSchema(dirname(absolute(path)), root.dir, e.name);
    return schema && e ? { ...layout, extension: { ...e, schema } } : layout;
  }

  /** The schema named by `<name>.control` in the script's folder or a folder above it, up to the root. */
  private controlSchema(dir: string, root: string, name: string): string | undefined {
    if (!name) return undefined;
    for (let d = dir; ; d = dirname(d)) {
      const file = join(d, `${name}.control`);
      if (!this.controls.has(file)) {
        const text = readText(file);
        this.controls.set(file, text === undefined ? null : controlSchema(text) ?? '');
      }
      const found = this.controls.get(file);
      if (found !== null) return found || undefined;
      if (d === root || dirname(d) === d) return undefined;
    }
  }

  /** Parse options of a SQL file: its layout and its configuration's placeholders. */
  parseOptions(path: string, text: string | ContentTraits | undefined): ParseOptions {
    return { layout: this.layoutOf(path, text), placeholders: this.configFor(path).placeholders };
  }

  /** A folder's entries, read once (a CLI run's walk lists the folders through this too); undefined when it cannot be read. */
  readonly entries = (dir: string): readonly Dirent[] | undefined => {
    let e = this.dirents.get(dir);
    if (e === undefined) this.dirents.set(dir, (e = listEntries(dir) ?? null));
    return e ?? undefined;
  };

  /** Forgets cached configuration (a pgwarden.json changed); roots and workspaces stay. */
  reloadConfigs(): void {
    this.configs.clear();
    this.roots.clear();
    this.configFiles.clear();
    this.listings.clear();
    this.dirents.clear();
    this.configOfPath.clear();
  }

  private configAt(dir: string, defaults = false): LoadedConfig {
    const path = defaults ? undefined : this.explicit ?? join(dir, CONFIG_FILE);
    const key = path ?? `defaults:${dir}`;
    let c = this.configs.get(key);
    if (c) return c;
    let config = defaultConfig();
    let problems: ConfigProblem[] = [];
    if (path) {
      const text = this.options.openText?.(path) ?? readText(path);
      if (text === undefined) problems = [{ message: `cannot read config file ${path}`, start: 0, end: 0 }];
      else ({ config, problems } = parseConfig(text, RULE_IDS));
    }
    const placeholders = config.placeholders.length ? [...EXTENSION_PLACEHOLDERS, ...compilePlaceholders(config.placeholders).rules] : EXTENSION_PLACEHOLDERS;
    c = { config, path, dir: path ? dirname(path) : dir, problems, placeholders, ignore: ignoreMatcher(config.ignore, path ? dirname(path) : dir) };
    this.configs.set(key, c);
    return c;
  }

  /**
   * Whether a folder holds pgwarden.json, asked once per folder (every file's walk upward
   * passes the same folders). A folder listed already tells when it cannot be read; above
   * the folders linted, the file alone is looked for: listing /, /home and the like would
   * make a run (and its replay, cli/replay.ts) depend on everything they hold.
   */
  private hasConfig(dir: string): boolean {
    let h = this.configFiles.get(dir);
    if (h === undefined) this.configFiles.set(dir, (h = this.listings.get(dir) !== null && pathExists(childOf(dir, CONFIG_FILE))));
    return h;
  }

  private isProject(dir: string): boolean {
    let m = this.markers.get(dir);
    if (m === undefined) this.markers.set(dir, (m = hasProjectMarker([...(this.listing(dir)?.keys() ?? [])])));
    return m;
  }

  /**
   * A folder's entries (name: whether it may be a folder), or null for a path that is not a
   * readable folder; read once per folder. configFor walks upward from a file's own path as
   * if it were a folder: its parent's listing, read already, tells it is a file, which
   * spares a readdir that fails (and an exception) per file of a large workspace. (The
   * parent is not listed for this alone: that would list every folder up to /.)
   */
  private listing(dir: string): Map<string, boolean> | null {
    let l = this.listings.get(dir);
    if (l === undefined) {
      const parent = dirname(dir);
      if (parent !== dir && this.listings.get(parent)?.get(basename(dir)) === false) l = null;
      else {
        // A symbolic link may lead to a folder: it is read as one.
        const entries = this.entries(dir);
        l = entries ? new Map(entries.map((e) => [e.name, e.isDirectory() || e.isSymbolicLink()])) : null;
      }
      this.listings.set(dir, l);
    }
    return l;
  }

  private sqitchPlan(root: string): string[] | undefined {
    if (!this.plans.has(root)) {
      const text = readText(join(root, 'sqitch.plan'));
      this.plans.set(root, text === undefined ? undefined : parseSqitchPlan(text));
    }
    return this.plans.get(root);
  }
}
