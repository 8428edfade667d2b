// The shape of a live rule: metadata plus a pure check over a catalog snapshot, reporting
// through a context that stamps the rule's id, as ESLint's context.report does. The audit
// loop (./audit.ts) runs every rule of ./rules and resolves severities.

import { PgwardenConfig } from '../config';
import { RuleMeta, Severity } from '../rules';
import type { AuditObjectKind } from './catalog';
import type { LiveSnapshot } from './snapshot';

/** What a live rule reports: a finding located on a catalog object. */
export interface LiveReport {
  objectKind: AuditObjectKind;
  /** The role, schema-qualified relation or function, schema, setting or language (quoteIdent form). */
  object: string;
  message: string;
  /** For findings on one policy of a table: its name, so the tree can mark the policy. */
  policy?: string;
  /** Overrides the rule's default severity (db-settings reports the conf-* judgement's; the policy rules mix warnings and info). */
  severity?: Severity;
  /** The server's file and 1-based line the finding is about, when the server says (pg_settings sourcefile). */
  file?: string;
  line?: number;
  /**
   * The statement that fixes it, identifiers quoted, when the fix is a statement rather than a
   * decision (which roles a policy admits, which password to set). Shown to the user to
   * review and run; pgwarden never runs it.
   */
  fix?: string;
}

export interface LiveRuleContext {
  config: PgwardenConfig;
  report(r: LiveReport): void;
}

export interface LiveRule {
  meta: RuleMeta;
  check(snapshot: LiveSnapshot, ctx: LiveRuleContext): void;
}

/** The metadata of a live rule: language 'db', no fixes (findings sit on catalog objects, not text). */
export function liveMeta(id: string, defaultSeverity: Severity, description: string, extra: Pick<RuleMeta, 'defaultOff'> = {}): RuleMeta {
  return { id, language: 'db', defaultSeverity, description, fixable: false, ...extra };
}
