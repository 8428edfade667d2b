// The pipeline both front ends share: text -> parsed units -> workspace facts -> rules
// -> suppressions -> severities. The server keeps the intermediate results per document
// so an edit re-parses only what changed; the CLI runs it once per file.

import { PgwardenConfig } from './config';
import { ResolvedFinding, resolveSeverities } from './engine';
import { RULES_BY_ID } from './registry';
import { applySuppressions } from './suppress';
import { LineIndex } from './text';
import { Workspace } from './workspace';
import { ParseCache, ParseOptions, parseSqlDocument, SqlDocument } from './sql/document';
import { extractFacts, FileFacts } from './sql/facts';
import { runSqlRules } from './sql/lint';
import { classifyFile } from './model/layout';

export type DocLanguage = 'sql' | 'hba' | 'conf';

/** The language of a file by its name: pg_hba files, postgresql.conf files, else SQL. */
export function languageOfPath(path: string): DocLanguage | undefined {
  const base = path.split(/[\\/]/).pop() ?? path;
  if (/^pg_hba\.conf$|pg_hba.*\.conf$|\.hba$/i.test(base)) return 'hba';
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
  return resolveSeverities(applySuppressions(raw, a.doc.comments, a.lines), config, RULES_BY_ID);
}
