// rls-no-policy: ENABLE ROW LEVEL SECURITY on a table that has no policy anywhere in the
// workspace (or the connected database). With no policy, RLS denies every row to every
// role but the owner, which is rarely what was meant and is usually "fixed" later by
// turning RLS off again or by a policy that lets everything through.

import { fix, insert } from '../../fix';
import { Finding } from '../../rules';
import { formatName } from '../ast';
import { rlsEnabled } from '../locate';
import { quoteIdent, quoteQualified, statementInsertion } from '../quote';
import { SqlRule } from '../rule';

export const rlsNoPolicy: SqlRule = {
  meta: {
    id: 'rls-no-policy',
    language: 'sql',
    defaultSeverity: 'warning',
    description:
      'ALTER TABLE ... ENABLE ROW LEVEL SECURITY on a table with no CREATE POLICY anywhere in the workspace: every role but the owner is denied every row.',
    fixable: true,
  },
  types: ['AlterTableStmt'],
  check(stmt, ctx) {
    const enabled = rlsEnabled(stmt);
    if (!enabled || ctx.workspace.hasPolicy(enabled.table)) return [];
    const { table, at } = enabled;
    const policy = `CREATE POLICY ${quoteIdent(`${table.name}_owner`)} ON ${quoteQualified(table)} FOR ALL TO app_role USING (owner = current_user);`;
    const ins = statementInsertion(ctx.doc.text, stmt.unit.semicolon, stmt.unit.end, policy);
    const finding: Finding = {
      ruleId: 'rls-no-policy',
      start: at.start,
      end: at.end,
      message: `Row-level security is enabled on ${formatName(table)} but no policy is created for it: every role except the owner sees no rows and cannot write any. Add CREATE POLICY ... ON ${quoteQualified(table)} for the roles that use it.`,
      fixes: [fix(`Add a policy template for ${formatName(table)}`, [insert(ins.at, ins.text)], true)],
    };
    return [finding];
  },
};
