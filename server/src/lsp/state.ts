// The server's model of the workspace: open documents with their last analysis, the
// facts of every indexed file on disk grouped into project roots (each its own Workspace,
// found as the CLI finds them, see projects.ts), and pgwarden.json. It knows nothing of
// the LSP connection; server.ts asks it for findings and tells it what changed.

import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { analyze, Analysis, analyzeSql, DocLanguage, languageOfPath, lint } from '../core/lint';
import { ConfigProblem, defaultConfig, parseConfig, PgwardenConfig } from '../core/config';
import { ResolvedFinding } from '../core/engine';
import { RULE_IDS } from '../core/registry';
import { CatalogFacts, Workspace } from '../core/workspace';
import { collectFiles, CONFIG_FILE, ignoreMatcher, IgnoreTest, listDir, readText } from '../files';
import { Projects } from '../projects';
import { isInside } from '../core/model/roots';
import { ParseOptions } from '../core/sql/document';
import { identFacts } from '../core/ident/rule';
import { FileFacts } from '../core/sql/facts';
import { factsKey, LintCache, pgwardenBuild, sha1 } from '../lint-cache';
import { VERSION } from '../cli/version';
import { MAX_DOCUMENT_CHARS } from './limits';

export interface OpenDoc {
  uri: string;
  version: number;
  language: DocLanguage;
  analysis: Analysis;
  /** Findings for (analysis, workspace version, config generation); recomputed when either moves. */
  findings?: ResolvedFinding[];
  findingsKey?: string;
}

export class ServerState {
  /** Facts of documents outside every project root (untitled documents). */
  readonly workspace = new Workspace();
  private projects = new Projects({ boundaries: [] });
  private catalog: CatalogFacts | undefined;
  private readonly known = new Set<Workspace>([this.workspace]);
  /** pgwarden.json documents open in the editor, read instead of the disk. */
  private readonly openConfigs = new Map<string, string>();
  private readonly open = new Map<string, OpenDoc>();
  private config: PgwardenConfig = defaultConfig();
  private configGeneration = 0;
  configUri: string | undefined;
  configProblems: ConfigProblem[] = [];
  private configText: string | undefined;
  private roots: string[] = [];
  private filesExclude: string[] = [];
  private ignore: IgnoreTest = () => false;
  private indexCachePath: string | undefined;
  /** The index cache, read on first use (undefined: not read yet, or none). */
  private openedIndexCache: LintCache | undefined;

  constructor(private readonly onInternalError: (what: string, err: unknown) => void) {}

  get currentConfig(): PgwardenConfig {
    return this.config;
  }

  setRoots(rootPaths: string[]): void {
    this.roots = rootPaths;
    this.projects = new Projects({ boundaries: rootPaths, openText: (p) => this.openConfigs.get(p) });
    this.known.clear();
    this.known.add(this.workspace);
    this.rebuildIgnore();
  }

  /** The Workspace of the project root holding a document; untitled documents share one. */
  workspaceFor(uri: string): Workspace {
    const path = filePath(uri);
    if (path === undefined) return this.workspace;
    const ws = this.projects.workspace(this.projects.rootOf(path).dir);
    if (!this.known.has(ws)) {
      this.known.add(ws);
      if (this.catalog) ws.setCatalog(this.catalog);
    }
    return ws;
  }

  /** Each project root's folder with its Workspace (untitled documents' left out). */
  projectWorkspaces(): Array<{ root: string; ws: Workspace }> {
    return this.projects.workspaceRoots().map(([root, ws]) => ({ root, ws }));
  }

  /** Every root's Workspace. */
  workspaces(): Workspace[] {
    return [...this.known];
  }

  /** A live catalog's facts count in every root. */
  setCatalog(facts: CatalogFacts | undefined): void {
    this.catalog = facts;
    for (const ws of this.known) ws.setCatalog(facts);
  }

  /** The configuration of a document: the nearest pgwarden.json from its folder upward. */
  configFor(uri: string): PgwardenConfig {
    const path = filePath(uri);
    if (path === undefined) return this.config;
    const loaded = this.projects.configFor(path);
    // A file outside every workspace folder with no pgwarden.json of its own gets the
    // workspace's (as an untitled document does).
    if (loaded.path === undefined && !this.roots.some((r) => isInside(path, r))) return this.config;
    return loaded.config;
  }

