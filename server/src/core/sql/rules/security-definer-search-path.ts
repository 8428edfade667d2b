// security-definer-search-path: a SECURITY DEFINER function or procedure that does not
// pin search_path. It runs with its owner's rights but resolves unqualified names through
// the caller's search_path, so a caller who can create objects in any schema on that path
// (pg_temp included) can make it run their own function or read their own table.

import { fix, insert } from '../../fix';
import { Finding } from '../../rules';
import { defElemValue, formatName, qualifiedFromList, QualifiedName } from '../ast';
import { SqlStmt } from '../document';
import { schemaCreatorsBesides } from '../../live/search-path';
import { setsSearchPath } from '../facts';
import { finalFunctions, placeOf } from '../final-state';
import { SqlRule, SqlRuleContext } from '../rule';

export const securityDefinerSearchPath: SqlRule = {
  meta: {
    id: 'security-definer-search-path',
    language: 'sql',
    defaultSeverity: 'warning',
    description:
      'A SECURITY DEFINER function or procedure without SET search_path, or whose search_path lists a schema other roles can create objects in, can be hijacked through objects the caller creates on its path.',
    fixable: true,
  },
  types: ['CreateFunctionStmt', 'AlterFunctionStmt'],
  skipTests: true,
  check(stmt, ctx) {
    const n = stmt.node;
    const create = stmt.type === 'CreateFunctionStmt';
    const options: any[] = (create ? n.options : n.actions) ?? [];
    const definer = options.map((o) => o?.DefElem).find((d) => d?.defname === 'security' && defElemValue(d) === true);
    if (!definer) return [];
    const fn = qualifiedFromList(create ? n.funcname : n.func?.objname);
    if (!fn) return [];
    if (setsSearchPath(options)) return writableSchemaOnPath(stmt, ctx, fn);
    // Judged on the function's final state in the project: a later ALTER FUNCTION ...
    // SECURITY INVOKER or SET search_path, a CREATE OR REPLACE without DEFINER or with a
    // search_path, or a DROP settles it. A function the files never create (an ALTER of
    // the platform's) and routines nested in bodies are judged by what the files say.
    const final = finalFunctions(stmt, ctx, fn);
    if (final && (create || final.length > 0)) {
      if (!final.some((f) => f.securityDefiner && !f.searchPath)) return [];
    } else if (ctx.workspace.setsSearchPath(fn)) return [];
    const kw = stmt.find(/\b(EXTERNAL\s+)?SECURITY\s+DEFINER\b/i, stmt.offset(definer.location));
    if (!kw) return [];
    const kind = create ? (n.is_procedure ? 'Procedure' : 'Function') : n.objtype === 'OBJECT_PROCEDURE' ? 'Procedure' : 'Function';
    const finding: Finding = {
      ruleId: 'security-definer-search-path',
      start: kw.start,
      end: kw.end,
      message: `${kind} ${formatName(fn)} is SECURITY DEFINER without SET search_path: a caller can put their own objects on its search path (pg_temp included) and have them run with the owner's rights. Add SET search_path = pg_catalog, pg_temp and schema-qualify the names it uses.`,
      fixes: [fix(`Pin the search_path of ${formatName(fn)}`, [insert(kw.end, ' SET search_path = pg_catalog, pg_temp')], {
        consequence: 'unqualified names in the body that live in other schemas (public) stop resolving',
      })],
    };
    return [finding];
  },
};

/**
 * A pinned search_path that lists a schema where roles other than the function's owner may
 * create objects: one of them can add a function or operator (a better-matching overload
 * wins wherever it stands on the path) or a table that a name in the body resolves to, and
 * it runs with the owner's rights. Judged on the function's final state, at the statement
 * that set the path.
 */
function writableSchemaOnPath(stmt: SqlStmt, ctx: SqlRuleContext, fn: QualifiedName): Finding[] {
  if (stmt.nesting?.origin === 'routine') return [];
  const m = ctx.workspace.model(ctx.doc.uri);
  const here = placeOf(stmt, ctx);
  const f = m.functions(fn, here).find((x) => x.securityDefiner && m.madeAt(x.searchPathAt, here));
  if (!f?.searchPath) return [];
  const superuser = (r: string) => ctx.workspace.isSuperuser(r, ctx.config.superusers);
  for (const schema of f.searchPath) {
    const state = m.state.schemas.get(schema);
    if (!state) continue;
    const creators = [state.owner, ...state.acl.filter((i) => i.privilege === 'create').map((i) => i.grantee)];
    const others = schemaCreatorsBesides(creators, f.owner, superuser);
    if (!others.length) continue;
    const at = stmt.find(/\bSET\s+search_path\b/i);
    if (!at) return [];
    const who = others.map((r) => (r === 'public' ? 'PUBLIC' : `"${r}"`)).join(', ');
    return [
      {
        ruleId: 'security-definer-search-path',
        start: at.start,
        end: at.end,
        message: `${f.procedure ? 'Procedure' : 'Function'} ${formatName(fn)} is SECURITY DEFINER and its search_path lists schema ${schema}, where ${who} may create objects: they can add a function, operator or table that a name in the body resolves to, and it runs with the owner's rights. Leave ${schema} off the path and schema-qualify the names, or REVOKE CREATE ON SCHEMA ${schema} FROM ${others.map((r) => (r === 'public' ? 'PUBLIC' : r)).join(', ')}.`,
      },
    ];
  }
  return [];
}
