// missing-rls: a table created without ROW LEVEL SECURITY enabled anywhere in the
// workspace. Without RLS every role with a privilege on the table sees every row.

import { fix, insert } from '../../fix';
import { Finding } from '../../rules';
import { formatName, rangeVarName } from '../ast';
import { isTemporary } from '../facts';
import { qualifiedNameEnd, quoteQualified, statementInsertion } from '../quote';
import { SqlRule } from '../rule';

export const missingRls: SqlRule = {
  meta: {
    id: 'missing-rls',
    language: 'sql',
    defaultSeverity: 'warning',
    description:
      'A table (CREATE TABLE, CREATE TABLE AS, SELECT INTO) in an RLS schema has no ALTER TABLE ... ENABLE ROW LEVEL SECURITY anywhere in the workspace.',
    fixable: true,
  },
  types: ['CreateStmt', 'CreateTableAsStmt', 'SelectStmt'],
  check(stmt, ctx) {
    const n = stmt.node;
    let rel: any;
    if (stmt.type === 'CreateStmt') {
      // A partition is reached through its parent, whose policies apply to every row read
      // that way; reading a partition directly needs privileges granted on the partition
      // itself, which grants on the parent do not give. The parent is checked instead.
      if (n.partbound) return [];
      rel = n.relation;
    } else if (stmt.type === 'CreateTableAsStmt') {
      if (n.objtype !== 'OBJECT_TABLE') return [];
      rel = n.into?.rel;
    } else {
      rel = n.intoClause?.rel;
    }
    const table = rangeVarName(rel);
    // Temporary tables are visible only to the session that creates them.
    if (!table || isTemporary(rel)) return [];
    const schemas = ctx.config.rlsSchemas;
    if (schemas && !schemas.includes(table.schema ?? 'public')) return [];
    if (ctx.workspace.rlsEnabled(table)) return [];

    const text = stmt.unit.parseText;
    const start = stmt.offset(rel.location);
    const end = stmt.unit.start + qualifiedNameEnd(text, start - stmt.unit.start);
    const sqlName = quoteQualified(table);
    const ins = statementInsertion(ctx.doc.text, stmt.unit.semicolon, stmt.unit.end, `ALTER TABLE ${sqlName} ENABLE ROW LEVEL SECURITY;`);
    const finding: Finding = {
      ruleId: 'missing-rls',
      start,
      end,
      message: `Table ${formatName(table)} has no row-level security: every role with a privilege on it sees and changes every row. Add ALTER TABLE ${sqlName} ENABLE ROW LEVEL SECURITY and policies.`,
      fixes: [fix(`Enable row-level security on ${formatName(table)}`, [insert(ins.at, ins.text)])],
    };
    return [finding];
  },
};