  private parseOptions(uri: string, text: string): ParseOptions | undefined {
    const path = filePath(uri);
    return path === undefined ? undefined : this.projects.parseOptions(path, text);
  }

  /** `files.exclude` globs from the editor, honoured when indexing. */
  setFilesExclude(globs: string[]): void {
    this.filesExclude = globs;
    this.rebuildIgnore();
  }

  private rebuildIgnore(): void {
    const base = this.configUri ? dirname(fileURLToPath(this.configUri)) : this.roots[0] ?? process.cwd();
    const fromConfig = ignoreMatcher(this.config.ignore, base);
    const fromEditor = this.roots.map((r) => ignoreMatcher(this.filesExclude, r));
    const projects = this.projects;
    this.ignore = (p) => fromConfig(p) || projects.ignore(p) || fromEditor.some((m) => m(p));
  }

  isIgnored(uri: string): boolean {
    try {
      return uri.startsWith('file:') && this.ignore(fileURLToPath(uri));
    } catch {
      return false;
    }
  }

  /**
   * Takes a pgwarden.json document's text (opened or edited) or its closing (no text), then
   * reads the workspace's own configuration: the first root's pgwarden.json, from the editor
   * when it is open. A nested project's pgwarden.json configures only its project (found from
   * each file's folder upward), never the whole workspace.
   */
  loadConfig(change?: { uri: string; text?: string }): void {
    const changed = change && filePath(change.uri);
    if (changed) {
      if (change.text === undefined) this.openConfigs.delete(changed);
      else this.openConfigs.set(changed, change.text);
    }
    let uri: string | undefined;
    let text: string | undefined;
    for (const root of this.roots) {
      const p = `${root}/${CONFIG_FILE}`;
      const t = this.openConfigs.get(p) ?? readText(p);
      if (t !== undefined) {
        uri = pathToFileURL(p).toString();
        text = t;
        break;
      }
    }
    // With no folder open, the pgwarden.json being edited is the only configuration there is.
    if (text === undefined && changed && change.text !== undefined && !this.roots.some((r) => isInside(changed, r))) {
      uri = change.uri;
      text = change.text;
    }
    // Every file's configuration is found again from its folder upward.
    this.projects.reloadConfigs();
    if (text === this.configText && uri === this.configUri) {
      this.configGeneration++;
      this.rebuildIgnore();
      return;
    }
    this.configUri = uri;
    this.configText = text;
    if (text === undefined) {
      this.config = defaultConfig();
      this.configProblems = [];
    } else {
      const parsed = parseConfig(text, RULE_IDS);
      this.config = parsed.config;
      this.configProblems = parsed.problems;
    }
    this.configGeneration++;
    this.rebuildIgnore();
  }

  /** The problems of one pgwarden.json (the workspace's or a nested project's), as its text reads now. */
  configProblemsOf(uri: string): ConfigProblem[] {
    const path = filePath(uri);
    return path === undefined ? [] : this.projects.configProblemsAt(path);
  }

  /**
   * Where the index keeps each file's facts between sessions (the editor's storage for this
   * workspace), or undefined for none. A cache that cannot be read is started afresh: the
   * editor has no one to tell, and the next save rewrites it.
   */
  setIndexCache(path: string | undefined): void {
    this.indexCachePath = path;
    this.openedIndexCache = undefined;
  }

  /**
   * The index cache, read when indexing first needs it: a large workspace's cache file takes
   * a while to read, and the documents opened at start are analysed before that.
   */
  private get indexCache(): LintCache | undefined {
    if (this.indexCachePath !== undefined && !this.openedIndexCache) this.openedIndexCache = LintCache.open(this.indexCachePath, pgwardenBuild(VERSION), () => undefined);
    return this.openedIndexCache;
  }

  /** Files whose facts came from the index cache. */
  get indexCacheHits(): number {
    return this.openedIndexCache?.stats.factsHits ?? 0;
  }

  /** Indexes every SQL file under the roots (facts only; no ASTs are kept). */
  indexWorkspace(): number {
    const n = this.indexStart();
    this.indexBatch(Infinity);
    return n;
  }

