// The one front door of the analysis, for both front ends and every language: text ->
// parsed units -> workspace facts -> rules -> suppressions -> severities. `analyze`
// parses a document (keeping what an edit can reuse, and the facts other files see) and
// `lint` runs its rules; SQL, pg_hba.conf and postgresql.conf all enter here. The server
// keeps the intermediate results per document so an edit re-parses only what changed;
// the CLI runs it once per file.

import { PgwardenConfig } from './config';
import { ResolvedFinding, resolveSeverities } from './engine';
import { RULES_BY_ID } from './registry';
import { Finding } from './rules';
import { applySuppressions, CommentSpan } from './suppress';
import { LineIndex } from './text';
import { Workspace } from './workspace';
import { ParseCache, ParseOptions, parseSqlDocument, SqlDocument, SqlStmt } from './sql/document';
import { extractFacts, FactsCollector, FileFacts } from './sql/facts';
import { runSqlRules } from './sql/lint';
import { classifyFile } from './model/layout';
import { lintHba } from './hba/lint';
import { lintConf } from './conf/lint';
import { lintIdent } from './ident/lint';

export type DocLanguage = 'sql' | 'hba' | 'ident' | 'conf';

/** The language of a file by its name: pg_hba files, pg_ident files, postgresql.conf files, else SQL. */
export function languageOfPath(path: string): DocLanguage | undefined {
  const base = path.split(/[\\/]/).pop() ?? path;
  if (/^pg_hba\.conf$|pg_hba.*\.conf$|\.hba$/i.test(base)) return 'hba';
  if (/^pg_ident.*\.conf$/i.test(base)) return 'ident';
  if (/^postgresql(\.auto)?\.conf$|postgresql.*\.conf$/i.test(base)) return 'conf';
  if (/\.(sql|psql|pgsql)$/i.test(base)) return 'sql';
  return undefined;
}

export interface AnalyzedSql {
  doc: SqlDocument;
  cache: ParseCache;
  facts: FileFacts;
  lines: LineIndex;
}

export function analyzeSql(uri: string, text: string, previous?: ParseCache, options?: ParseOptions): AnalyzedSql {
  // Without a root from the caller, the file's own name and content still tell a pgTAP
  // test, a pg_dump or a down migration.
  const layout = options?.layout ?? classifyFile(uri.slice(uri.lastIndexOf('/') + 1), text);
  if (options?.transient) {
    // Each statement's facts as soon as it is parsed, and its tree let go: the rules read
    // it again, one statement at a time, so no tree outlives a few statements.
    const collector = new FactsCollector(uri, text, layout);
    const each = (s: SqlStmt): void => {
      collector.add(s);
      s.release();
    };
    const { doc, cache } = parseSqlDocument(uri, text, previous, { ...options, layout, each });
    return { doc, cache, facts: collector.facts, lines: new LineIndex(text) };
  }
  const { doc, cache } = parseSqlDocument(uri, text, previous, { ...options, layout });
  return { doc, cache, facts: extractFacts(doc), lines: new LineIndex(text) };
}

export function lintAnalyzedSql(
  a: AnalyzedSql,
  workspace: Workspace,
  config: PgwardenConfig,
  onInternalError?: (ruleId: string, err: unknown) => void,
): ResolvedFinding[] {
  const raw = runSqlRules(a.doc, { doc: a.doc, workspace, config, onInternalError });
  return settle(raw, a.doc.comments, a.lines, config);
}

/**
 * A document's report from its rules' raw findings: suppression comments applied (and the
 * unused ones reported), then the configured severities, in position order.
 */
export function settle(raw: Finding[], comments: readonly CommentSpan[], lines: LineIndex, config: PgwardenConfig): ResolvedFinding[] {
  return resolveSeverities(applySuppressions(raw, comments, lines), config, RULES_BY_ID);
}

export interface DocInput {
  uri: string;
  text: string;
  language: DocLanguage;
  /** Reads a file an include directive names (absolute path); undefined when missing. */
  readFile?: (path: string) => string | undefined;
  /** Lists a directory's entry names (include_dir); undefined when missing. */
  listDir?: (path: string) => string[] | undefined;
  /** Template placeholders (the extension-script ones when not given) and the file's place in its project. */
  parse?: ParseOptions;
}

export interface Analysis {
  input: DocInput;
  lines: LineIndex;
  sql?: AnalyzedSql;
}

export function analyze(input: DocInput, previous?: Analysis): Analysis {
  if (input.language === 'sql') {
    const prevCache: ParseCache | undefined = previous?.sql?.cache;
    const sql = analyzeSql(input.uri, input.text, prevCache, input.parse);
    return { input, lines: sql.lines, sql };
  }
  return { input, lines: new LineIndex(input.text) };
}

export function lint(
  a: Analysis,
  workspace: Workspace,
  config: PgwardenConfig,
  onInternalError?: (ruleId: string, err: unknown) => void,
): ResolvedFinding[] {
  if (a.sql) return lintAnalyzedSql(a.sql, workspace, config, onInternalError);
  let raw: { findings: Finding[]; comments: CommentSpan[] };
  const ctx = { workspace, config, onInternalError };
  const { uri, text, readFile, listDir } = a.input;
  const input = { uri, text, readFile, listDir, readDir: listDir };
  try {
    raw = a.input.language === 'hba' ? lintHba(input, ctx) : a.input.language === 'ident' ? lintIdent(input, ctx) : lintConf(input, ctx);
  } catch (err) {
    onInternalError?.(a.input.language, err);
    return [];
  }
  return settle(raw.findings, raw.comments, a.lines, config);
}
