// missing-rls: a table without row-level security in a project that relies on it: the
// table has policies that therefore do nothing, or a role the policies are about (or
// PUBLIC) holds privileges on it. Projects that never use RLS are not told to start.

import { fix, insert } from '../../fix';
import { Finding } from '../../rules';
import { formatName, QualifiedName, rangeVarName } from '../ast';
import { SqlStmt } from '../document';
import { isTemporary } from '../facts';
import { qualifiedNameEnd, quoteQualified, statementInsertion } from '../quote';
import { SqlRule, SqlRuleContext } from '../rule';
import { At, Model } from '../../model/model';
import { PUBLIC } from '../../model/effects';
import { placeOf } from '../final-state';
import { fileKind, isTestPath } from '../file-kind';

export const missingRls: SqlRule = {
  meta: {
    id: 'missing-rls',
    language: 'sql',
    defaultSeverity: 'warning',
    description:
      'A table without row-level security in a project that uses it: its policies do nothing, or PUBLIC or a role the policies name holds privileges on it (with rls.schemas: any table of those schemas).',
    fixable: true,
  },
  types: ['CreateStmt', 'CreateTableAsStmt', 'SelectStmt', 'CreateSchemaStmt'],
  check(stmt, ctx) {
    const n = stmt.node;
    if (stmt.type === 'CreateSchemaStmt') {
      // CREATE SCHEMA s CREATE TABLE t ...: the tables belong to the new schema (named
      // after the AUTHORIZATION role when the schema has no name of its own).
      const schema: string | undefined = n.schemaname ?? n.authrole?.RoleSpec?.rolename ?? n.authrole?.rolename;
      if (!schema) return [];
      return (n.schemaElts ?? []).flatMap((e: any) => (e?.CreateStmt && !e.CreateStmt.partbound ? check(stmt, ctx, e.CreateStmt.relation, schema) : []));
    }
    let rel: any;
    if (stmt.type === 'CreateStmt') {
      // A partition is reached through its parent, whose policies apply to every row read
      // that way; reading a partition directly needs privileges granted on the partition
      // itself, which grants on the parent do not give. The parent is checked instead.
      if (n.partbound) return [];
      rel = n.relation;
    } else if (stmt.type === 'CreateTableAsStmt') {
      if (n.objtype !== 'OBJECT_TABLE') return [];
      rel = n.into?.rel;
    } else {
      rel = n.intoClause?.rel;
    }
    return check(stmt, ctx, rel);
  },
};

/** What this rule asks of a project's whole final state, worked out once per folded model. */
interface ProjectRls {
  /** Roles the project's policies outside test files name (`public` for PUBLIC, which a policy without TO names). */
  policyRoles: Set<string>;
  /** Whether the project uses row-level security outside its tests: a table with RLS enabled, or a policy. */
  usesRls: boolean;
}

// Keyed by the model: a model's state never changes after its fold, and asking these per
// created table scanned every policy of the project once per table.
const projectRls = new WeakMap<Model, ProjectRls>();

/** A test's policies and RLS are its scenario, not the schema's, so they do not count. */
function rlsOf(m: Model): ProjectRls {
  let p = projectRls.get(m);
  if (!p) {
    const policyRoles = new Set<string>();
    let uses = false;
    for (const r of m.state.relations.values()) if (r.rls && !(r.rlsAt && isTestPath(r.rlsAt.uri))) uses = true;
    for (const byName of m.state.policies.values())
      for (const pol of byName.values())
        if (!isTestPath(pol.at.uri)) {
          uses = true;
          for (const r of pol.roles) policyRoles.add(r);
        }
    p = { policyRoles, usesRls: uses };
    projectRls.set(m, p);
  }
  return p;
}

/**
 * Supabase's API roles: the platform grants them every privilege on tables in schema
 * public by default privileges the migrations never show. They count as granted there
 * unless the project creates them itself (then its own grants say what they hold).
 */
const SUPABASE_API_ROLES = ['anon', 'authenticated'];

