// grant-all: GRANT ALL [PRIVILEGES] on an object, or as a default privilege. ALL hands out
// every privilege the object type has, including ones the grantee never needed (TRUNCATE,
// TRIGGER, REFERENCES on tables) and ones later PostgreSQL versions add (MAINTAIN in 17).

import { fix, replace } from '../../fix';
import { Finding } from '../../rules';
import { formatName, qualifiedFromList, rangeVarName, roleSpec, stringList } from '../ast';
import { isLowerCase, shownRoles, skipBlanks } from '../locate';
import { SqlRule, SqlRuleContext } from '../rule';

interface ObjectKind {
  /** The object kind in words, singular. */
  noun: string;
  /** What ALL stands for on this kind of object; `maintain` marks tables from PostgreSQL 17. */
  all: (version: number) => string;
  /** A narrower privilege list to offer instead (the user picks in the snippet). */
  suggest: string;
  /** ALL is one privilege on this kind (EXECUTE, USAGE, CREATE): it cannot give more than named. */
  single?: true;
}

const KINDS: Record<string, ObjectKind> = {
  OBJECT_TABLE: {
    noun: 'table',
    all: (v) => `SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER${v >= 17 ? ', MAINTAIN' : ''}`,
    suggest: 'SELECT, INSERT, UPDATE, DELETE',
  },
  OBJECT_SEQUENCE: { noun: 'sequence', all: () => 'USAGE, SELECT, UPDATE', suggest: 'USAGE, SELECT' },
  OBJECT_DATABASE: { noun: 'database', all: () => 'CREATE, CONNECT, TEMPORARY', suggest: 'CONNECT' },
  OBJECT_SCHEMA: { noun: 'schema', all: () => 'USAGE, CREATE', suggest: 'USAGE' },
  OBJECT_FUNCTION: { noun: 'function', all: () => 'EXECUTE', suggest: 'EXECUTE', single: true },
  OBJECT_PROCEDURE: { noun: 'procedure', all: () => 'EXECUTE', suggest: 'EXECUTE', single: true },
  OBJECT_ROUTINE: { noun: 'routine', all: () => 'EXECUTE', suggest: 'EXECUTE', single: true },
  OBJECT_TYPE: { noun: 'type', all: () => 'USAGE', suggest: 'USAGE', single: true },
  OBJECT_DOMAIN: { noun: 'domain', all: () => 'USAGE', suggest: 'USAGE', single: true },
  OBJECT_LANGUAGE: { noun: 'language', all: () => 'USAGE', suggest: 'USAGE', single: true },
  OBJECT_FDW: { noun: 'foreign-data wrapper', all: () => 'USAGE', suggest: 'USAGE', single: true },
  OBJECT_FOREIGN_SERVER: { noun: 'foreign server', all: () => 'USAGE', suggest: 'USAGE', single: true },
  OBJECT_TABLESPACE: { noun: 'tablespace', all: () => 'CREATE', suggest: 'CREATE', single: true },
  OBJECT_LARGEOBJECT: { noun: 'large object', all: () => 'SELECT, UPDATE', suggest: 'SELECT' },
  OBJECT_PARAMETER_ACL: { noun: 'parameter', all: () => 'SET, ALTER SYSTEM', suggest: 'SET' },
};

const FALLBACK: ObjectKind = { noun: 'object', all: () => 'every privilege', suggest: 'SELECT' };

/** The objects of a GRANT in words: `table "s.t"`, `all functions in schema "s"`, `tables created later`. */
function describeObjects(grant: any, kind: ObjectKind): string {
  if (grant.targtype === 'ACL_TARGET_DEFAULTS') return `${plural(kind.noun)} created later`;
  if (grant.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') {
    const schemas = stringList(grant.objects).map((s) => `"${s}"`);
    return `all ${plural(kind.noun)} in schema ${schemas.join(', ')}`;
  }
  const names: string[] = [];
  for (const o of grant.objects ?? []) {
    const rv = rangeVarName(o);
    if (rv) names.push(formatName(rv));
    else if (o?.String?.sval !== undefined) names.push(o.String.sval);
    else if (o?.ObjectWithArgs) {
      const q = qualifiedFromList(o.ObjectWithArgs.objname);
      if (q) names.push(formatName(q));
    } else if (Array.isArray(o?.List?.items)) names.push(stringList(o.List.items).join('.'));
    else if (o?.TypeName) names.push(stringList(o.TypeName.names).join('.'));
    else if (o?.Integer !== undefined) names.push(String(o.Integer.ival ?? 0));
  }
  if (names.length === 0) return kind.noun;
  return `${names.length === 1 ? kind.noun : plural(kind.noun)} ${names.map((n) => `"${n}"`).join(', ')}`;
}

function plural(noun: string): string {
  return noun.endsWith('y') ? noun.slice(0, -1) + 'ies' : noun + 's';
}

