// The postgresql.conf entry point for both front ends: text in, raw findings and the
// comment spans (for suppression directives) out. Suppressions and severities are
// applied by the caller through suppress.ts and engine.ts, as for SQL.

import { PgwardenConfig } from '../config';
import { Finding } from '../rules';
import { CommentSpan } from '../suppress';
import { Workspace } from '../workspace';
import { analyzeConf, ConfAnalysis, ConfInput } from './analyze';
import { CONF_RULES } from './rules';

export type { ConfInput } from './analyze';

export interface ConfLintContext {
  workspace: Workspace;
  config: PgwardenConfig;
  /** Called when a rule throws: the other rules still run, and the caller reports it once. */
  onInternalError?: (ruleId: string, err: unknown) => void;
}

export interface ConfLintResult {
  findings: Finding[];
  comments: CommentSpan[];
  analysis: ConfAnalysis;
}

/**
 * Lints one postgresql.conf text. `readFile` (and `listDir` for include_dir) let it
 * follow include directives relative to the file's path (`path`, or the file: URI);
 * without them includes are not checked. Never throws.
 */
export function lintConf(input: ConfInput, ctx: ConfLintContext): ConfLintResult {
  let analysis: ConfAnalysis;
  try {
    analysis = analyzeConf(input, ctx.config.postgresVersion);
  } catch (err) {
    ctx.onInternalError?.('conf-syntax', err);
    analysis = analyzeConf({ uri: input.uri, text: '' }, ctx.config.postgresVersion);
  }
  const findings: Finding[] = [];
  for (const rule of CONF_RULES) {
    try {
      findings.push(...rule.check(analysis, ctx));
    } catch (err) {
      ctx.onInternalError?.(rule.meta.id, err);
    }
  }
  const comments: CommentSpan[] = analysis.parsed.comments.map((c) => ({ start: c.start, end: c.end, body: c.body }));
  return { findings, comments, analysis };
}
