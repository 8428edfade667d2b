// grant-to-public: any GRANT to PUBLIC, which reaches every role that exists now or later.

import { fix, replace, tokenEnd } from '../../fix';
import { Finding } from '../../rules';
import { formatName, rangeVarName, roleSpec } from '../ast';
import { SqlStmt } from '../document';
import { placeOf } from '../final-state';
import { SqlRule, SqlRuleContext } from '../rule';

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
        fixes: [fix('Replace PUBLIC with a named role', [replace(start, end, 'app_role')], { snippet: true, consequence: 'roles that relied on PUBLIC lose the privilege unless they are members of the role' })],
      });
    }
    return findings;
  },
};
