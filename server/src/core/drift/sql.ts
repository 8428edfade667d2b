// The SQL that acts on drift, never executed by pgwarden: the reconciling migration (the
// statements that bring the database back to the declared state) and the adopting one
// (the statements that declare the live state, for a new migration file). Both are one
// move per finding, from one side's fact to the other's; every name is quoted by
// core/identifier. What cannot be written from the facts alone (a table's definition, a
// policy's expressions the migrations hold) becomes a comment saying what to do.

import { quoteIdent } from '../identifier';
import type { Place } from '../model/state';
import { describeFact, DriftFinding } from './compare';
import { Fact, ObjectRef } from './facts';

export interface SqlOptions {
  /** The server's major version: role grant options (INHERIT, SET) exist from 16. */
  major: number;
  /** Renders a declaring statement's place (`db/migrations/001.sql:12`) for comments. */
  where?: (at: Place) => string;
}

const role = (r: string) => (r === 'public' ? 'PUBLIC' : quoteIdent(r));

function objectName(o: ObjectRef): string {
  const name = o.schema === undefined ? quoteIdent(o.name) : `${quoteIdent(o.schema)}.${quoteIdent(o.name)}`;
  return o.args ? `${name}(${o.args.join(', ')})` : name;
}

/** The keyword GRANT uses for an object kind. */
function grantKind(o: ObjectRef): string {
  switch (o.kind) {
    case 'sequence':
      return 'SEQUENCE';
    case 'schema':
      return 'SCHEMA';
    case 'database':
      return 'DATABASE';
    case 'type':
      return 'TYPE';
    case 'function':
      return 'ROUTINE';
    default:
      return 'TABLE';
  }
}

/** The keyword ALTER uses for an object kind. */
function alterKind(o: ObjectRef): string {
  return o.kind === 'function' ? 'ROUTINE' : o.kind.toUpperCase();
}

const DEFAULT_ON: Record<string, string> = { table: 'TABLES', sequence: 'SEQUENCES', function: 'FUNCTIONS', type: 'TYPES', schema: 'SCHEMAS' };

/** A statement and the order it runs in: roles first, widening before narrowing, role drops last. */
interface Step {
  phase: number;
  sql: string;
}

function roleOptions(r: string, facts: ReadonlyMap<string, Fact>): string {
  const words: string[] = [];
  for (const f of facts.values()) if (f.kind === 'attribute' && f.role === r) words.push(`${f.on ? '' : 'NO'}${f.attribute.toUpperCase()}`);
  return words.length ? ` WITH ${words.join(' ')}` : '';
}

function membershipGrant(r: string, m: string, facts: ReadonlyMap<string, Fact>, major: number): string {
  const option = (o: string) => {
    const f = facts.get(`membership ${r} ${m} ${o}`);
    return f && f.kind === 'membership option' ? f.on : undefined;
  };
  const opts: string[] = [];
  if (major >= 16) {
    for (const o of ['admin', 'inherit', 'set']) {
      const v = option(o);
      if (v !== undefined) opts.push(`${o.toUpperCase()} ${v ? 'TRUE' : 'FALSE'}`);
    }
  } else if (option('admin')) opts.push('ADMIN OPTION');
  return `GRANT ${role(r)} TO ${role(m)}${opts.length ? ` WITH ${opts.join(', ')}` : ''};`;
}

function privilegeTarget(f: Extract<Fact, { kind: 'privilege' }>): string {
  return `${f.privilege.toUpperCase()}${f.column ? ` (${quoteIdent(f.column)})` : ''} ON ${grantKind(f.object)} ${objectName(f.object)}`;
}

function defaultsPrefix(f: Extract<Fact, { kind: 'default privilege' }>): string {
  return `ALTER DEFAULT PRIVILEGES FOR ROLE ${role(f.role)}${f.schema ? ` IN SCHEMA ${quoteIdent(f.schema)}` : ''}`;
}

/**
 * The statements that take the database from `from` (the fact as it stands, or absent) to
 * `to` (the fact as wanted, or absent); `target` holds every fact of the wanted side.
 */
