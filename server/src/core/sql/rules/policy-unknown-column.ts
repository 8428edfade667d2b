// policy-unknown-column: a CREATE or ALTER POLICY whose USING or WITH CHECK names a column
// its table does not have at that point of the migrations (pgrls HYG001). PostgreSQL
// refuses the statement, so the migration stops there; on a database where the run goes
// on past errors (psql without ON_ERROR_STOP) the table is left with RLS on and the policy
// missing. Judged only when the files give every column of the table (CREATE TABLE with
// its columns, then ADD, DROP and RENAME COLUMN), never on a subquery's columns.

import { Finding } from '../../rules';
import { formatName, QualifiedName, rangeVarName } from '../ast';
import { fileKind } from '../file-kind';
import { placeOf } from '../final-state';
import { qualifiedNameEnd } from '../quote';
import { SqlRule, SqlRuleContext } from '../rule';

/** Columns every table has without declaring them. */
const SYSTEM_COLUMNS = new Set(['tableoid', 'ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'oid']);

export const policyUnknownColumn: SqlRule = {
  meta: {
    id: 'policy-unknown-column',
    language: 'sql',
    defaultSeverity: 'error',
    description: "A policy's USING or WITH CHECK names a column its table does not have at that point of the migrations: PostgreSQL refuses the statement.",
    fixable: false,
  },
  types: ['CreatePolicyStmt', 'AlterPolicyStmt'],
  check(stmt, ctx) {
    // Routine bodies and down sections are not folded; a test script builds its own tables.
    if (stmt.nesting?.origin === 'routine' || stmt.down || fileKind(ctx.doc).test) return [];
    const table = rangeVarName(stmt.node.table);
    if (!table) return [];
    const columns = ctx.workspace.model(ctx.doc.uri).columnsAtPolicy(placeOf(stmt, ctx));
    if (!columns) return [];
    const known = new Set(columns);
    const out: Finding[] = [];
    for (const [clause, expr] of [
      ['USING', stmt.node.qual],
      ['WITH CHECK', stmt.node.with_check],
    ] as const) {
      for (const ref of columnRefs(expr)) {
        const name = missingColumn(ref, table, known, ctx);
        if (!name) continue;
        const start = stmt.offset(ref.location);
        if (stmt.variableAt(start)) continue;
        const end = stmt.unit.start + qualifiedNameEnd(stmt.unit.parseText, start - stmt.unit.start);
        out.push({
          ruleId: 'policy-unknown-column',
          start: stmt.toDocument(start),
          end: stmt.toDocumentEnd(end),
          message: `Policy "${stmt.node.policy_name}" on ${formatName(table)}: its ${clause} names column "${name}", which ${formatName(table)} does not have at this point of the migrations (it has ${columns.map((c) => `"${c}"`).join(', ') || 'no columns'}). PostgreSQL refuses the statement. Name an existing column, or add the column before the policy.`,
        });
      }
    }
    return out;
  },
};

interface ColumnRef {
  fields: any[];
  location?: number;
}

/** The column references of an expression outside its subqueries (whose columns come from their own FROM). */
function columnRefs(node: unknown, out: ColumnRef[] = []): ColumnRef[] {
  if (Array.isArray(node)) {
    for (const n of node) columnRefs(n, out);
    return out;
  }
  if (!node || typeof node !== 'object') return out;
  const n = node as Record<string, any>;
  if (n.ColumnRef) {
    out.push(n.ColumnRef);
    return out;
  }
  if (n.SubLink) return columnRefs(n.SubLink.testexpr, out);
  // for-in, not Object.values: no array of values per node of every policy's expressions.
  for (const k in n) {
    const v = n[k];
    if (v && typeof v === 'object') columnRefs(v, out);
  }
  return out;
}

/**
 * The column a reference names when the table surely lacks it: unqualified, or qualified
 * by the table's own name. Not a whole-row reference (the table's name alone, `t.*`), not
 * a system column, and not `t.f` when a function `f` is declared (functional notation
 * calls `f(t)`).
 */
function missingColumn(ref: ColumnRef, table: QualifiedName, known: Set<string>, ctx: SqlRuleContext): string | undefined {
  const names = (ref.fields ?? []).map((f: any) => f?.String?.sval);
  if (names.some((s: unknown) => typeof s !== 'string')) return undefined;
  let column: string;
  if (names.length === 1) {
    column = names[0];
    if (column === table.name) return undefined;
  } else if (names.length === 2 && names[0] === table.name) {
    column = names[1];
    if (known.has(table.name) || declaresFunction(ctx, column)) return undefined;
  } else return undefined;
  if (known.has(column) || SYSTEM_COLUMNS.has(column)) return undefined;
  return column;
}

function declaresFunction(ctx: SqlRuleContext, name: string): boolean {
  for (const k of ctx.workspace.model(ctx.doc.uri).state.functions.keys()) if (k.endsWith(`.${name}`)) return true;
  return false;
}
