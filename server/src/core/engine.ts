// Applies configuration to what rules found: drops rules set to "off", sets each
// finding's severity, and orders findings by position.

import { PgwardenConfig } from './config';
import { compareFindings, Finding, RuleMeta, ruleEnabled, Severity } from './rules';

export interface ResolvedFinding extends Finding {
  severity: Severity;
}

export function resolveSeverities(
  findings: readonly Finding[],
  config: PgwardenConfig,
  metaById: ReadonlyMap<string, RuleMeta>,
): ResolvedFinding[] {
  const out: ResolvedFinding[] = [];
  for (const f of findings) {
    const setting = config.rules[f.ruleId];
    if (setting === 'off' || !ruleEnabled(metaById.get(f.ruleId), setting)) continue;
    const severity: Severity = setting ?? f.severity ?? metaById.get(f.ruleId)?.defaultSeverity ?? 'warning';
    out.push({ ...f, severity });
  }
  return out.sort(compareFindings);
}