function move(from: Fact | undefined, to: Fact | undefined, target: ReadonlyMap<string, Fact>, options: SqlOptions): Step[] {
  const f = (to ?? from)!;
  const add = !from && !!to;
  const drop = !!from && !to;
  const note = (text: string): Step[] => [{ phase: 9, sql: `-- ${text}` }];
  const where = (x: Fact | undefined) => (x?.at && options.where ? ` (${options.where(x.at)})` : '');
  switch (f.kind) {
    case 'role':
      if (add) return [{ phase: 0, sql: `CREATE ROLE ${role(f.role)}${roleOptions(f.role, target)};` }];
      return [{ phase: 8, sql: `DROP ROLE ${role(f.role)};` }];
    case 'attribute':
      if (to && to.kind === 'attribute') return [{ phase: 1, sql: `ALTER ROLE ${role(f.role)} ${to.on ? '' : 'NO'}${f.attribute.toUpperCase()};` }];
      return [];
    case 'membership':
      if (add) return [{ phase: 2, sql: membershipGrant(f.role, f.member, target, options.major) }];
      return [{ phase: 7, sql: `REVOKE ${role(f.role)} FROM ${role(f.member)};` }];
    case 'membership option': {
      if (!to || to.kind !== 'membership option') return [];
      if (to.option === 'admin') return [to.on ? { phase: 2, sql: `GRANT ${role(f.role)} TO ${role(f.member)} WITH ADMIN OPTION;` } : { phase: 7, sql: `REVOKE ADMIN OPTION FOR ${role(f.role)} FROM ${role(f.member)};` }];
      return [{ phase: 2, sql: `GRANT ${role(f.role)} TO ${role(f.member)} WITH ${to.option.toUpperCase()} ${to.on ? 'TRUE' : 'FALSE'};` }];
    }
    case 'object':
      if (add) return note(`${describeFact(f)}${where(to)} is missing: run the migration that creates it, or write its CREATE statement here`);
      return note(`${describeFact(f)} is not wanted here: DROP ${alterKind(f.object)} ${objectName(f.object)}; drops it with its data, so it is left for you to decide`);
    case 'owner':
      if (to && to.kind === 'owner') return [{ phase: 3, sql: `ALTER ${alterKind(f.object)} ${objectName(f.object)} OWNER TO ${role(to.owner)};` }];
      return [];
    case 'privilege': {
      if (add) return [{ phase: 4, sql: `GRANT ${privilegeTarget(f)} TO ${role(f.grantee)}${f.grantable ? ' WITH GRANT OPTION' : ''};` }];
      if (drop) return [{ phase: 7, sql: `REVOKE ${privilegeTarget(f)} FROM ${role(f.grantee)};` }];
      if (to && to.kind === 'privilege' && to.grantable) return [{ phase: 4, sql: `GRANT ${privilegeTarget(f)} TO ${role(f.grantee)} WITH GRANT OPTION;` }];
      return [{ phase: 7, sql: `REVOKE GRANT OPTION FOR ${privilegeTarget(f)} FROM ${role(f.grantee)};` }];
    }
    case 'default privilege': {
      const what = `${f.privilege.toUpperCase()} ON ${DEFAULT_ON[f.on]}`;
      const grant = (option: boolean) => ({ phase: 5, sql: `${defaultsPrefix(f)} GRANT ${what} TO ${role(f.grantee)}${option ? ' WITH GRANT OPTION' : ''};` });
      const revoke = (optionOnly: boolean) => ({ phase: 5, sql: `${defaultsPrefix(f)} REVOKE ${optionOnly ? 'GRANT OPTION FOR ' : ''}${what} FROM ${role(f.grantee)};` });
      // A `revoked` fact is a built-in default taken away: present means REVOKE.
      if (f.revoked) return [add ? revoke(false) : grant(false)];
      if (add) return [grant(f.grantable)];
      if (drop) return [revoke(false)];
      return [to && to.kind === 'default privilege' && to.grantable ? grant(true) : revoke(true)];
    }
    case 'rls':
      if (f.forced) return [{ phase: 6, sql: `ALTER TABLE ${objectName(f.object)} ${add ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY;` }];
      return [{ phase: 6, sql: `ALTER TABLE ${objectName(f.object)} ${add ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY;` }];
    case 'policy': {
      const on = `${quoteIdent(f.policy)} ON ${objectName(f.object)}`;
      if (drop) return [{ phase: 7, sql: `DROP POLICY ${on};` }];
      const p = to as Extract<Fact, { kind: 'policy' }>;
      const roles = p.roles.map(role).join(', ');
      const rolesOnly = from && from.kind === 'policy' && from.command === p.command && from.permissive === p.permissive;
      if (rolesOnly) return [{ phase: 6, sql: `ALTER POLICY ${on} TO ${roles};` }];
      if (p.using === undefined && p.check === undefined) return note(`policy ${f.policy} on ${objectName(f.object)} should be as ${where(p) ? `declared${where(p)}` : p.value}: ${from ? 'drop it and ' : ''}run that CREATE POLICY again`);
      const create = `CREATE POLICY ${on}${p.permissive ? '' : ' AS RESTRICTIVE'} FOR ${p.command.toUpperCase()} TO ${roles}${p.using ? ` USING (${p.using})` : ''}${p.check ? ` WITH CHECK (${p.check})` : ''};`;
      return from ? [{ phase: 6, sql: `DROP POLICY ${on};` }, { phase: 6, sql: create }] : [{ phase: 6, sql: create }];
    }
    case 'policy expression': {
      const clause = f.clause === 'using' ? 'USING' : 'WITH CHECK';
      const on = `${quoteIdent(f.policy)} ON ${objectName(f.object)}`;
      if (to && to.kind === 'policy expression' && to.text !== undefined) return [{ phase: 6, sql: `ALTER POLICY ${on} ${clause} (${to.text});` }];
      if (to) return note(`${describeFact(f)} should be as declared${where(to)}: ALTER POLICY ${on} ${clause} (...) with the migration's expression`);
      return note(`${describeFact(f)} is not declared: ALTER POLICY cannot remove it; drop the policy and run its CREATE POLICY again`);
    }
    case 'security invoker':
      return [{ phase: 6, sql: `ALTER VIEW ${objectName(f.object)} ${add ? 'SET (security_invoker = true)' : 'RESET (security_invoker)'};` }];
    case 'security definer':
      return [{ phase: 6, sql: `ALTER ROUTINE ${objectName(f.object)} ${add ? 'SECURITY DEFINER' : 'SECURITY INVOKER'};` }];
    case 'function search_path': {
      if (!to || to.kind !== 'function search_path') return [{ phase: 6, sql: `ALTER ROUTINE ${objectName(f.object)} RESET search_path;` }];
      const path = to.path.split(', ').map((s) => (s === '$user' ? '"$user"' : quoteIdent(s)));
      return [{ phase: 6, sql: `ALTER ROUTINE ${objectName(f.object)} SET search_path = ${path.join(', ')};` }];
    }
  }
}

function script(findings: readonly DriftFinding[], side: 'declared' | 'live', target: readonly Fact[], options: SqlOptions, title: string): string {
  const wanted = new Map(target.map((f) => [f.key, f]));
  const steps = findings.flatMap((d) => (side === 'declared' ? move(d.live, d.declared, wanted, options) : move(d.declared, d.live, wanted, options)));
  const seen = new Set<string>();
  const lines = steps
    .sort((a, b) => a.phase - b.phase)
    .map((s) => s.sql)
    .filter((s) => !seen.has(s) && !!seen.add(s));
  return `-- ${title}\n-- Generated by pgwarden; review before running. pgwarden never runs it.\n${lines.join('\n')}\n`;
}

/** The statements that bring the database back to the declared state. */
export function reconcilingSql(findings: readonly DriftFinding[], declared: readonly Fact[], options: SqlOptions): string {
  return script(findings, 'declared', declared, options, 'Reconciling migration: returns the database to what the migrations declare.');
}

/** The statements that declare the live state, for a new migration. */
export function adoptingSql(findings: readonly DriftFinding[], live: readonly Fact[], options: SqlOptions): string {
  return script(findings, 'live', live, options, 'Adopting migration: declares what the database holds now.');
}
