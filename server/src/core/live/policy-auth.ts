// Whether a policy's check of the caller can be passed by a caller it was not meant for:
// the one judgement behind the SQL rule policy-weak-auth-check (over the migrations' final
// state) and the live db-policy-weak-auth-check (over pg_policy's text, parsed the same
// way). Three shapes, from pgrls and splinter:
// - `auth.uid() IS NULL OR ...` (pgrls SEC004, splinter 0030): a caller with no identity
//   (an anonymous API request, a session that never set the tenant) passes the disjunct;
// - `current_setting('application_name')` (pgrls SEC024): a name without a dot is a
//   built-in setting, and most of them any client sets in its connection string;
// - `col LIKE auth.email()` or `~ current_setting(...)` (pgrls SEC026): the caller's value
//   is read as a pattern, so `_` and `%` in it (common in e-mail addresses) match others.
// An expression counts as the caller's when it calls a function or names CURRENT_USER and
// reads no column and no table: `lower(email) IS NULL` is about the row, not the caller.

import { stringList, walk } from '../sql/ast';
import type { PolicyFacts } from './policy';

export interface WeakAuthCheck {
  clause: 'USING' | 'WITH CHECK';
  kind: 'null-disjunct' | 'unqualified-setting' | 'pattern';
  /** The caller expression as a short label: `auth.uid()`, `current_setting('tenant')`. */
  caller: string;
}

const IDENTITY_NAMES = new Set(['current_user', 'session_user', 'current_role', 'user']);
/** Built-in settings that say who the session is and that a client cannot set to another role's value. */
const SAFE_SETTINGS = new Set(['role', 'session_authorization', 'is_superuser']);

/** A label for the first caller-dependent call in an expression, or undefined when it is not the caller's alone. */
export function callerOnly(e: unknown): string | undefined {
  let label: string | undefined;
  let column = false;
  let sublink = false;
  walk(e, (type, value) => {
    // `(SELECT auth.uid())`, Supabase's advice for speed, reads no table: still the caller's.
    if (type === 'SubLink' && value.subselect?.SelectStmt?.fromClause?.length) sublink = true;
    if (type === 'ColumnRef') {
      const name = stringList(value.fields).join('.');
      if (IDENTITY_NAMES.has(name)) label ??= name;
      else column = true;
    }
    if (type === 'SQLValueFunction') label ??= String(value.op ?? '').replace(/^SVFOP_/, '').toLowerCase() || 'current_user';
    if (type === 'FuncCall') label ??= `${stringList(value.funcname).join('.')}(${settingArg(value) !== undefined ? `'${settingArg(value)}'` : ''})`;
  });
  return column || sublink ? undefined : label;
}

/** The setting name of a current_setting() call, when it is a constant. */
function settingArg(call: any): string | undefined {
  const name = stringList(call?.funcname);
  if (!(name.length === 1 || (name.length === 2 && name[0] === 'pg_catalog')) || name[name.length - 1] !== 'current_setting') return undefined;
  let a = call.args?.[0];
  while (a?.TypeCast) a = a.TypeCast.arg;
  const s = a?.A_Const?.sval;
  return s ? String(s.sval ?? '') : undefined;
}

/** The disjuncts of an OR, nested ORs flattened. */
function disjuncts(b: any): unknown[] {
  return (b.args ?? []).flatMap((a: any) => (a?.BoolExpr?.boolop === 'OR_EXPR' ? disjuncts(a.BoolExpr) : [a]));
}

const PATTERN_OPS = new Set(['~~', '~~*', '~', '~*']);

function checksOf(e: unknown, clause: WeakAuthCheck['clause']): WeakAuthCheck[] {
  const out: WeakAuthCheck[] = [];
  const seen = new Set<string>();
  const add = (c: WeakAuthCheck) => {
    const key = `${c.kind} ${c.caller}`;
    if (!seen.has(key)) out.push(c), seen.add(key);
  };
  walk(e, (type, value) => {
    if (type === 'BoolExpr' && value.boolop === 'OR_EXPR') {
      for (const d of disjuncts(value) as any[]) {
        const t = d?.NullTest;
        if (!t || t.nulltesttype !== 'IS_NULL') continue;
        const caller = callerOnly(t.arg);
        if (caller) add({ clause, kind: 'null-disjunct', caller });
      }
    }
    if (type === 'FuncCall') {
      const name = settingArg(value);
      if (name !== undefined && !name.includes('.') && !SAFE_SETTINGS.has(name.toLowerCase())) add({ clause, kind: 'unqualified-setting', caller: `current_setting('${name}')` });
    }
    if (type === 'A_Expr') {
      const op = stringList(value.name).join('.');
      const like = value.kind === 'AEXPR_LIKE' || value.kind === 'AEXPR_ILIKE' || (value.kind === 'AEXPR_OP' && PATTERN_OPS.has(op));
      if (!like || (value.kind !== 'AEXPR_OP' && op.startsWith('!'))) return;
      const caller = callerOnly(value.rexpr);
      if (caller) add({ clause, kind: 'pattern', caller });
    }
  });
  return out;
}

/** The weak caller checks in a policy's clauses, USING first. */
export function weakAuthChecks(p: Pick<PolicyFacts, 'using' | 'check'>): WeakAuthCheck[] {
  return [...(p.using !== undefined ? checksOf(p.using, 'USING') : []), ...(p.check !== undefined ? checksOf(p.check, 'WITH CHECK') : [])];
}

/** What a weak check lets happen, for messages. */
export function weakAuthText(c: WeakAuthCheck): string {
  switch (c.kind) {
    case 'null-disjunct':
      return `its ${c.clause} passes every row when ${c.caller} IS NULL: a caller without that identity (an anonymous request, a session that never set it) gets them all. Drop the IS NULL branch, or give the anonymous case its own policy for the roles that need it`;
    case 'unqualified-setting':
      return `its ${c.clause} reads ${c.caller}, a built-in setting (a custom one has a prefix, such as app.tenant): any client sets most built-in settings in its connection string, so the check holds nothing. Read a prefixed setting the application sets, or the session's role`;
    case 'pattern':
      return `its ${c.clause} uses ${c.caller} as a LIKE or regular-expression pattern: '_', '%' or '.' in the caller's value (common in e-mail addresses) match other rows. Compare with =`;
  }
}