  /** Files found by indexStart and not indexed yet, by path. */
  private unindexed: string[] = [];

  /**
   * Finds the SQL files to index and returns how many; indexBatch then indexes them a few
   * at a time, so that other requests (an opened document's diagnostics) are answered
   * between batches instead of after the whole workspace.
   */
  indexStart(): number {
    const { files } = collectFiles(this.roots, this.ignore, 'sql');
    this.unindexed = files.map((f) => f.path);
    return files.length;
  }

  /** Indexes up to `max` of the files indexStart found; returns how many are left. */
  indexBatch(max: number): number {
    const batch = this.unindexed.splice(0, max);
    for (const path of batch) {
      const uri = pathToFileURL(path).toString();
      if (!this.open.has(uri)) this.indexFile(uri, path);
    }
    if (this.unindexed.length === 0) this.indexCache?.save(() => undefined);
    return this.unindexed.length;
  }

  /** Re-reads one file from disk (changed, created) unless it is open in the editor. */
  indexFile(uri: string, path = fileURLToPath(uri)): boolean {
    if (this.open.has(uri)) return false;
    const ws = this.workspaceFor(uri);
    if (this.ignore(path)) return ws.deleteFile(uri);
    const text = readText(path);
    if (text === undefined) return ws.deleteFile(uri);
    try {
      return ws.setFile(uri, this.factsOf(uri, path, text));
    } catch (err) {
      this.onInternalError(`indexing ${path}`, err);
      return false;
    }
  }

  /** A file's facts: from the index cache when its text and parse inputs are unchanged, else parsed (and cached). */
  private factsOf(uri: string, path: string, text: string): FileFacts {
    const parse = this.parseOptions(uri, text);
    const cache = this.indexCache;
    if (!cache) return analyzeSql(uri, text, undefined, parse).facts;
    const key = factsKey({ uri: path, text, layout: parse?.layout, placeholders: this.projects.configFor(path).config.placeholders });
    const entry = cache.get(path, key);
    const cached = entry && cache.facts(entry);
    if (cached) return cached;
    const facts = analyzeSql(uri, text, undefined, parse).facts;
    cache.set(path, { key, facts: JSON.stringify(facts) });
    return facts;
  }

  forgetFile(uri: string): boolean {
    if (this.open.has(uri)) return false;
    return this.workspaceFor(uri).deleteFile(uri);
  }

  /** Analyzes an opened or changed document; returns whether workspace facts changed. */
  update(uri: string, version: number, language: DocLanguage, text: string): boolean {
    const previous = this.open.get(uri);
    const parse = language === 'sql' ? this.parseOptions(uri, text) : undefined;
    const analysis = analyze({ uri, text, language, readFile: readText, listDir, parse }, previous?.analysis);
    this.open.set(uri, { uri, version, language, analysis });
    if (analysis.sql && !this.isIgnored(uri)) return this.workspaceFor(uri).setFile(uri, analysis.sql.facts);
    // An open pg_ident.conf's maps, as edited, judge the records with map= of the pg_hba.conf beside it.
    if (language === 'ident') {
      const maps = identFacts(text, { version: this.configFor(uri).postgresVersion, uri, readFile: readText, readDir: listDir });
      return this.workspaceFor(uri).setIdentMaps(uri, maps);
    }
    return false;
  }

  close(uri: string): void {
    const doc = this.open.get(uri);
    this.open.delete(uri);
    // A closed file still exists on disk: its facts come from there again.
    if (doc?.language === 'sql' && uri.startsWith('file:')) this.indexFile(uri);
    if (doc?.language === 'ident') this.workspaceFor(uri).setIdentMaps(uri, undefined);
  }

  get(uri: string): OpenDoc | undefined {
    return this.open.get(uri);
  }

  openDocs(): OpenDoc[] {
    return [...this.open.values()];
  }

  findings(uri: string): ResolvedFinding[] {
    const doc = this.open.get(uri);
    if (!doc || this.isIgnored(uri)) return [];
    const ws = this.workspaceFor(uri);
    const key = `${doc.version}:${this.known.size}:${ws.version}:${this.configGeneration}`;
    if (doc.findings && doc.findingsKey === key) return doc.findings;
    doc.findings = lint(doc.analysis, ws, this.configFor(uri), (id, err) => this.onInternalError(`rule ${id}`, err));
    doc.findingsKey = key;
    return doc.findings;
  }

