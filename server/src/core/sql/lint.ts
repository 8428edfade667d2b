// Runs the SQL rules over a parsed document and returns raw findings (syntax errors
// included); suppressions and severities are applied by the caller through lintDocument.

import { Finding } from '../rules';
import { SqlDocument } from './document';
import { SqlRule, SqlRuleContext } from './rule';
import { SQL_RULES } from './rules';

export const SYNTAX_ERROR = 'syntax-error';

/** Rules indexed by the statement kinds they inspect, built once. */
const byType = new Map<string, SqlRule[]>();
const everyType: SqlRule[] = [];
for (const rule of SQL_RULES) {
  if (rule.types === '*') everyType.push(rule);
  else for (const t of rule.types) (byType.get(t) ?? byType.set(t, []).get(t)!).push(rule);
}

export function runSqlRules(doc: SqlDocument, ctx: SqlRuleContext): Finding[] {
  const findings: Finding[] = doc.syntaxErrors.map((e) => ({
    ruleId: SYNTAX_ERROR,
    start: e.start,
    end: e.end,
    message: `${e.message} (PostgreSQL would reject this statement)`,
  }));
  const off = ctx.config.rules;
  for (const stmt of doc.statements) {
    const rules = byType.get(stmt.type);
    for (const list of rules ? [rules, everyType] : [everyType]) {
      for (const rule of list) {
        if (off[rule.meta.id] === 'off') continue;
        try {
          for (const f of rule.check(stmt, ctx)) findings.push(f);
        } catch (err) {
          ctx.onInternalError?.(rule.meta.id, err);
        }
      }
    }
  }
  return findings;
}
