// The server's model of the workspace: open documents with their last analysis, the
// facts of every indexed file on disk, and pgwarden.json. It knows nothing of the LSP
// connection; server.ts asks it for findings and tells it what changed.

import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { analyze, Analysis, lint } from '../analysis';
import { ConfigProblem, defaultConfig, parseConfig, PgwardenConfig } from '../core/config';
import { ResolvedFinding } from '../core/engine';
import { DocLanguage, analyzeSql } from '../core/lint';
import { RULE_IDS } from '../core/registry';
import { Workspace } from '../core/workspace';
import { collectFiles, CONFIG_FILE, ignoreMatcher, IgnoreTest, listDir, readText } from '../files';

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
  readonly workspace = new Workspace();
  private readonly open = new Map<string, OpenDoc>();
  private config: PgwardenConfig = defaultConfig();
  private configGeneration = 0;
  configUri: string | undefined;
  configProblems: ConfigProblem[] = [];
  private configText: string | undefined;
  private roots: string[] = [];
  private filesExclude: string[] = [];
  private ignore: IgnoreTest = () => false;

  constructor(private readonly onInternalError: (what: string, err: unknown) => void) {}

  get currentConfig(): PgwardenConfig {
    return this.config;
  }

  setRoots(rootPaths: string[]): void {
    this.roots = rootPaths;
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
    this.ignore = (p) => fromConfig(p) || fromEditor.some((m) => m(p));
  }

  isIgnored(uri: string): boolean {
    try {
      return uri.startsWith('file:') && this.ignore(fileURLToPath(uri));
    } catch {
      return false;
    }
  }

  /** Reads pgwarden.json from the first root that has one (or from its open document). */
  loadConfig(openText?: { uri: string; text: string }): void {
    let uri: string | undefined;
    let text: string | undefined;
    if (openText) {
      uri = openText.uri;
      text = openText.text;
    } else {
      for (const root of this.roots) {
        const p = `${root}/${CONFIG_FILE}`;
        const t = readText(p);
        if (t !== undefined) {
          uri = pathToFileURL(p).toString();
          text = t;
          break;
        }
      }
    }
    if (text === this.configText && uri === this.configUri) return;
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

  /** Indexes every SQL file under the roots (facts only; no ASTs are kept). */
  indexWorkspace(): number {
    const { files } = collectFiles(this.roots, this.ignore, 'sql');
    for (const f of files) {
      const uri = pathToFileURL(f.path).toString();
      if (this.open.has(uri)) continue;
      this.indexFile(uri, f.path);
    }
    return files.length;
  }

  /** Re-reads one file from disk (changed, created) unless it is open in the editor. */
  indexFile(uri: string, path = fileURLToPath(uri)): boolean {
    if (this.open.has(uri)) return false;
    if (this.ignore(path)) return this.workspace.deleteFile(uri);
    const text = readText(path);
    if (text === undefined) return this.workspace.deleteFile(uri);
    try {
      return this.workspace.setFile(uri, analyzeSql(uri, text).facts);
    } catch (err) {
      this.onInternalError(`indexing ${path}`, err);
      return false;
    }
  }

  forgetFile(uri: string): boolean {
    if (this.open.has(uri)) return false;
    return this.workspace.deleteFile(uri);
  }

  /** Analyzes an opened or changed document; returns whether workspace facts changed. */
  update(uri: string, version: number, language: DocLanguage, text: string): boolean {
    const previous = this.open.get(uri);
    const analysis = analyze({ uri, text, language, readFile: readText, listDir }, previous?.analysis);
    this.open.set(uri, { uri, version, language, analysis });
    if (analysis.sql && !this.isIgnored(uri)) return this.workspace.setFile(uri, analysis.sql.facts);
    return false;
  }

  close(uri: string): void {
    const doc = this.open.get(uri);
    this.open.delete(uri);
    // A closed file still exists on disk: its facts come from there again.
    if (doc?.language === 'sql' && uri.startsWith('file:')) this.indexFile(uri);
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
    const key = `${doc.version}:${this.workspace.version}:${this.configGeneration}`;
    if (doc.findings && doc.findingsKey === key) return doc.findings;
    doc.findings = lint(doc.analysis, this.workspace, this.config, (id, err) => this.onInternalError(`rule ${id}`, err));
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

  get indexedFiles(): number {
    return this.workspace.fileCount;
  }
}
