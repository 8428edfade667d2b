// What one statement says about access, as facts the live side can be asked about: a
// GRANT says a privilege (or membership) is there, a REVOKE that it is not, CREATE POLICY
// that a policy with these roles and this USING / WITH CHECK is there, ALTER TABLE ... ROW LEVEL SECURITY that RLS is
// on or off. The editor's CodeLens shows, per statement, whether the connected database
// has what the statement says. Read from the statement's own effects with names resolved
// where it stands (no fold per statement), so a file of a thousand grants stays cheap.

import { CURRENT, Effect } from '../model/effects';
import type { Model } from '../model/model';
import { ALL_PRIVILEGES, privilegeName } from '../model/privileges';
import { describeObject } from './compare';
import { expressionKey } from './expression';
import { Fact, ObjectKind, objectKey, ObjectRef, policyFact } from './facts';

export type Claim =
  | { kind: 'privilege'; object: ObjectRef; column?: string; grantee: string; privilege: string; present: boolean; grantable: boolean }
  | { kind: 'membership'; role: string; member: string; present: boolean }
  | { kind: 'rls'; object: ObjectRef; forced: boolean; present: boolean }
  | { kind: 'policy'; object: ObjectRef; policy: string; value: string }
  /** `value`: the expression's canonical form (core/drift/expression.ts); undefined when the statement writes none. */
  | { kind: 'policy expression'; object: ObjectRef; policy: string; clause: 'using' | 'check'; value?: string };

export interface StatementClaims {
  /** The statement's offsets in its file. */
  start: number;
  end: number;
  claims: Claim[];
}

/** The statements a lens speaks about. */
const LENS_OPS = new Set<Effect['op']>(['grant', 'grant_role', 'create_policy', 'rls']);

/**
 * The claims of every GRANT, REVOKE, CREATE POLICY and ALTER TABLE ... ROW LEVEL SECURITY
 * statement among `effects` (one file's, in order); `model` is its project's history, for
 * resolving names; `migrationRole` stands for CURRENT_USER. A statement whose objects
 * cannot be named (ON ALL TABLES IN SCHEMA, a database or language) has no claims and gets
 * no lens.
 */
export function statementClaims(uri: string, effects: readonly Effect[], model: Model, migrationRole: string): StatementClaims[] {
  const role = (g: string) => (g === CURRENT ? migrationRole : g);
  const byRange = new Map<string, StatementClaims>();
  for (const e of effects) {
    if (!LENS_OPS.has(e.op)) continue;
    const at = { uri, start: e.start };
    const claims: Claim[] = [];
    switch (e.op) {
      case 'grant': {
        if (e.inSchemas?.length) break;
        for (const o of objectsOf(e, model, at)) {
          const privileges = e.privileges.length ? e.privileges : (ALL_PRIVILEGES[e.kind] ?? []).filter((p) => p !== 'maintain').map((name) => ({ name, columns: undefined }));
          for (const p of privileges)
            for (const grantee of e.grantees)
              for (const column of p.columns?.length ? p.columns : [undefined])
                claims.push({ kind: 'privilege', object: o, column, grantee: role(grantee), privilege: privilegeName(p.name), present: e.grant, grantable: e.grant && e.grantOption });
        }
        break;
      }
      case 'grant_role':
        for (const r of e.roles) for (const m of e.members) claims.push({ kind: 'membership', role: role(r), member: role(m), present: e.grant });
        break;
      case 'rls': {
        const r = model.resolveRelation(e.table, at);
        const object: ObjectRef = { kind: model.relation(e.table, at)?.kind ?? 'table', schema: r.schema, name: r.name };
        if (e.enabled !== undefined) claims.push({ kind: 'rls', object, forced: false, present: e.enabled });
        if (e.forced !== undefined) claims.push({ kind: 'rls', object, forced: true, present: e.forced });
        break;
      }
      case 'create_policy': {
        const r = model.resolveRelation(e.table, at);
        const object: ObjectRef = { kind: model.relation(e.table, at)?.kind ?? 'table', schema: r.schema, name: r.name };
        const fact = policyFact(object, e.policy, e.command, e.permissive, e.roles.map(role));
        claims.push({ kind: 'policy', object, policy: e.policy, value: fact.value! });
        claims.push(...expressionClaims(e, object, model, at));
        break;
      }
    }
    if (!claims.length) continue;
    const k = `${e.start}:${e.end}`;
    const known = byRange.get(k);
    if (known) known.claims.push(...claims);
    else byRange.set(k, { start: e.start, end: e.end, claims });
  }
  return [...byRange.values()];
}

/**
 * What a CREATE POLICY says of its USING and WITH CHECK, for each clause the history still
 * declares as this statement wrote it: a later ALTER POLICY that rewrote a clause speaks
 * for it instead (and a policy dropped or never folded says nothing here).
 */
function expressionClaims(e: Extract<Effect, { op: 'create_policy' }>, object: ObjectRef, model: Model, at: { uri: string; start: number }): Claim[] {
  const p = model.state.policies.get(`${object.schema}.${object.name}`)?.get(e.policy);
  if (!p || !model.madeAt(p.at, at)) return [];
  const out: Claim[] = [];
  for (const clause of ['using', 'check'] as const) {
    const own = e[clause];
    const declaredHere = own === undefined ? p[clause] === undefined : model.madeAt(p[clause === 'using' ? 'usingAt' : 'checkAt'], at);
    if (declaredHere) out.push({ kind: 'policy expression', object, policy: e.policy, clause, ...(own === undefined ? {} : { value: expressionKey(own) }) });
  }
  return out;
}

