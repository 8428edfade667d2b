// The work of a lint run over many files, in two steps that a pool of worker threads can
// share (cli/pool.ts) or one thread can do alone: first each SQL file is parsed for the
// facts it contributes to its project; then, with every root's facts known, each file's
// rules run. A session keeps the files it analysed between the two steps, so a worker
// lints the files it parsed without parsing them again; everything that crosses between
// threads (texts, facts, findings) is plain data. A large file may be shared by several
// workers, each with a range of its statements (lint-split.ts).

import { analyze, Analysis, DocLanguage, lint } from './core/lint';
import { PgwardenConfig } from './core/config';
import { ResolvedFinding } from './core/engine';
import { ParseOptions } from './core/sql/document';
import { FileFacts } from './core/sql/facts';
import { Workspace } from './core/workspace';
import { listDir, readText } from './files';
import { namesHash, sha1 } from './inputs';
import { analyzePart, FileRange, headsOf, isSharedFacts, joinFacts, lintPart, PartAnalysis, PartOutcome, SharedFacts } from './lint-split';

export interface JobFile {
  path: string;
  uri: string;
  language: DocLanguage;
  text: string;
  parse?: ParseOptions;
  /** The project root: a pool keeps a root's files on one worker, so each root's model is built once. */
  root?: string;
  /** Only this range of the file's statements (a pool worker's share of a large file). */
  range?: FileRange;
}

/** A root's SQL files' facts in the order its migration tool runs them. */
export interface RootFacts {
  root: string;
  files: Array<[uri: string, facts: FileFacts]>;
}

/** A root as a pool worker receives it: a file it shares with other workers comes as SharedFacts. */
export interface WireRoot {
  root: string;
  files: Array<[uri: string, facts: FileFacts | SharedFacts]>;
}

export interface LintJob {
  file: JobFile;
  root: string;
  config: PgwardenConfig;
}

export interface LintOutcome {
  findings: ResolvedFinding[];
  /** Per finding, the head of its statement (what dumpRepeats compares), or null. */
  heads: Array<string | null>;
  /** For pg_hba.conf, pg_ident.conf and postgresql.conf: what the analysis read besides the file (the cache checks it again). */
  reads?: FileReads;
}

/** Files and folders an analysis read, each with the hash of what it found (readHash, listHash); null: not there. */
export interface FileReads {
  files: Array<[path: string, hash: string | null]>;
  dirs: Array<[path: string, hash: string | null]>;
}

export const readHash = (text: string | undefined): string | null => (text === undefined ? null : sha1(text));
export const listHash = namesHash;

/** Whether every file and folder read still holds what was read. */
export function readsHold(reads: FileReads): boolean {
  return reads.files.every(([path, hash]) => readHash(readText(path)) === hash) && reads.dirs.every(([path, hash]) => listHash(listDir(path)) === hash);
}

/** A job on a range of a file. */
export interface PartJob extends LintJob {
  file: JobFile & { range: FileRange };
}

export class LintSession {
  private readonly analyses = new Map<string, Analysis>();
  /** What each analysis of a file other than SQL read besides its text (includes, the pg_ident.conf beside a pg_hba.conf). */
  private readonly reads = new Map<string, FileReads>();
  private readonly parts = new Map<string, PartAnalysis>();
  private readonly workspaces = new Map<string, Workspace>();
  /** Internal failures of rules, as "rule: message", in the order they happened. */
  readonly internal: string[] = [];

  /** The file's analysis, made once per session (or replaced by `reanalyze`). */
  analysis(file: JobFile): Analysis {
    let a = this.analyses.get(file.path);
    if (!a) {
      // A session analyses each file once: its statements' trees need not outlive their facts and rules.
      if (file.language === 'sql') a = analyze({ uri: file.uri, text: file.text, language: file.language, readFile: readText, listDir, parse: { ...file.parse, transient: true } });
      else {
        const reads: FileReads = { files: [], dirs: [] };
        const readFile = (path: string) => {
          const text = readText(path);
          reads.files.push([path, readHash(text)]);
          return text;
        };
        const readDir = (path: string) => {
          const names = listDir(path);
          reads.dirs.push([path, listHash(names)]);
          return names;
        };
        a = analyze({ uri: file.uri, text: file.text, language: file.language, readFile, listDir: readDir, parse: file.parse });
        this.reads.set(file.path, reads);
      }
      this.analyses.set(file.path, a);
    }
    return a;
  }

  /** The analysis of a range of a SQL file, made once per session. */
  part(file: JobFile & { range: FileRange }): PartAnalysis {
    const key = `${file.path}\u0000${file.range.start}`;
    let p = this.parts.get(key);
    if (!p) this.parts.set(key, (p = analyzePart({ uri: file.uri, text: file.text, language: file.language, parse: file.parse }, file.range)));
    return p;
  }

  /** The facts of each SQL file or range of one (undefined for other languages), in the order given. */
  facts(files: readonly JobFile[]): Array<FileFacts | undefined> {
    return files.map((f) => (f.range ? this.part({ ...f, range: f.range }).analysis : this.analysis(f)).sql?.facts);
  }

  /** The roots' workspaces, built by adding each file's facts in migration order. */
  setWorkspaces(roots: readonly WireRoot[]): void {
    for (const r of roots) {
      const ws = new Workspace();
      for (const [uri, facts] of r.files) ws.setFile(uri, isSharedFacts(facts) ? this.joined(facts) : facts);
      this.workspaces.set(r.root, ws);
    }
  }

  /** A shared file's facts: this session's range's with the other ranges' received. */
  private joined(f: SharedFacts): FileFacts {
    const own = this.parts.get(`${f.path}\u0000${f.own.start}`)?.analysis.sql?.facts;
    if (!own) throw new Error(`${f.path}: the range at ${f.own.start} was not analysed by this worker`);
    return joinFacts(f.parts.map((b) => (b ? (JSON.parse(b) as FileFacts) : own)));
  }

  workspace(root: string): Workspace {
    let ws = this.workspaces.get(root);
    if (!ws) this.workspaces.set(root, (ws = new Workspace()));
    return ws;
  }

  lint(jobs: readonly LintJob[]): LintOutcome[] {
    return jobs.map((j) => {
      const a = this.analysis(j.file);
      const findings = lint(a, this.workspace(j.root), j.config, this.onInternalError);
      const doc = a.sql?.doc;
      const reads = this.reads.get(j.file.path);
      return { findings, heads: doc ? headsOf(doc, findings) : findings.map(() => null), ...(reads ? { reads } : {}) };
    });
  }

  /** The raw outcome of each range job, which lint-split.ts's joinOutcomes joins per file. */
  lintParts(jobs: readonly PartJob[]): PartOutcome[] {
    return jobs.map((j) => lintPart(this.part(j.file), this.workspace(j.root), j.config, this.onInternalError));
  }

  private readonly onInternalError = (id: string, err: unknown): void => {
    this.internal.push(`${id}: ${err instanceof Error ? err.message : String(err)}`);
  };

  /** A file changed (a fix was written): analysed again, its facts replacing the old ones in its root. */
  reanalyze(file: JobFile, root: string): Analysis {
    this.analyses.delete(file.path);
    this.reads.delete(file.path);
    const a = this.analysis(file);
    if (a.sql) this.workspace(root).setFile(file.uri, a.sql.facts);
    return a;
  }
}