/** Why a table without RLS matters in this project, or undefined when it does not. */
function whyItMatters(ctx: SqlRuleContext, table: QualifiedName, here: At): string | undefined {
  const m = ctx.workspace.model(ctx.doc.uri);
  const policies = m.policies(table, here);
  if (policies.length > 0) {
    const names = policies.map((p) => `"${p.name}"`).join(', ');
    return `has no row-level security, so its ${policies.length === 1 ? 'policy' : 'policies'} ${names} ${policies.length === 1 ? 'does' : 'do'} nothing: every role with a privilege on it sees and changes every row`;
  }
  const roles = rlsOf(m).policyRoles;
  const grantees = m.tableGrantees(table, here);
  // What the roles may do with every row: read only, when SELECT is all they hold.
  const acl = m.relation(table, here)?.acl ?? [];
  const readOnly = (who: string[]) => acl.filter((i) => who.includes(i.grantee)).every((i) => i.privilege === 'select');
  if (grantees.includes(PUBLIC))
    return `has no row-level security while PUBLIC holds privileges on it, in a project that protects its tables with row-level security: every role ${readOnly([PUBLIC]) ? 'reads' : 'sees and changes'} every row`;
  const reached = grantees.filter((g) => roles.has(g));
  if (reached.length > 0) {
    const who = reached.map((r) => `"${r}"`).join(', ');
    const one = reached.length === 1;
    const verbs = readOnly(reached) ? (one ? 'reads' : 'read') : one ? 'sees and changes' : 'see and change';
    return `has no row-level security, while ${who}, which the project's policies restrict elsewhere, ${one ? 'holds' : 'hold'} privileges on it: ${one ? 'it' : 'they'} ${verbs} every row`;
  }
  const resolved = m.resolveRelation(table, here);
  const platform = SUPABASE_API_ROLES.filter((r) => roles.has(r) && !ctx.workspace.knowsRole(r));
  if (resolved.schema === 'public' && platform.length > 0) {
    return `has no row-level security, while ${platform.map((r) => `"${r}"`).join(' and ')} (Supabase's API roles, granted every table in schema public by the platform's default privileges) can reach it: every API user sees and changes every row`;
  }
  return undefined;
}

/** The finding for one created table, if it needs one; `schema` is given for tables inside CREATE SCHEMA. */
function check(stmt: SqlStmt, ctx: SqlRuleContext, rel: any, schema?: string): Finding[] {
  const named = rangeVarName(rel);
  // Temporary tables are visible only to the session that creates them; a test's tables
  // belong to its scenario (often rolled back), not to the deployed schema.
  if (!named || isTemporary(rel) || fileKind(ctx.doc).test) return [];
  const table: QualifiedName = schema && !named.schema ? { schema, name: named.name } : named;
  const here = placeOf(stmt, ctx);
  const state = ctx.workspace.model(ctx.doc.uri).relation(table, here);
  if (state?.rls || ctx.workspace.rlsEnabled(table)) return [];
  // With rls.schemas, every table of those schemas must have RLS (the project says so).
  // Without it, a table matters only where the project uses RLS and a role the policies
  // are about (or PUBLIC) can reach the table; a project with no RLS at all protects its
  // rows otherwise, and enabling RLS there would lock every non-owner role out.
  const schemas = ctx.config.rlsSchemas;
  let why: string | undefined;
  if (schemas) {
    if (!schemas.includes(table.schema ?? 'public')) return [];
    why = `has no row-level security, and rls.schemas in pgwarden.json lists its schema "${table.schema ?? 'public'}": every role with a privilege on it sees and changes every row`;
  } else {
    if (!rlsOf(ctx.workspace.model(ctx.doc.uri)).usesRls) return [];
    why = whyItMatters(ctx, table, here);
    if (!why) return [];
  }

  const text = stmt.unit.parseText;
  const start = stmt.offset(rel.location);
  const end = stmt.unit.start + qualifiedNameEnd(text, start - stmt.unit.start);
  const sqlName = quoteQualified(table);
  const ins = statementInsertion(ctx.doc.text, stmt.unit.semicolon, stmt.unit.end, `ALTER TABLE ${sqlName} ENABLE ROW LEVEL SECURITY;`);
  return [
    {
      ruleId: 'missing-rls',
      start,
      end,
      message: `Table ${formatName(table)} ${why}. Add ALTER TABLE ${sqlName} ENABLE ROW LEVEL SECURITY${why.includes(' nothing:') ? '' : ' and policies for the roles that use it'}.`,
      // Enabling RLS denies every row to every role no policy lets in: it can break a
      // running application, so the fix is unsafe: offered, applied only by --unsafe-fixes.
      fixes: [fix(`Enable row-level security on ${formatName(table)}`, [insert(ins.at, ins.text)], {
        consequence: 'with no policy, every role but the owner and BYPASSRLS roles sees no rows',
      })],
    },
  ];
}