/** The objects a GRANT or REVOKE names, resolved where it stands; kinds without drift facts give none. */
function objectsOf(e: Extract<Effect, { op: 'grant' }>, model: Model, at: { uri: string; start: number }): ObjectRef[] {
  const out: ObjectRef[] = [];
  for (const o of e.objects) {
    if (e.kind === 'schema') out.push({ kind: 'schema', name: o.name });
    else if (e.kind === 'table' || e.kind === 'sequence') {
      const r = model.resolveRelation(o, at);
      out.push({ kind: (model.relation(o, at)?.kind as ObjectKind | undefined) ?? e.kind, schema: r.schema, name: r.name });
    } else if (e.kind === 'function') {
      const fns = model.functions(o, at).filter((f) => !o.args || f.args.join(',') === o.args.join(','));
      if (fns.length) for (const f of fns) out.push({ kind: 'function', schema: f.schema, name: f.name, args: f.args.map((a) => a.toLowerCase()) });
      else if (o.args) out.push({ kind: 'function', schema: o.schema ?? model.resolveRelation(o, at).schema, name: o.name, args: o.args.map((a) => a.toLowerCase()) });
    } else if (e.kind === 'type') {
      const r = model.resolveRelation(o, at);
      out.push({ kind: 'type', schema: r.schema, name: r.name });
    }
  }
  return out;
}

export type Verdict = { state: 'has' | 'missing' | 'differs'; text: string; details: string[] };

/**
 * Whether the live facts (keyed as core/drift/facts keys them) hold what the claims say:
 * every claim held is "live: has it"; every claim of something present missing is "live:
 * missing"; anything else is "live: differs: " with the first difference.
 */
export function judgeClaims(claims: readonly Claim[], live: ReadonlyMap<string, Fact>): Verdict {
  const problems: Array<{ missing: boolean; text: string }> = [];
  for (const c of claims) {
    const p = judge(c, live);
    if (p) problems.push(p);
  }
  if (!problems.length) return { state: 'has', text: 'live: has it', details: [] };
  // A claim with nothing to add (an expression of a policy that is missing altogether) has no text.
  const details = problems.map((p) => p.text).filter((t) => t);
  if (problems.every((p) => p.missing) && problems.length === claims.length) return { state: 'missing', text: 'live: missing', details };
  const more = problems.length > 1 ? ` (+${problems.length - 1} more)` : '';
  return { state: 'differs', text: `live: differs: ${problems[0].text}${more}`, details };
}

function judge(c: Claim, live: ReadonlyMap<string, Fact>): { missing: boolean; text: string } | undefined {
  switch (c.kind) {
    case 'privilege': {
      const key = objectKey(c.object);
      const what = `${c.privilege.toUpperCase()}${c.column ? ` (${c.column})` : ''} on ${describeObject(c.object)} to ${c.grantee}`;
      if (!live.has(`object ${key}`)) return c.present ? { missing: true, text: `${describeObject(c.object)} is not in the database` } : undefined;
      // The owner's privileges are keyed as the owner's (core/drift/facts objectFacts).
      const owner = live.get(`owner ${key}`)?.value;
      const f = live.get(`privilege ${key}${c.column ? `.${c.column}` : ''} ${c.grantee === owner ? '(owner)' : c.grantee} ${c.privilege}`);
      if (c.present && !f) return { missing: true, text: `${what} is not granted` };
      if (!c.present && f) return { missing: false, text: `${what} is still granted` };
      if (c.present && c.grantable && f?.kind === 'privilege' && !f.grantable) return { missing: false, text: `${what} is granted without GRANT OPTION` };
      return undefined;
    }
    case 'membership': {
      const f = live.get(`membership ${c.role} ${c.member}`);
      if (c.present && !f) return { missing: true, text: `${c.member} is not a member of ${c.role}` };
      if (!c.present && f) return { missing: false, text: `${c.member} is still a member of ${c.role}` };
      return undefined;
    }
    case 'rls': {
      const key = objectKey(c.object);
      if (!live.has(`object ${key}`)) return c.present ? { missing: true, text: `${describeObject(c.object)} is not in the database` } : undefined;
      const on = live.has(`rls ${c.forced ? 'forced ' : ''}${key}`);
      const what = `row-level security ${c.forced ? 'forced' : 'enabled'} on ${describeObject(c.object)}`;
      if (c.present && !on) return { missing: true, text: `${what}: the database has it off` };
      if (!c.present && on) return { missing: false, text: `${what}: the database still has it on` };
      return undefined;
    }
    case 'policy': {
      const f = live.get(`policy ${objectKey(c.object)} ${c.policy}`);
      if (!f) return { missing: true, text: `policy ${c.policy} on ${describeObject(c.object)} is not in the database` };
      if (f.value !== c.value) return { missing: false, text: `policy ${c.policy} is ${f.value} in the database, ${c.value} here` };
      return undefined;
    }
    case 'policy expression': {
      const policy = `policy ${objectKey(c.object)} ${c.policy}`;
      // The policy's own claim says that it is missing.
      if (!live.has(policy)) return { missing: true, text: '' };
      const f = live.get(`${policy} ${c.clause}`);
      // An expression the parser could not read is unknown, never a difference.
      if (f?.kind === 'policy expression' && f.unknown) return undefined;
      if (f?.value === c.value) return undefined;
      const what = `${c.clause === 'using' ? 'USING' : 'WITH CHECK'} of policy ${c.policy}`;
      if (!f) return { missing: false, text: `${what}: the database has none` };
      const text = f.kind === 'policy expression' && f.text !== undefined ? f.text : 'another expression';
      return { missing: false, text: c.value === undefined ? `${what}: the database has ${text}, the statement none` : `${what} is ${text} in the database` };
    }
  }
}
