// One entry point per document for both front ends, whatever its language: analyze
// (parse, keep what an edit can reuse, extract workspace facts) and lint (rules,
// suppressions, severities). pg_hba.conf and postgresql.conf plug in here.

import { PgwardenConfig } from './core/config';
import { ResolvedFinding, resolveSeverities } from './core/engine';
import { analyzeSql, AnalyzedSql, DocLanguage, lintAnalyzedSql } from './core/lint';
import { RULES_BY_ID } from './core/registry';
import { Finding } from './core/rules';
import { applySuppressions, CommentSpan } from './core/suppress';
import { LineIndex } from './core/text';
import { Workspace } from './core/workspace';
import { ParseCache, ParseOptions } from './core/sql/document';
import { lintHba } from './core/hba/lint';
import { lintConf } from './core/conf/lint';

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
    raw = a.input.language === 'hba' ? lintHba(input, ctx) : lintConf(input, ctx);
  } catch (err) {
    onInternalError?.(a.input.language, err);
    return [];
  }
  return resolveSeverities(applySuppressions(raw.findings, raw.comments, a.lines), config, RULES_BY_ID);
}
