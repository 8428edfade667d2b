// Applies configuration to what rules found: drops rules set to "off", sets each
// finding's severity, and orders findings by position. The one severity resolution for
// every kind of finding, located in a file or on a live catalog object.

import { PgwardenConfig } from './config';
import { compareFindings, Finding, RuleMeta, ruleEnabled, Severity } from './rules';

export interface ResolvedFinding extends Finding {
  severity: Severity;
}

/**
 * Each finding with its severity: pgwarden.json's setting, else the finding's own, else
 * the rule's default. Findings of rules set to "off" are dropped; order is kept.
 */
export function applySeverities<T extends { ruleId: string; severity?: Severity }>(
  findings: readonly T[],
  config: PgwardenConfig,
  metaById: ReadonlyMap<string, RuleMeta>,
): Array<T & { severity: Severity }> {
  const out: Array<T & { severity: Severity }> = [];
  for (const f of findings) {
    const setting = config.rules[f.ruleId];
    if (setting === 'off' || !ruleEnabled(metaById.get(f.ruleId), setting)) continue;
    const severity: Severity = setting ?? f.severity ?? metaById.get(f.ruleId)?.defaultSeverity ?? 'warning';
    out.push({ ...f, severity });
  }
  return out;
}

export function resolveSeverities(
  findings: readonly Finding[],
  config: PgwardenConfig,
  metaById: ReadonlyMap<string, RuleMeta>,
): ResolvedFinding[] {
  return applySeverities(findings, config, metaById).sort(compareFindings);
}
