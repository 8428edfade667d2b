// The registry of every rule id pgwarden can report, with its metadata. Rule ids are a
// public contract: diagnostics, suppression comments, pgwarden.json and the CLI use them.

import { CONF_RULES } from './conf/rules';
import { HBA_RULES } from './hba/rules';
import { IDENT_RULES } from './ident/rules';
import { LIVE_RULES } from './live/rules';
import { RuleMeta } from './rules';
import { SQL_RULES } from './sql/rules';
import { UNUSED_SUPPRESSION } from './suppress';

/** Findings the engine itself produces, not a rule function. */
const ENGINE_RULES: RuleMeta[] = [
  {
    id: 'syntax-error',
    language: 'sql',
    defaultSeverity: 'error',
    description: 'A statement PostgreSQL would reject, reported at the parser\'s position.',
    fixable: false,
  },
  {
    id: 'not-analysed',
    language: 'sql',
    defaultSeverity: 'warning',
    description: 'A document the server did not analyse: too large, too slow to parse, or fatal to the parser.',
    fixable: false,
  },
  {
    id: UNUSED_SUPPRESSION,
    language: 'sql',
    defaultSeverity: 'hint',
    description: 'A pgwarden-disable comment that suppresses nothing.',
    fixable: false,
  },
];

export const ALL_RULES: readonly RuleMeta[] = [
  ...ENGINE_RULES,
  ...SQL_RULES.map((r) => r.meta),
  ...HBA_RULES.map((r) => r.meta),
  ...IDENT_RULES.map((r) => r.meta),
  ...CONF_RULES.map((r) => r.meta),
  ...LIVE_RULES.map((r) => r.meta),
];

export const RULES_BY_ID: ReadonlyMap<string, RuleMeta> = new Map(ALL_RULES.map((m) => [m.id, m]));
export const RULE_IDS: ReadonlySet<string> = new Set(RULES_BY_ID.keys());