/** Whether every grantee (RoleSpec nodes) is a superuser, who holds and may pass on every privilege anyway. */
export function onlySuperusers(grantees: any[] | undefined, ctx: SqlRuleContext): boolean {
  const roles = (grantees ?? []).map((g: any) => roleSpec(g));
  return roles.length > 0 && roles.every((r) => r?.kind === 'name' && ctx.workspace.isSuperuser(r.name!, ctx.config.superusers));
}

/**
 * Roles that hold cluster-wide power already: SUPERUSER, BYPASSRLS (reads every row
 * whatever the policies say), REPLICATION (streams every row of the cluster) or CREATEROLE
 * (administers roles, and before PostgreSQL 16 may join almost any of them), as the
 * project's files make them; and Supabase's `service_role`, which the platform creates
 * with BYPASSRLS when the files do not create a role of that name. ALL on an object adds
 * nothing a reviewer must weigh for such a role; privileged-role-attribute reports where
 * the role gets its power.
 */
function administrative(role: string, ctx: SqlRuleContext): boolean {
  if (ctx.workspace.isSuperuser(role, ctx.config.superusers)) return true;
  const attrs = ctx.workspace.model(ctx.doc.uri).state.roles.get(role)?.attributes;
  if (attrs) return !!(attrs.superuser || attrs.bypassrls || attrs.replication || attrs.createrole);
  return role === 'service_role' && !ctx.workspace.knowsRole(role);
}

/**
 * Why a GRANT ALL is not worth a finding, if it is not: see the rule's docs page, "What it
 * deliberately does not flag".
 */
function notWorthIt(grant: any, ctx: SqlRuleContext): boolean {
  const roles = (grant.grantees ?? []).map((g: any) => roleSpec(g));
  const named = roles.length > 0 && roles.every((r: ReturnType<typeof roleSpec>) => r?.kind === 'name');
  if (!named) return false;
  const names: string[] = roles.map((r: ReturnType<typeof roleSpec>) => r!.name!);
  // ALL on a database adds only CREATE (schemas) to the CONNECT and TEMPORARY every role
  // holds by default: the usual grant to a database's own application role.
  if (grant.objtype === 'OBJECT_DATABASE') return true;
  if (names.every((r) => administrative(r, ctx))) return true;
  // An extension's own roles, created by its scripts (pgsodium_keymaker...), exist to carry
  // what its scripts grant them; who becomes a member is the installing administrator's
  // decision. (A demo's login role, created by an example, is no such role.)
  const m = ctx.workspace.model(ctx.doc.uri);
  const own = (r: string) => {
    const at = m.state.roles.get(r)?.at;
    return at !== undefined && ctx.workspace.layoutOf(at.uri)?.extension !== undefined;
  };
  return ctx.workspace.extensionProject(ctx.doc.uri) && names.every(own);
}

export const grantAll: SqlRule = {
  meta: {
    id: 'grant-all',
    language: 'sql',
    defaultSeverity: 'warning',
    description: 'GRANT ALL [PRIVILEGES] gives every privilege of the object type, including ones the grantee does not need.',
    fixable: true,
  },
  types: ['GrantStmt', 'AlterDefaultPrivilegesStmt'],
  skipTests: true,
  check(stmt, ctx) {
    const defaults = stmt.type === 'AlterDefaultPrivilegesStmt';
    const grant = defaults ? stmt.node.action : stmt.node;
    // REVOKE ALL is the safe direction; only a GRANT with no privilege list (that is, ALL) counts.
    // `GRANT ALL (col, ...)` has a column list and stays out: it is already narrowed to columns.
    if (!grant?.is_grant || (grant.privileges ?? []).length > 0) return [];
    const kind = KINDS[grant.objtype] ?? FALLBACK;
    // GRANT ALL ON FUNCTION is GRANT EXECUTE: nothing wider to narrow it to.
    if (kind.single) return [];
    // A superuser already holds every privilege: pg_dump's `GRANT ALL ON TABLE t TO postgres`
    // (after `ALTER TABLE t OWNER TO postgres`) restates the owner's rights and gives nothing.
    if (onlySuperusers(grant.grantees, ctx) || notWorthIt(grant, ctx)) return [];
    const at = stmt.find(/\bGRANT\s+ALL\b(?:\s+PRIVILEGES\b)?/i);
    if (!at) return [];
    const start = skipBlanks(stmt, at.start + 'GRANT'.length);
    const end = at.end;
    const range = { start, end };
    const suggestion = isLowerCase(stmt, range) ? kind.suggest.toLowerCase() : kind.suggest;
    const finding: Finding = {
      ruleId: 'grant-all',
      start,
      end,
      message:
        `GRANT ALL on ${describeObjects(grant, kind)} gives ${shownRoles(stmt, grant.grantees)} every ${kind.noun} privilege ` +
        `(${kind.all(ctx.config.postgresVersion)}), and any that later PostgreSQL versions add. ` +
        `Name only the privileges needed, e.g. ${kind.suggest}.`,
      fixes: [fix(`Replace ALL with ${kind.suggest}`, [replace(start, end, suggestion)], { snippet: true, consequence: 'the grantee loses the privileges left out' })],
    };
    return [finding];
  },
};
