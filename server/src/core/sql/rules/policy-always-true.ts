// policy-always-true: a permissive policy whose USING or WITH CHECK expression is the
// constant true. Such a policy lets its roles read (USING) or write (WITH CHECK) every
// row, which turns row-level security off for them while it looks switched on.

import { Finding } from '../../rules';
import { isConstTrue } from '../../live/always-true';
import { formatName, rangeVarName, roleSpec } from '../ast';
import { SqlStmt } from '../document';
import { SqlRule, SqlRuleContext } from '../rule';

/**
 * Roles that bypass row-level security wherever they are used: Supabase's `service_role`
 * is created with BYPASSRLS by the platform (unless the workspace creates a role of that
 * name itself), and superusers bypass it always. A policy for them alone changes nothing.
 */
function bypassesRls(role: string, ctx: SqlRuleContext): boolean {
  if (SUPABASE_SERVICE_ROLES.has(role) && !ctx.workspace.knowsRole(role)) return true;
  return ctx.workspace.isSuperuser(role, ctx.config.superusers);
}

/**
 * Supabase's platform roles that no end user's request runs as: `service_role` (created
 * with BYPASSRLS), `authenticator` (PostgREST's login, which switches to the request's
 * role before running it; its own reads are the pre-request hook's), `supabase_auth_admin`
 * and `supabase_storage_admin` (the Auth and Storage servers). A policy letting them read
 * every row is the platform reading its own data. Roles the workspace creates itself under
 * these names are judged like any other.
 */
const SUPABASE_SERVICE_ROLES: ReadonlySet<string> = new Set(['service_role', 'authenticator', 'supabase_auth_admin', 'supabase_storage_admin']);

/** Whether the policy's TO list names only roles that bypass row-level security anyway. */
function onlyForBypassingRoles(roles: any[] | undefined, ctx: SqlRuleContext): boolean {
  const named = (roles ?? []).map((r) => roleSpec(r));
  return named.length > 0 && named.every((r) => r?.kind === 'name' && bypassesRls(r.name!, ctx));
}

export const policyAlwaysTrue: SqlRule = {
  meta: {
    id: 'policy-always-true',
    language: 'sql',
    defaultSeverity: 'warning',
    description: 'CREATE POLICY or ALTER POLICY with USING (true) or WITH CHECK (true): the policy lets its roles see or write every row.',
    fixable: false,
  },
  types: ['CreatePolicyStmt', 'AlterPolicyStmt'],
  skipTests: true,
  check(stmt, ctx) {
    const n = stmt.node;
    // A restrictive policy is ANDed with the permissive ones: `true` there restricts
    // nothing but opens nothing either. The parser leaves out `permissive` when false;
    // ALTER POLICY cannot say, so the workspace's CREATE POLICY is asked.
    if (stmt.type === 'CreatePolicyStmt' && !n.permissive) return [];
    const tableName = rangeVarName(n.table);
    if (stmt.type === 'AlterPolicyStmt' && tableName && ctx.workspace.policyRestrictive(tableName, n.policy_name)) return [];
    // `TO service_role USING (true)`: the role reads every row with or without the policy.
    if (onlyForBypassingRoles(n.roles, ctx)) return [];
    const table = formatName(tableName ?? { name: '?' });
    // A FOR SELECT policy that lets everyone read is how a public read-only catalogue
    // (plans, countries, feature flags) is written: a design choice, shown as info.
    const readOnly = stmt.type === 'CreatePolicyStmt' && n.cmd_name === 'select';
    const findings: Finding[] = [];
    const clauses = topLevelClauses(stmt);
    const check = (expr: any, clause: 'USING' | 'WITH CHECK', what: string) => {
      if (!expr || !isConstTrue(expr)) return;
      const range = clauses[clause];
      if (!range) return;
      const finding: Finding = {
        ruleId: 'policy-always-true',
        start: range.start,
        end: range.end,
        message: readOnly
          ? `Policy "${n.policy_name}" on ${table} has FOR SELECT ... USING (true): its roles read every row. Right for a public read-only table; if rows belong to users or tenants, write a condition on the row, e.g. owner = current_user.`
          : `Policy "${n.policy_name}" on ${table} has ${clause} (true): it lets its roles ${what} every row, as if row-level security were off. Write a condition on the row, e.g. owner = current_user.`,
      };
      if (readOnly) finding.severity = 'info';
      findings.push(finding);
    };
    check(n.qual, 'USING', 'see');
    check(n.with_check, 'WITH CHECK', 'write');
    return findings;
  },
};

const CLAUSE = /(USING|WITH\s+CHECK)\s*\(/iy;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** [A-Za-z0-9_$] */
const isWordChar = (c: number): boolean => isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 36;

/**
 * The document ranges of the expressions inside the statement's top-level `USING (...)`
 * and `WITH CHECK (...)`, without the parentheses and surrounding blanks. Only depth 0
 * counts, so a `USING (id)` join inside a subquery is not taken for the clause.
 */
function topLevelClauses(stmt: SqlStmt): Partial<Record<'USING' | 'WITH CHECK', { start: number; end: number }>> {
  const base = stmt.unit.start;
  const code = stmt.masked;
  const from = stmt.start - base;
  const to = stmt.end - base;
  const out: Partial<Record<'USING' | 'WITH CHECK', { start: number; end: number }>> = {};
  let depth = 0;
  // Character codes and a sticky expression: a one-character string and a regular
  // expression test per character cost more than the rest of the rule on a large schema.
  for (let i = from; i < to; i++) {
    const c = code.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41) depth--;
    else if (depth === 0 && isLetter(c) && (i === 0 || !isWordChar(code.charCodeAt(i - 1)))) {
      CLAUSE.lastIndex = i;
      const m = CLAUSE.exec(code);
      // (A clause head is looked for within 64 characters of its first letter.)
      if (!m || m[0].length > 64) continue;
      const clause = /^USING/i.test(m[1]) ? 'USING' : 'WITH CHECK';
      const open = i + m[0].length - 1;
      let d = 0;
      let close = open;
      for (; close < to; close++) {
        if (code[close] === '(') d++;
        else if (code[close] === ')' && --d === 0) break;
      }
      let s = open + 1;
      let e = close;
      while (s < e && /\s/.test(code[s])) s++;
      while (e > s && /\s/.test(code[e - 1])) e--;
      out[clause] ??= { start: base + s, end: base + e };
      i = close;
    }
  }
  return out;
}
