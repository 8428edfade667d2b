// db-settings: the server settings that the postgresql.conf rules (conf-*) judge weak, as
// the live server runs them (pg_settings). The judgement is the conf-* rules' own
// (core/conf/judge), so the file and the server can never disagree about what is weak;
// each finding names the conf-* rule whose judgement it is and where the server's value
// comes from. A setting the role may not see is left out, never guessed.

import { judgeSettings } from '../../conf/judge';
import { CONF_RULES } from '../../conf/rules';
import { ruleEnabled, Severity } from '../../rules';
import { LiveRule, liveMeta } from '../rule';
import { describeSource, liveView } from '../settings';

const CONF_META = new Map(CONF_RULES.map((r) => [r.meta.id, r.meta]));

/** Judgements another live rule already reports, by the conf rule that makes them. */
const REPORTED_ELSEWHERE = new Set(['conf-password-encryption']);

export const dbSettings: LiveRule = {
  meta: liveMeta(
    'db-settings',
    'warning',
    'Server settings (pg_settings) that the postgresql.conf rules judge weak: the same judgement, applied to what the server runs.',
  ),
  check(s, ctx) {
    if (!s.settings) return;
    const { rows, sourceHidden } = s.settings;
    const byKey = new Map(rows.map((r) => [r.name.toLowerCase(), r]));
    for (const j of judgeSettings(liveView(rows, s.serverMajor))) {
      const meta = j.ruleId ? CONF_META.get(j.ruleId) : undefined;
      if (j.ruleId && (REPORTED_ELSEWHERE.has(j.ruleId) || !ruleEnabled(meta, ctx.config.rules[j.ruleId]))) continue;
      const key = j.at.find((k) => byKey.has(k)) ?? j.at[0];
      const row = byKey.get(key);
      const configured = j.ruleId ? ctx.config.rules[j.ruleId] : undefined;
      const severity: Severity = configured && configured !== 'off' ? configured : j.severity ?? meta?.defaultSeverity ?? 'info';
      const from = row ? ` The server's value comes from ${describeSource(row, sourceHidden)}${row.pendingRestart ? '; a changed value waits for a restart (pending_restart)' : ''}.` : '';
      const judged = j.ruleId ? ` (the ${j.ruleId} judgement)` : '';
      ctx.report({
        objectKind: 'setting',
        object: row?.name ?? key,
        message: `${j.message}${from}${judged}`,
        severity,
        ...(row?.sourcefile ? { file: row.sourcefile, line: row.sourceline ?? undefined } : {}),
      });
    }
  },
};
