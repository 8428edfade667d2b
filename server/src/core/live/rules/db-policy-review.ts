// db-policy-review (off by default): pgrls's policy checks that describe a design rather
// than a hole (SEC005, SEC006 for UPDATE and ALL, SEC007, SEC013, SEC018, SEC019, SEC021,
// SEC022, SEC025, SEC027, SEC030, SEC035, HYG002, HYG003). Each is true of many sound policies: a role gate that gives a
// role every row, no restrictive policy, a lookup table without RLS. On by default they
// would bury the findings that are holes; a reviewer who wants pgrls's full list, or is
// hardening one schema, turns this rule on. Judged on pg_policy's text, parsed as the other
// policy rules parse it.

import { quoteQualified } from '../../identifier';
import { stringList, walk } from '../../sql/ast';
import type { TableInfo } from '../catalog';
import { constBool } from '../always-true';
import { callerOnly } from '../policy-auth';
import type { PolicyFacts } from '../policy';
import { enforcedPolicies, policyLabel } from '../policy-facts';
import { LiveRule, liveMeta } from '../rule';

const IDENTITY_NAMES = new Set(['current_user', 'session_user', 'current_role', 'user']);
/** Names people give a policy before they name it for what it does. */
const PLACEHOLDER_NAME = /^(policy|pol|p|test|tmp|temp|todo|fixme|new[_ ]?policy|my[_ ]?policy|untitled|example|foo|bar|policy[_ ]?\d+|p\d+|test[_ ]?\d+)$/i;

/** Column names that say whose a row is. */
const OWNER_COLUMN = /^(owner|owner_id|user_id|userid|created_by|author_id|account_id|tenant_id|org_id|organization_id|organisation_id|team_id|workspace_id)$/i;

interface Facts {
  columns: boolean;
  /** Columns the clause compares with the caller (`owner = auth.uid()`, `team_id IN (SELECT ... auth.uid())`). */
  scoping: string[];
  /** Every column name the clause mentions (last component). */
  mentioned: string[];
  identityCompare: boolean;
  settingWithoutMissingOk: string[];
  literalId: string[];
  reads: Array<{ schema?: string; name: string }>;
}

/** What the review looks at in one clause. */
function factsOf(e: unknown): Facts {
  const f: Facts = { columns: false, scoping: [], mentioned: [], identityCompare: false, settingWithoutMissingOk: [], literalId: [], reads: [] };
  const isIdentity = (x: any) => x?.SQLValueFunction !== undefined || (x?.ColumnRef && IDENTITY_NAMES.has(stringList(x.ColumnRef.fields).join('.')));
  const column = (x: any): string | undefined => {
    while (x?.TypeCast) x = x.TypeCast.arg;
    const name = x?.ColumnRef ? stringList(x.ColumnRef.fields).join('.') : undefined;
    return name && !IDENTITY_NAMES.has(name) ? name : undefined;
  };
  const intLiteral = (x: any) => {
    while (x?.TypeCast) x = x.TypeCast.arg;
    return x?.A_Const?.ival !== undefined ? String(x.A_Const.ival.ival ?? 0) : undefined;
  };
  walk(e, (type, v) => {
    if (type === 'ColumnRef' && !IDENTITY_NAMES.has(stringList(v.fields).join('.'))) {
      f.columns = true;
      const parts = stringList(v.fields);
      if (parts.length) f.mentioned.push(parts[parts.length - 1]);
    }
    if (type === 'SubLink' && v.subLinkType === 'ANY_SUBLINK') {
      const c = column(v.testexpr);
      if (c) f.scoping.push(c.split('.').pop()!);
    }
    if (type === 'A_Expr' && v.kind === 'AEXPR_OP' && stringList(v.name).join('.') === '=') {
      const unwrap = (x: any) => (x?.TypeCast ? x.TypeCast.arg : x);
      if ((column(v.lexpr) && isIdentity(unwrap(v.rexpr))) || (column(v.rexpr) && isIdentity(unwrap(v.lexpr)))) f.identityCompare = true;
      const scoped = column(v.lexpr) && callerOnly(v.rexpr) ? column(v.lexpr) : column(v.rexpr) && callerOnly(v.lexpr) ? column(v.rexpr) : undefined;
      if (scoped) f.scoping.push(scoped.split('.').pop()!);
      const c = column(v.lexpr) ?? column(v.rexpr);
      const n = intLiteral(v.rexpr) ?? intLiteral(v.lexpr);
      if (c && n !== undefined) f.literalId.push(`${c} = ${n}`);
    }
    if (type === 'FuncCall') {
      const name = stringList(v.funcname);
      if (name[name.length - 1] === 'current_setting' && (v.args?.length ?? 0) === 1) {
        let a = v.args[0];
        while (a?.TypeCast) a = a.TypeCast.arg;
        f.settingWithoutMissingOk.push(a?.A_Const?.sval ? `current_setting('${a.A_Const.sval.sval ?? ''}')` : 'current_setting(...)');
      }
    }
    if (type === 'RangeVar') f.reads.push(v.schemaname ? { schema: v.schemaname, name: v.relname } : { name: v.relname });
  });
  return f;
}

