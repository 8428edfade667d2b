// missing-rls: a table created without ROW LEVEL SECURITY enabled anywhere in the
// workspace. Without RLS every role with a privilege on the table sees every row.

import { fix, insert } from '../../fix';
import { Finding } from '../../rules';
import { formatName, QualifiedName, rangeVarName } from '../ast';
import { SqlStmt } from '../document';
import { isTemporary } from '../facts';
import { qualifiedNameEnd, quoteQualified, statementInsertion } from '../quote';
import { SqlRule, SqlRuleContext } from '../rule';

export const missingRls: SqlRule = {
  meta: {
    id: 'missing-rls',
    language: 'sql',
    defaultSeverity: 'warning',
    description:
      'A table (CREATE TABLE, CREATE TABLE AS, SELECT INTO) in an RLS schema has no ALTER TABLE ... ENABLE ROW LEVEL SECURITY anywhere in the workspace.',
    fixable: true,
  },
  types: ['CreateStmt', 'CreateTableAsStmt', 'SelectStmt', 'CreateSchemaStmt'],
  check(stmt, ctx) {
    const n = stmt.node;
    if (stmt.type === 'CreateSchemaStmt') {
      // CREATE SCHEMA s CREATE TABLE t ...: the tables belong to the new schema (named
      // after the AUTHORIZATION role when the schema has no name of its own).
      const schema: string | undefined = n.schemaname ?? n.authrole?.RoleSpec?.rolename ?? n.authrole?.rolename;
      if (!schema) return [];
      return (n.schemaElts ?? []).flatMap((e: any) => (e?.CreateStmt && !e.CreateStmt.partbound ? check(stmt, ctx, e.CreateStmt.relation, schema) : []));
    }
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
    return check(stmt, ctx, rel);
  },
};

/** The finding for one created table, if it needs one; `schema` is given for tables inside CREATE SCHEMA. */
function check(stmt: SqlStmt, ctx: SqlRuleContext, rel: any, schema?: string): Finding[] {
  const named = rangeVarName(rel);
  // Temporary tables are visible only to the session that creates them.
  if (!named || isTemporary(rel)) return [];
  const table: QualifiedName = schema && !named.schema ? { schema, name: named.name } : named;
  const schemas = ctx.config.rlsSchemas;
  if (schemas && !schemas.includes(table.schema ?? 'public')) return [];
  if (ctx.workspace.rlsEnabled(table)) return [];

  const text = stmt.unit.parseText;
  const start = stmt.offset(rel.location);
  const end = stmt.unit.start + qualifiedNameEnd(text, start - stmt.unit.start);
  const sqlName = quoteQualified(table);
  const ins = statementInsertion(ctx.doc.text, stmt.unit.semicolon, stmt.unit.end, `ALTER TABLE ${sqlName} ENABLE ROW LEVEL SECURITY;`);
  return [
    {
      ruleId: 'missing-rls',
      start,
      end,
      message: `Table ${formatName(table)} has no row-level security: every role with a privilege on it sees and changes every row. Add ALTER TABLE ${sqlName} ENABLE ROW LEVEL SECURITY and policies.`,
      fixes: [fix(`Enable row-level security on ${formatName(table)}`, [insert(ins.at, ins.text)])],
    },
  ];
}
