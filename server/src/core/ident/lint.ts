// The pg_ident.conf entry point for both front ends: parse the document the way the
// server does (includes and @files through readFile), run every ident rule, and return raw
// findings plus the comments that carry suppressions, as lintHba does.

import { PgwardenConfig } from '../config';
import { Finding, runRules } from '../rules';
import { CommentSpan } from '../suppress';
import { Workspace } from '../workspace';
import { HbaLintInput } from '../hba/lint';
import { IdentParse, parseIdent } from './parse';
import { IdentRuleContext } from './rule';
import { IDENT_RULES } from './rules';

export interface IdentLintContext {
  workspace: Workspace;
  config: PgwardenConfig;
  onInternalError?: (ruleId: string, err: unknown) => void;
}

export interface IdentLintResult {
  findings: Finding[];
  comments: CommentSpan[];
  parse: IdentParse;
}

export function lintIdent(input: HbaLintInput, ctx: IdentLintContext): IdentLintResult {
  const parse = parseIdent(input.text, { version: ctx.config.postgresVersion, uri: input.uri, readFile: input.readFile, readDir: input.readDir });
  const rctx: IdentRuleContext = {
    text: input.text,
    parse,
    config: ctx.config,
    workspace: ctx.workspace,
    superusers: ctx.workspace.superusers(ctx.config.superusers),
  };
  return { findings: runRules(IDENT_RULES, rctx, ctx.onInternalError), comments: parse.comments, parse };
}