  /**
   * The workspace's SQL files (minus ignored ones) with their current text: open
   * documents as edited, the others from disk; in URI order. For "Find in workspace" and
   * for placing live findings, with the same roots, ignore globs and config as the index.
   */
  workspaceSqlTexts(): Array<{ uri: string; text: string }> {
    const out = new Map<string, string>();
    for (const f of collectFiles(this.roots, this.ignore, 'sql').files) {
      const uri = pathToFileURL(f.path).toString();
      const text = this.open.get(uri)?.analysis.input.text ?? readText(f.path);
      if (text !== undefined) out.set(uri, text);
    }
    for (const d of this.open.values()) {
      if (d.language === 'sql' && !this.isIgnored(d.uri)) out.set(d.uri, d.analysis.input.text);
    }
    return [...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([uri, text]) => ({ uri, text }));
  }

  /**
   * The workspace's files pgwarden lints (SQL, pg_hba, pg_ident and postgresql.conf files),
   * minus ignored ones, and every pgwarden.json read (a broken nested one would otherwise
   * go unnoticed), that are not open, in URI order: what workspace diagnostics report from disk.
   */
  closedFiles(): string[] {
    const configs = this.projects.loadedConfigs().flatMap((c) => (c.path === undefined || this.openConfigs.has(c.path) ? [] : [c.path]));
    const paths = [...collectFiles(this.roots, this.ignore).files.map((f) => f.path), ...configs];
    return [...new Set(paths.map((p) => pathToFileURL(p).toString()))].filter((uri) => !this.open.has(uri)).sort();
  }

  /** A closed pgwarden.json's text on disk and its problems; undefined when it is open, gone or not one read. */
  closedConfig(uri: string): { text: string; problems: ConfigProblem[] } | undefined {
    const path = filePath(uri);
    const known = path !== undefined && !this.openConfigs.has(path) && this.projects.loadedConfigs().some((c) => c.path === path);
    const text = known ? readText(path) : undefined;
    return text === undefined ? undefined : { text, problems: this.projects.configProblemsAt(path!) };
  }

  /**
   * A closed file's findings as its text on disk reads them, linted exactly as an open
   * document is (same roots, facts and config), with the key of what they depend on: the
   * text, its root's facts and the config. When `cachedKey` still matches, nothing is
   * linted. Undefined when the file is open, ignored or gone.
   */
  closedFindings(uri: string, cachedKey?: string): { key: string; tooLarge?: boolean; findings?: ResolvedFinding[]; lines?: Analysis['lines'] } | undefined {
    const path = filePath(uri);
    const language = path === undefined ? undefined : languageOfPath(path);
    if (path === undefined || !language || this.open.has(uri) || this.ignore(path)) return undefined;
    const text = readText(path);
    if (text === undefined) return undefined;
    const ws = this.workspaceFor(uri);
    // An hba file's findings also read the files it includes and the pg_ident.conf beside
    // it; those are read afresh whenever the key moves (the config, an edit's facts).
    const key = `${sha1(text)}:${ws.version}:${this.known.size}:${this.configGeneration}`;
    if (key === cachedKey && language === 'sql') return { key };
    if (text.length > MAX_DOCUMENT_CHARS) return { key, tooLarge: true };
    const parse = language === 'sql' ? this.parseOptions(uri, text) : undefined;
    const analysis = analyze({ uri, text, language, readFile: readText, listDir, parse });
    const findings = lint(analysis, ws, this.configFor(uri), (id, err) => this.onInternalError(`rule ${id}`, err));
    return { key, findings, lines: analysis.lines };
  }

  get indexedFiles(): number {
    return this.workspaces().reduce((n, ws) => n + ws.fileCount, 0);
  }

  /** Increases whenever a fact of any root changes. */
  get workspaceVersion(): number {
    return this.workspaces().reduce((n, ws) => n + ws.version, 0);
  }
}

/** The file path of a file: URI; undefined for untitled and other schemes. */
function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
