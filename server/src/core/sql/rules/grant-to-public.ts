// grant-to-public: any GRANT to PUBLIC, which reaches every role that exists now or later.

import { fix, snippetEdit, tokenEnd } from '../../fix';
import { Finding } from '../../rules';
import { formatName, QualifiedName, rangeVarName, roleSpec, stringList } from '../ast';
import { isCredentialColumn } from '../credentials';
import { PUBLIC } from '../../model/effects';
import { RelationState } from '../../model/state';
import { SqlStmt } from '../document';
import { placeOf } from '../final-state';
import { declaredRoles, SqlRule, SqlRuleContext } from '../rule';

/**
 * The tables of a table GRANT whose rows row-level security filters in the final declared
 * state (RLS enabled and a policy), by name; undefined when any object is not such a table.
 */
function rlsFiltered(stmt: SqlStmt, ctx: SqlRuleContext, grant: any): string | undefined {
  if (grant.objtype !== 'OBJECT_TABLE' || grant.targtype !== 'ACL_TARGET_OBJECT') return undefined;
  const m = ctx.workspace.model(ctx.doc.uri);
  const here = placeOf(stmt, ctx);
  const names: string[] = [];
  for (const o of grant.objects ?? []) {
    const q = rangeVarName(o);
    if (!q) return undefined;
    const r = m.relation(q, here);
    if (!(r?.rls || ctx.workspace.rlsEnabled(q)) || (m.policies(q, here).length === 0 && !ctx.workspace.hasPolicy(q))) return undefined;
    names.push(formatName(q));
  }
  return names.length > 0 ? names.join(', ') : undefined;
}

/**
 * Whether a GRANT to PUBLIC in an extension's script only makes the extension's own
 * catalogue readable, as PostgreSQL's pg_catalog is: SELECT on tables, views and
 * sequences none of whose columns is named like a secret, or USAGE on a schema that, in
 * the final state, gives PUBLIC nothing more than that (no other privilege on a table in
 * it, no SECURITY DEFINER function it may call). Judged on the project's final state.
 */
function extensionCatalogue(stmt: SqlStmt, ctx: SqlRuleContext, grant: any): boolean {
  if (!ctx.workspace.extensionProject(ctx.doc.uri)) return false;
  const privs: string[] = (grant.privileges ?? []).map((p: any) => p?.AccessPriv?.priv_name);
  if (privs.length === 0) return false;
  const m = ctx.workspace.model(ctx.doc.uri);
  const here = placeOf(stmt, ctx);
  const all = grant.targtype === 'ACL_TARGET_ALL_IN_SCHEMA';
  const relations = (schema: string) => [...m.state.relations.values()].filter((r) => r.schema === schema);
  if (grant.objtype === 'OBJECT_TABLE' || grant.objtype === 'OBJECT_SEQUENCE') {
    if (!privs.every((p) => p === 'select')) return false;
    const targets = all
      ? stringList(grant.objects).flatMap(relations)
      : (grant.objects ?? []).map((o: any) => rangeVarName(o)).filter(Boolean).map((q: QualifiedName) => m.relation(q, here));
    return targets.every((r: RelationState | undefined) => !r || !r.columns.some(isCredentialColumn));
  }
  if (grant.objtype === 'OBJECT_SCHEMA' && !all) {
    if (!privs.every((p) => p === 'usage')) return false;
    return stringList(grant.objects).every((schema) => {
      const writable = relations(schema).some((r) => r.acl.some((i) => i.grantee === PUBLIC && i.privilege !== 'select'));
      const definers = [...m.state.functions.values()].flat().some((f) => f.schema === schema && f.securityDefiner && !f.trigger && m.executableBy(f));
      return !writable && !definers;
    });
  }
  return false;
}

export const grantToPublic: SqlRule = {
  meta: {
    id: 'grant-to-public',
    language: 'sql',
    defaultSeverity: 'warning',
    description: 'A GRANT (or ALTER DEFAULT PRIVILEGES ... GRANT) to PUBLIC gives the privilege to every role, now and in future.',
    fixable: true,
  },
  types: ['GrantStmt', 'AlterDefaultPrivilegesStmt'],
  check(stmt, ctx) {
    const defaults = stmt.type === 'AlterDefaultPrivilegesStmt';
    const grant = defaults ? stmt.node.action : stmt.node;
    if (!grant?.is_grant) return [];
    if (!defaults && extensionCatalogue(stmt, ctx, grant)) return [];
    const filtered = !defaults && rlsFiltered(stmt, ctx, grant);
    const findings: Finding[] = [];
    for (const g of grant.grantees ?? []) {
      const r = roleSpec(g);
      if (r?.kind !== 'public') continue;
      const start = stmt.offset(r.location);
      const end = tokenEnd(stmt.unit.parseText, start - stmt.unit.start) + stmt.unit.start;
      findings.push({
        ruleId: 'grant-to-public',
        start,
        end,
        message: defaults
          ? 'ALTER DEFAULT PRIVILEGES grants to PUBLIC: every object created later is open to every role. Grant to a named role.'
          : filtered
            ? `GRANT to PUBLIC gives this privilege to every role, including roles created later; row-level security on ${filtered} still decides which rows each role reaches. Grant to a named role unless every role is meant to use the table.`
            : 'GRANT to PUBLIC gives this privilege to every role, including roles created later. Grant to a named role.',
        ...(filtered ? { severity: 'info' as const } : {}),
        fixes: [fix('Replace PUBLIC with a named role', [snippetEdit(start, end, [{ placeholder: 'app_role', kind: 'role', choices: declaredRoles(ctx) }])], { snippet: true, consequence: 'roles that relied on PUBLIC lose the privilege unless they are members of the role' })],
      });
    }
    return findings;
  },
};
