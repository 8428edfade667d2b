// The live audit loop: every live rule over one catalog snapshot, then the pg_hba rules
// over the server's records, then pgwarden.json's severities. Pure; a rule that throws
// is reported once and the others still run, as in conf/lint.ts.

import { PgwardenConfig } from '../config';
import { applySeverities } from '../engine';
import { RULES_BY_ID } from '../registry';
import { ruleEnabled, type Severity } from '../rules';
import type { DbFinding } from './catalog';
import { auditHba, auditIdent } from './hba';
import type { LiveRuleContext } from './rule';
import { LIVE_RULES } from './rules';
import type { LiveSnapshot } from './snapshot';

/** A finding before severities: the pg_hba rules may set their own. */
export type RawLiveFinding = Omit<DbFinding, 'severity'> & { severity?: Severity };

/** Runs the live rules and the pg_hba adapter over a snapshot; severities follow pgwarden.json, rules set to "off" are dropped. */
export function runLiveAudit(snapshot: LiveSnapshot, config: PgwardenConfig, onInternalError?: (ruleId: string, err: unknown) => void): DbFinding[] {
  const raw: RawLiveFinding[] = [];
  for (const rule of LIVE_RULES) {
    if (!ruleEnabled(rule.meta, config.rules[rule.meta.id])) continue;
    const ctx: LiveRuleContext = { config, report: (r) => raw.push({ ruleId: rule.meta.id, ...r }) };
    try {
      rule.check(snapshot, ctx);
    } catch (err) {
      onInternalError?.(rule.meta.id, err);
    }
  }
  // The server's own superusers count, as a connected database's do for files in the editor.
  const superusers = snapshot.roles.filter((r) => r.superuser).map((r) => r.name);
  if (snapshot.hba) raw.push(...auditHba(snapshot.hba, config, onInternalError, { ident: snapshot.ident, superusers }));
  if (snapshot.ident) raw.push(...auditIdent(snapshot.ident, config, onInternalError, superusers));
  return applySeverities(raw, config, RULES_BY_ID);
}

/**
 * The skipped-check notes that concern enabled rules. A note reads "rule-a, rule-b: why";
 * rules switched off (or off by default) are dropped from it, and a note left with no rule
 * is dropped. Notes not about rule ids ("pg_hba rules: ...") are kept.
 */
export function enabledSkips(skipped: readonly string[], config: PgwardenConfig): string[] {
  const out: string[] = [];
  for (const note of skipped) {
    const colon = note.indexOf(': ');
    const ids = colon > 0 ? note.slice(0, colon).split(', ') : [];
    if (!ids.length || !ids.every((id) => RULES_BY_ID.has(id))) {
      out.push(note);
      continue;
    }
    const on = ids.filter((id) => ruleEnabled(RULES_BY_ID.get(id), config.rules[id]));
    if (on.length) out.push(`${on.join(', ')}${note.slice(colon)}`);
  }
  return out;
}