function merge(a: Facts, b: Facts): Facts {
  return {
    columns: a.columns || b.columns,
    scoping: [...new Set([...a.scoping, ...b.scoping])],
    mentioned: [...new Set([...a.mentioned, ...b.mentioned])],
    identityCompare: a.identityCompare || b.identityCompare,
    settingWithoutMissingOk: [...new Set([...a.settingWithoutMissingOk, ...b.settingWithoutMissingOk])],
    literalId: [...new Set([...a.literalId, ...b.literalId])],
    reads: [...a.reads, ...b.reads],
  };
}

/** The table a policy's subquery reads, found by schema and name, or by name alone when one table has it. */
function resolve(tables: readonly TableInfo[], from: TableInfo, r: { schema?: string; name: string }): TableInfo | undefined {
  if (r.schema) return tables.find((t) => t.schema === r.schema && t.name === r.name);
  const same = tables.find((t) => t.schema === from.schema && t.name === r.name);
  if (same) return same;
  const named = tables.filter((t) => t.name === r.name);
  return named.length === 1 ? named[0] : undefined;
}

export const dbPolicyReview: LiveRule = {
  meta: liveMeta(
    'db-policy-review',
    'info',
    "pgrls's policy-design checks (role gates, no restrictive policy, current_user comparisons, current_setting without missing_ok, hard-coded ids, read-only tables, lookups of tables without RLS, nullable or unused owner columns, unique keys across tenants, definer triggers, placeholder names, duplicates) (off by default).",
    { defaultOff: true },
  ),
  check(s, ctx) {
    for (const { table, policies } of enforcedPolicies(s.tables)) {
      const name = quoteQualified(table);
      const report = (p: PolicyFacts | undefined, text: string) =>
        ctx.report({ objectKind: 'table', object: name, ...(p ? { policy: p.name } : {}), message: p ? `Policy ${policyLabel(p)} on ${name}: ${text}` : `${name}: ${text}` });
      for (const p of policies) {
        const f = merge(p.using !== undefined ? factsOf(p.using) : factsOf(null), p.check !== undefined ? factsOf(p.check) : factsOf(null));
        const constant = [p.using, p.check].some((e) => e !== undefined && constBool(e) !== undefined);
        if (!f.columns && !constant) report(p, 'its condition reads no column of the row, so each role it applies to sees every row or none: a role gate. Intended for an administrator role; otherwise scope it by a column such as the owner or tenant (pgrls SEC005).');
        if ((p.command === 'update' || p.command === 'all') && p.permissive && p.using !== undefined && p.check === undefined) {
          report(p, 'it has no WITH CHECK, so PostgreSQL checks changed rows against USING: a row may be changed into any state USING admits. Write WITH CHECK if new rows need a different or stricter condition (pgrls SEC006).');
        }
        if (f.identityCompare) report(p, 'it compares a column with current_user: rows are scoped to database roles, which fits one role per person but not a pool that connects as one role (pgrls SEC018).');
        for (const call of f.settingWithoutMissingOk) report(p, `${call} has no missing_ok argument: a session that never set it gets an error instead of no rows. Use current_setting(name, true) if that should read as "no rows" (pgrls SEC019).`);
        for (const cmp of f.literalId) report(p, `it compares ${cmp}: a hard-coded id gives that one row or tenant a rule of its own, which outlives whoever it was for (pgrls SEC021).`);
        const unprotected = [...new Set(f.reads.map((r) => resolve(s.tables, table, r)).filter((t): t is TableInfo => t !== undefined && !t.rls && t !== table).map(quoteQualified))];
        for (const t of unprotected) report(p, `its subquery reads ${t}, which has no row-level security: every role that can read ${t} reads it whole, and the policy is only as tight as that table's grants (pgrls SEC025).`);
        if (PLACEHOLDER_NAME.test(p.name)) report(p, 'its name says nothing of what it allows: name it for who may do what, such as "members read own team" (pgrls HYG002).');
      }
      const details = s.rlsDetails;
      if (details) {
        const mine = <T extends { schema: string; table: string }>(rows: readonly T[]) => rows.filter((r) => r.schema === table.schema && r.table === table.name);
        const facts = policies.map((p) => ({ p, f: merge(factsOf(p.using ?? null), factsOf(p.check ?? null)) }));
        const scoping = new Set(facts.flatMap((x) => x.f.scoping));
        const mentioned = new Set(facts.flatMap((x) => x.f.mentioned));
        const columns = mine(details.columns);
        for (const c of columns) {
          if (scoping.has(c.name) && !c.notNull) {
            const by = facts.filter((x) => x.f.scoping.includes(c.name)).map((x) => `"${x.p.name}"`).join(', ');
            report(undefined, `column ${c.name}, which policy ${by} compares with the caller, is nullable: a row whose ${c.name} is NULL belongs to no one and no caller sees it, so it stays unnoticed. ALTER TABLE ${name} ALTER COLUMN ${c.name} SET NOT NULL if every row has an owner (pgrls SEC030).`);
          }
        }
        for (const c of columns) {
          if (OWNER_COLUMN.test(c.name) && !mentioned.has(c.name)) report(undefined, `column ${c.name} looks like it says whose a row is, but no policy reads it: check that the policies scope rows the way the column suggests (pgrls SEC027).`);
        }
        if (scoping.size) {
          for (const u of mine(details.uniques)) {
            if (u.columns.some((c) => scoping.has(c))) continue;
            report(undefined, `unique key ${u.name} (${u.columns.join(', ')}) does not include ${[...scoping].join(' or ')}, ${scoping.size === 1 ? 'the column' : 'the columns'} the policies scope rows by: an insert that collides tells the caller that a row it cannot see exists (such as an e-mail address registered by another tenant). Include the scoping column if the values are unique per tenant or owner (pgrls SEC035).`);
          }
        }
        for (const t of mine(details.triggers)) {
          if (!t.securityDefiner) continue;
          report(undefined, `trigger ${t.name} runs ${t.function}, a SECURITY DEFINER function owned by "${t.owner}": it reads and writes with its owner's rights, so row-level security applies to the owner, not to the role whose statement fired it. Check what it touches, or make it SECURITY INVOKER (pgrls SEC013).`);
        }
      }
      if (!policies.some((p) => !p.permissive)) report(undefined, 'every policy is permissive, so any one of them admits a row: no restrictive policy sets a floor (a tenant boundary) that all of them must meet. Add one where such a boundary exists (pgrls SEC007).');
      if (policies.every((p) => p.command === 'select')) report(undefined, 'every policy is FOR SELECT, so no role may insert, update or delete rows through RLS: writes fail closed. Intended for a read-only table; otherwise add policies for the writes (pgrls SEC022).');
      const seen = new Map<string, string>();
      for (const p of table.policies) {
        const key = JSON.stringify([p.command, p.permissive, [...p.roles].sort(), p.using, p.withCheck]);
        const first = seen.get(key);
        if (first !== undefined) report(policies.find((x) => x.name === p.name), `it repeats policy "${first}" (same command, roles and conditions): one of them is dead weight, and the next change to one will miss the other (pgrls HYG003).`);
        else seen.set(key, p.name);
      }
    }
  },
};
