// definer-search-path-unsafe: a SECURITY DEFINER function that pins search_path without
// pg_temp as its last entry, and whose body names a table unqualified. PostgreSQL searches
// the caller's temporary schema first for relations and types unless search_path lists
// pg_temp, so a caller's `CREATE TEMP TABLE files (...)` is what the function reads or
// writes, with its owner's rights.

import { fix, insert, replace } from '../../fix';
import { Finding } from '../../rules';
import { defElemValue, formatName, qualifiedFromList, walk } from '../ast';
import { bodyStatements } from '../body-sql';
import { SqlStmt } from '../document';
import { finalFunctions } from '../final-state';
import { statementEffects } from '../../model/effects';
import { FunctionState } from '../../model/state';
import { tokenEndAt } from '../locate';
import { SqlRule } from '../rule';

export const definerSearchPathUnsafe: SqlRule = {
  meta: {
    id: 'definer-search-path-unsafe',
    language: 'sql',
    defaultSeverity: 'warning',
    description:
      'A SECURITY DEFINER function sets search_path without pg_temp last and names a table unqualified: a temporary table of the caller takes its place.',
    fixable: true,
  },
  types: ['CreateFunctionStmt'],
  skipTests: true,
  check(stmt, ctx) {
    const n = stmt.node;
    const options: any[] = n.options ?? [];
    if (!options.some((o) => o?.DefElem?.defname === 'security' && defElemValue(o.DefElem) === true)) return [];
    const set = options.map((o) => (o?.DefElem?.defname === 'set' ? o.DefElem.arg?.VariableSetStmt : undefined)).find((v) => v?.name === 'search_path');
    // FROM CURRENT takes the path in effect when the function is created, which the file does not show.
    if (set?.kind !== 'VAR_SET_VALUE') return [];
    const args: any[] = (set.args ?? []).filter((a: any) => a?.A_Const);
    if (args.length === 0) return [];
    const path: string[] = args.map((a) => String(a.A_Const.sval?.sval ?? ''));
    if (pgTempLast(path)) return [];
    const table = firstUnqualifiedTable(stmt);
    if (!table) return [];

    const fn = qualifiedFromList(n.funcname);
    // The function's final state decides: a later CREATE OR REPLACE as SECURITY INVOKER
    // or with pg_temp last, ALTER FUNCTION ... SECURITY INVOKER or SET search_path, or
    // DROP leaves nothing to report here.
    // (A path the final state holds as this statement wrote it is judged as written above.)
    const own = JSON.stringify(statementEffects(stmt.type, n, 0, 0).find((e) => e.op === 'create_function')?.searchPath);
    const final = fn && finalFunctions(stmt, ctx, fn);
    const unsafe = (f: FunctionState) => f.securityDefiner && f.searchPath !== undefined && (JSON.stringify(f.searchPath) === own || !pgTempLast(f.searchPath));
    if (final && !final.some(unsafe)) return [];
    const first = stmt.offset(args[0].A_Const.location);
    const lastStart = stmt.offset(args[args.length - 1].A_Const.location);
    // A psql variable or template stands for a path only known when the script runs.
    if (args.some((a) => stmt.variableAt(stmt.offset(a.A_Const.location)))) return [];
    const end = tokenEndAt(stmt, lastStart);
    const empty = path.every((p) => p === '');
    const shown = empty ? "''" : stmt.unit.parseText.slice(first - stmt.unit.start, end - stmt.unit.start);
    const where = path.some((p) => p === 'pg_temp' || /^pg_temp_\d+$/.test(p)) ? 'lists pg_temp before other schemas' : 'does not list pg_temp';
    const kind = n.is_procedure ? 'Procedure' : 'Function';
    const edit = empty ? replace(first, end, 'pg_catalog, pg_temp') : insert(end, ', pg_temp');
    return [
      {
        ruleId: 'definer-search-path-unsafe',
        start: first,
        end,
        message:
          `${kind} ${formatName(fn ?? { name: '?' })} is SECURITY DEFINER with search_path = ${shown}, which ${where}: PostgreSQL then searches the caller's temporary schema first for tables and types, ` +
          `so a temporary table named "${table}" created by the caller is used instead, with the owner's rights. Put pg_temp last (SET search_path = ${empty ? 'pg_catalog, pg_temp' : `${shown}, pg_temp`}) or schema-qualify "${table}".`,
        fixes: [fix(`Search pg_temp last in ${formatName(fn ?? { name: '?' })}`, [edit], { consequence: "a body that reads the caller's temporary tables by unqualified name finds permanent ones of that name first" })],
      } satisfies Finding,
    ];
  },
};

/**
 * Whether the temporary schema is searched last. Each value of SET search_path is one
 * schema name, quoted or not (`'public, pg_temp'` is a single, odd, name), so only an
 * exact last entry `pg_temp` (or the session's own `pg_temp_N`) counts.
 */
function pgTempLast(path: string[]): boolean {
  const last = path[path.length - 1];
  return last === 'pg_temp' || /^pg_temp_\d+$/.test(last);
}

/** The first relation the function body names without a schema (CTE names aside), if any. */
function firstUnqualifiedTable(stmt: SqlStmt): string | undefined {
  const trees = bodyStatements(stmt);
  const ctes = new Set<string>();
  for (const t of trees) walk(t, (type, v) => {
    if (type === 'CommonTableExpr' && typeof v.ctename === 'string') ctes.add(v.ctename);
  });
  let found: string | undefined;
  for (const t of trees) walk(t, (type, v) => {
    if (found === undefined && type === 'RangeVar' && !v.schemaname && typeof v.relname === 'string' && !ctes.has(v.relname)) found = v.relname;
  });
  return found;
}
