// The catalog snapshot: roles, memberships, tables with RLS, policies and grants, a
// role's privileges and owned objects. Every query is schema-qualified and takes its
// inputs as bind parameters. Version differences (13 to 18) are handled inside the SQL
// where possible (`to_jsonb(row)->>'column'` is NULL for a column the version lacks), so
// one query text serves every version. Lists are paged so the client can show the first
// level of a server with 10,000 roles at once and fetch children only when opened.
// Longer than 400 lines because every catalog query of the tree, the CLI and the audit is
// kept in one file, to be reviewed as one for schema qualification and bind parameters.

import { quoteQualified } from '../core/identifier';
import type { CatalogFacts } from '../core/workspace';
import { buildPrivilegeGraph, PrivilegeGraph } from '../core/live/privileges';
import type { AccessSnapshot } from '../core/live/row-access';
import { DbError, Session } from './session';
import { readServerSettings } from './settings';
import { describeTarget } from './target';
import {
  AclGrant,
  Membership,
  ObjectPrivilege,
  OwnedObject,
  Page,
  PageRequest,
  PasswordType,
  PolicyCommand,
  PolicyInfo,
  RelationKind,
  RoleDetails,
  RoleGroup,
  RoleInfo,
  TableInfo,
  TableSummary,
} from './types';

export const DEFAULT_PAGE = 200;
export const MAX_PAGE = 5000;

function page(req: PageRequest | undefined): { offset: number; limit: number } {
  const offset = Math.max(0, Math.floor(Number(req?.offset ?? 0)) || 0);
  const raw = Math.floor(Number(req?.limit ?? DEFAULT_PAGE)) || DEFAULT_PAGE;
  return { offset, limit: Math.min(MAX_PAGE, Math.max(1, raw)) };
}

/** The SQL expression giving a pg_roles row `r` its tree group. */
const GROUP_SQL = `CASE WHEN r.rolsuper THEN 'superuser'
  WHEN r.oid < 16384 AND r.rolname LIKE 'pg\\_%' THEN 'predefined'
  WHEN r.rolcanlogin THEN 'login' ELSE 'group' END`;

/** Schemas that hold the system's own objects, never the user's. */
const USER_SCHEMA_SQL = (n: string) =>
  `${n}.nspname NOT IN ('pg_catalog', 'information_schema') AND ${n}.nspname NOT LIKE 'pg\\_toast%' AND ${n}.nspname NOT LIKE 'pg\\_temp\\_%'`;

const ROLE_COLUMNS = `r.oid::text AS oid, r.rolname AS name, r.rolsuper AS superuser, r.rolinherit AS inherit,
  r.rolcreaterole AS createrole, r.rolcreatedb AS createdb, r.rolcanlogin AS login,
  r.rolreplication AS replication, r.rolbypassrls AS bypassrls, r.rolconnlimit AS connlimit,
  pg_catalog.to_json(r.rolvaliduntil) #>> '{}' AS validuntil, ${GROUP_SQL} AS grp`;

interface RoleRow {
  oid: string;
  name: string;
  superuser: boolean;
  inherit: boolean;
  createrole: boolean;
  createdb: boolean;
  login: boolean;
  replication: boolean;
  bypassrls: boolean;
  connlimit: number;
  validuntil: string | null;
  grp: RoleGroup;
}

function toRole(r: RoleRow, passwords: Map<string, PasswordType> | undefined): RoleInfo {
  return {
    name: r.name,
    oid: Number(r.oid),
    superuser: r.superuser,
    login: r.login,
    createrole: r.createrole,
    createdb: r.createdb,
    bypassrls: r.bypassrls,
    replication: r.replication,
    inherit: r.inherit,
    connectionLimit: Number(r.connlimit),
    validUntil: r.validuntil,
    passwordType: passwords ? passwords.get(r.name) ?? 'none' : null,
    predefined: r.grp === 'predefined',
    group: r.grp,
  };
}

/**
 * Password hash types from pg_authid, or undefined when the session may not read it
 * (only superusers can). The hashes themselves never leave the server.
 */
export async function passwordTypes(session: Session, names?: string[]): Promise<Map<string, PasswordType> | undefined> {
  try {
    const rows = await session.query<{ name: string; t: PasswordType }>(
      `SELECT a.rolname AS name,
              CASE WHEN a.rolpassword IS NULL THEN 'none'
                   WHEN a.rolpassword LIKE 'SCRAM-SHA-256$%' THEN 'scram-sha-256'
                   WHEN a.rolpassword ~ '^md5[0-9a-f]{32}$' THEN 'md5'
                   ELSE 'plain' END AS t
         FROM pg_catalog.pg_authid a
        WHERE $1::text[] IS NULL OR a.rolname = ANY($1::text[])`,
      [names ?? null],
    );
    return new Map(rows.map((r) => [r.name, r.t]));
  } catch (err) {
    if (err instanceof DbError && err.kind === 'permission') return undefined;
    throw err;
  }
}

/** Every role, ordered by name. */
export async function loadRoles(session: Session): Promise<RoleInfo[]> {
  const rows = await session.query<RoleRow>(`SELECT ${ROLE_COLUMNS} FROM pg_catalog.pg_roles r ORDER BY r.rolname COLLATE "C"`);
  const pw = await passwordTypes(session);
  return rows.map((r) => toRole(r, pw));
}

export interface RoleListRequest extends PageRequest {
  group?: RoleGroup;
  /** Case-insensitive substring of the role name. */
  search?: string;
}

/** One page of roles, optionally of one tree group, ordered by name. */
export async function listRoles(session: Session, req: RoleListRequest = {}): Promise<Page<RoleInfo>> {
  const { offset, limit } = page(req);
  const where = `($1::text IS NULL OR ${GROUP_SQL} = $1) AND ($2::text IS NULL OR pg_catalog.strpos(pg_catalog.lower(r.rolname), pg_catalog.lower($2)) > 0)`;
  const params = [req.group ?? null, req.search ?? null];
  const rows = await session.query<RoleRow>(
    `SELECT ${ROLE_COLUMNS} FROM pg_catalog.pg_roles r WHERE ${where} ORDER BY r.rolname COLLATE "C" LIMIT $3 OFFSET $4`,
    [...params, limit, offset],
  );
  const [{ n }] = await session.query<{ n: number }>(`SELECT pg_catalog.count(*)::int AS n FROM pg_catalog.pg_roles r WHERE ${where}`, params);
  const pw = session.isSuperuser ? await passwordTypes(session, rows.map((r) => r.name)) : undefined;
  return { items: rows.map((r) => toRole(r, pw)), total: n, offset, limit };
}

/** How many roles each tree group holds. */
export async function roleGroupCounts(session: Session): Promise<Record<RoleGroup, number>> {
  const rows = await session.query<{ grp: RoleGroup; n: number }>(
    `SELECT ${GROUP_SQL} AS grp, pg_catalog.count(*)::int AS n FROM pg_catalog.pg_roles r GROUP BY 1`,
  );
  const out: Record<RoleGroup, number> = { superuser: 0, login: 0, group: 0, predefined: 0 };
  for (const r of rows) out[r.grp] = r.n;
  return out;
}

const MEMBERSHIP_SQL = `
  SELECT r.rolname AS role, m.rolname AS member,
         pg_catalog.bool_or(am.admin_option) AS admin,
         -- 16+: the per-grant options (any grantor's row counts); before 16 the columns
         -- do not exist, the member's rolinherit decides and SET is always allowed.
         COALESCE(pg_catalog.bool_or((pg_catalog.to_jsonb(am) ->> 'inherit_option')::boolean), pg_catalog.bool_or(m.rolinherit)) AS inherit,
         COALESCE(pg_catalog.bool_or((pg_catalog.to_jsonb(am) ->> 'set_option')::boolean), true) AS set,
         pg_catalog.array_agg(DISTINCT COALESCE(g.rolname::text, '')) AS grantors
    FROM pg_catalog.pg_auth_members am
    JOIN pg_catalog.pg_roles r ON r.oid = am.roleid
    JOIN pg_catalog.pg_roles m ON m.oid = am.member
    LEFT JOIN pg_catalog.pg_roles g ON g.oid = am.grantor`;

/** The query's row has Membership's columns; its grantors are unsorted and hold '' where the LEFT JOIN found no role. */
type MembershipRow = Membership;

function toMembership(r: MembershipRow): Membership {
  return { role: r.role, member: r.member, admin: r.admin, inherit: r.inherit, set: r.set, grantors: (r.grantors ?? []).filter((g) => g !== '').sort() };
}

/** Every membership (one entry per role and member, grantors merged). */
export async function loadMemberships(session: Session): Promise<Membership[]> {
  const rows = await session.query<MembershipRow>(`${MEMBERSHIP_SQL} GROUP BY r.rolname, m.rolname ORDER BY r.rolname COLLATE "C", m.rolname COLLATE "C"`);
  return rows.map(toMembership);
}

/** The roles `name` is a member of, and the first page of its members. */
export async function membershipsOf(
  session: Session,
  name: string,
  membersPage: PageRequest = { limit: 1000 },
): Promise<{ memberOf: Membership[]; members: Membership[]; membersTotal: number }> {
  const memberOf = (
    await session.query<MembershipRow>(`${MEMBERSHIP_SQL} WHERE m.rolname = $1 GROUP BY r.rolname, m.rolname ORDER BY r.rolname COLLATE "C"`, [name])
  ).map(toMembership);
  const members = await listMembers(session, name, membersPage);
  return { memberOf, members: members.items, membersTotal: members.total };
}

/** One page of the members of a role (a group role can have thousands), ordered by name. */
export async function listMembers(session: Session, role: string, req: PageRequest = {}): Promise<Page<Membership>> {
  const { offset, limit } = page(req);
  const rows = await session.query<MembershipRow>(
    `${MEMBERSHIP_SQL} WHERE r.rolname = $1 GROUP BY r.rolname, m.rolname ORDER BY m.rolname COLLATE "C" LIMIT $2 OFFSET $3`,
    [role, limit, offset],
  );
  const [{ n }] = await session.query<{ n: number }>(
    `SELECT pg_catalog.count(DISTINCT am.member)::int AS n FROM pg_catalog.pg_auth_members am JOIN pg_catalog.pg_roles r ON r.oid = am.roleid WHERE r.rolname = $1`,
    [role],
  );
  return { items: rows.map(toMembership), total: n, offset, limit };
}

const RELKIND: Record<string, RelationKind> = { r: 'table', p: 'partitioned table', v: 'view', m: 'materialized view', f: 'foreign table' };
const POLCMD: Record<string, PolicyCommand> = { '*': 'ALL', r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE' };

const TABLE_COLUMNS = `c.oid::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind,
  pg_catalog.pg_get_userbyid(c.relowner) AS owner, c.relrowsecurity AS rls, c.relforcerowsecurity AS force,
  EXISTS (SELECT 1 FROM pg_catalog.unnest(c.reloptions) o
           WHERE pg_catalog.lower(o) IN ('security_invoker=true', 'security_invoker=on', 'security_invoker=1', 'security_invoker=yes')) AS invoker`;

const TABLE_FROM = `pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_SCHEMA_SQL('n')}`;

interface TableRow {
  oid: string;
  schema: string;
  name: string;
  relkind: string;
  owner: string;
  rls: boolean;
  force: boolean;
  invoker: boolean;
}

/** The grants of the given relations (all user relations when oids is null), by relation oid. */
async function relationGrants(session: Session, oids: string[] | null): Promise<Map<string, AclGrant[]>> {
  const rows = await session.query<{ oid: string; grantee: string; grantor: string; privilege: string; grantable: boolean }>(
    `SELECT c.oid::text AS oid,
            CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END AS grantee,
            pg_catalog.pg_get_userbyid(a.grantor) AS grantor, a.privilege_type AS privilege, a.is_grantable AS grantable
       FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       CROSS JOIN LATERAL pg_catalog.aclexplode(COALESCE(c.relacl, pg_catalog.acldefault('r'::"char", c.relowner))) a
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_SCHEMA_SQL('n')}
        AND ($1::oid[] IS NULL OR c.oid = ANY($1::oid[]))
      ORDER BY c.oid, a.privilege_type, grantee`,
    [oids],
  );
  const out = new Map<string, AclGrant[]>();
  for (const r of rows) {
    const g: AclGrant = { grantee: r.grantee, grantor: r.grantor, privilege: r.privilege, grantable: r.grantable };
    const l = out.get(r.oid);
    if (l) l.push(g);
    else out.set(r.oid, [g]);
  }
  return out;
}

/** The policies of the given relations by relation oid, or undefined when pg_policy is not readable. */
async function relationPolicies(session: Session, oids: string[] | null): Promise<Map<string, PolicyInfo[]> | undefined> {
  if (!(await session.canRead('pg_catalog.pg_policy'))) return undefined;
  const rows = await session.query<{
    oid: string;
    name: string;
    cmd: string;
    permissive: boolean;
    roles: string[];
    using: string | null;
    withcheck: string | null;
  }>(
    `SELECT p.polrelid::text AS oid, p.polname AS name, p.polcmd::text AS cmd, p.polpermissive AS permissive,
            ARRAY(SELECT CASE WHEN x = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(x)::text END
                    FROM pg_catalog.unnest(p.polroles) x ORDER BY 1) AS roles,
            pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using,
            pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS withcheck
       FROM pg_catalog.pg_policy p
      WHERE $1::oid[] IS NULL OR p.polrelid = ANY($1::oid[])
      ORDER BY p.polrelid, p.polname COLLATE "C"`,
    [oids],
  );
  const out = new Map<string, PolicyInfo[]>();
  for (const r of rows) {
    const p: PolicyInfo = {
      name: r.name,
      command: POLCMD[r.cmd] ?? 'ALL',
      permissive: r.permissive,
      roles: r.roles,
      using: r.using,
      withCheck: r.withcheck,
    };
    const l = out.get(r.oid);
    if (l) l.push(p);
    else out.set(r.oid, [p]);
  }
  return out;
}

function toTable(r: TableRow, policies: Map<string, PolicyInfo[]> | undefined, grants: AclGrant[]): TableInfo {
  return {
    ...(policies ? {} : { policiesUnreadable: true }),
    schema: r.schema,
    name: r.name,
    kind: RELKIND[r.relkind] ?? 'table',
    owner: r.owner,
    rls: r.rls,
    forceRls: r.force,
    securityInvoker: r.invoker,
    policies: policies?.get(r.oid) ?? [],
    grants,
  };
}

/** Every user table, view, materialized view and foreign table, with RLS, policies and grants. */
export async function loadTables(session: Session): Promise<TableInfo[]> {
  const rows = await session.query<TableRow>(`SELECT ${TABLE_COLUMNS} FROM ${TABLE_FROM} ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C"`);
  const [grants, policies] = [await relationGrants(session, null), await relationPolicies(session, null)];
  return rows.map((r) => toTable(r, policies, grants.get(r.oid) ?? []));
}

/** User schemas with how many relations each holds. */
export async function listSchemas(session: Session): Promise<Array<{ schema: string; owner: string; relations: number }>> {
  return session.query(
    `SELECT n.nspname AS schema, pg_catalog.pg_get_userbyid(n.nspowner) AS owner,
            (SELECT pg_catalog.count(*)::int FROM pg_catalog.pg_class c
              WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f')) AS relations
       FROM pg_catalog.pg_namespace n WHERE ${USER_SCHEMA_SQL('n')} ORDER BY n.nspname COLLATE "C"`,
  );
}

export interface TableListRequest extends PageRequest {
  schema?: string;
  search?: string;
}

/** One page of relations (optionally of one schema), without their policies and grants. */
export async function listTables(session: Session, req: TableListRequest = {}): Promise<Page<TableSummary>> {
  const { offset, limit } = page(req);
  const where = `($1::text IS NULL OR n.nspname = $1) AND ($2::text IS NULL OR pg_catalog.strpos(pg_catalog.lower(c.relname), pg_catalog.lower($2)) > 0)`;
  const params = [req.schema ?? null, req.search ?? null];
  const policiesReadable = await session.canRead('pg_catalog.pg_policy');
  const rows = await session.query<TableRow & { policies: number | null; grants: number }>(
    `SELECT ${TABLE_COLUMNS},
            ${policiesReadable ? '(SELECT pg_catalog.count(*)::int FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid)' : 'NULL::int'} AS policies,
            (SELECT pg_catalog.count(DISTINCT a.grantee)::int FROM pg_catalog.aclexplode(COALESCE(c.relacl, pg_catalog.acldefault('r'::"char", c.relowner))) a WHERE a.grantee <> c.relowner) AS grants
       FROM ${TABLE_FROM} AND ${where}
      ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C" LIMIT $3 OFFSET $4`,
    [...params, limit, offset],
  );
  const [{ n }] = await session.query<{ n: number }>(`SELECT pg_catalog.count(*)::int AS n FROM ${TABLE_FROM} AND ${where}`, params);
  const items = rows.map((r) => {
    const { policies: _p, grants: _g, ...rest } = toTable(r, policiesReadable ? new Map() : undefined, []);
    return { ...rest, policyCount: r.policies ?? 0, grantCount: r.grants };
  });
  return { items, total: n, offset, limit };
}

/** One relation with its policies and grants, or undefined when it does not exist. */
export async function tableDetails(session: Session, schema: string, name: string): Promise<TableInfo | undefined> {
  const rows = await session.query<TableRow>(`SELECT ${TABLE_COLUMNS} FROM ${TABLE_FROM} AND n.nspname = $1 AND c.relname = $2`, [schema, name]);
  if (!rows.length) return undefined;
  const oids = [rows[0].oid];
  const [grants, policies] = [await relationGrants(session, oids), await relationPolicies(session, oids)];
  return toTable(rows[0], policies, grants.get(rows[0].oid) ?? []);
}

/**
 * The columns of a relation in order, [] when it does not exist. An unqualified name is
 * resolved by the session's search_path, as the statement naming it would be.
 */
export async function relationColumns(session: Session, table: { schema?: string; name: string }): Promise<string[]> {
  const rows = await session.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = pg_catalog.to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [quoteQualified(table)],
  );
  return rows.map((r) => r.name);
}

/**
 * A role with its memberships, its privileges (granted to it directly, or to PUBLIC and
 * marked viaPublic) on databases, schemas, relations, columns, functions, languages and
 * default privileges, and the objects it owns. Undefined when the role does not exist.
 */
export async function roleDetails(session: Session, name: string): Promise<RoleDetails | undefined> {
  const rows = await session.query<RoleRow>(`SELECT ${ROLE_COLUMNS} FROM pg_catalog.pg_roles r WHERE r.rolname = $1`, [name]);
  if (!rows.length) return undefined;
  const pw = session.isSuperuser ? await passwordTypes(session, [name]) : undefined;
  const role = toRole(rows[0], pw);
  const { memberOf, members, membersTotal } = await membershipsOf(session, name);
  const privileges = await rolePrivileges(session, name);
  const owned = await ownedObjects(session, name);
  return { role, memberOf, members, membersTotal, privileges, owned };
}

/** One branch per catalog with an ACL, and the catalogs it reads. */
const ACL_BRANCHES: Array<{ catalogs: string[]; sql: string }> = [
  {
    catalogs: ['pg_database'],
    sql: `       SELECT 'database' AS t, pg_catalog.quote_ident(d.datname) AS obj,
              pg_catalog.aclexplode(COALESCE(d.datacl, pg_catalog.acldefault('d'::"char", d.datdba))) AS a,
              NULL::text AS don, NULL::text AS dschema, NULL::text AS drole
         FROM pg_catalog.pg_database d`,
  },
  {
    catalogs: ['pg_namespace'],
    sql: `       SELECT 'schema', pg_catalog.quote_ident(n.nspname),
              pg_catalog.aclexplode(COALESCE(n.nspacl, pg_catalog.acldefault('n'::"char", n.nspowner))) AS a, NULL::text AS don, NULL::text AS dschema, NULL::text AS drole
         FROM pg_catalog.pg_namespace n WHERE ${USER_SCHEMA_SQL('n')}`,
  },
  {
    catalogs: ['pg_class', 'pg_namespace'],
    sql: `       SELECT CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END,
              pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname),
              pg_catalog.aclexplode(COALESCE(c.relacl, pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) AS a, NULL::text AS don, NULL::text AS dschema, NULL::text AS drole
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND ${USER_SCHEMA_SQL('n')}`,
  },
  {
    catalogs: ['pg_attribute', 'pg_class', 'pg_namespace'],
    sql: `       SELECT 'column', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) || '.' || pg_catalog.quote_ident(at.attname),
              pg_catalog.aclexplode(at.attacl) AS a, NULL::text AS don, NULL::text AS dschema, NULL::text AS drole
         FROM pg_catalog.pg_attribute at
         JOIN pg_catalog.pg_class c ON c.oid = at.attrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE at.attacl IS NOT NULL AND NOT at.attisdropped AND ${USER_SCHEMA_SQL('n')}`,
  },
  {
    catalogs: ['pg_proc', 'pg_namespace', 'pg_depend'],
    sql: `       SELECT 'function', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname) || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
              pg_catalog.aclexplode(COALESCE(p.proacl, pg_catalog.acldefault('f'::"char", p.proowner))) AS a, NULL::text AS don, NULL::text AS dschema, NULL::text AS drole
         FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        WHERE ${USER_SCHEMA_SQL('n')}
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
                           WHERE dep.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND dep.objid = p.oid AND dep.deptype = 'e')`,
  },
  {
    catalogs: ['pg_language'],
    sql: `       SELECT 'language', pg_catalog.quote_ident(l.lanname),
              pg_catalog.aclexplode(COALESCE(l.lanacl, pg_catalog.acldefault('l'::"char", l.lanowner))) AS a, NULL::text AS don, NULL::text AS dschema, NULL::text AS drole
         FROM pg_catalog.pg_language l`,
  },
  {
    catalogs: ['pg_default_acl', 'pg_namespace'],
    sql: `       SELECT 'default',
              'on ' || CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions'
                                            WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' WHEN 'L' THEN 'large objects' ELSE d.defaclobjtype::text END
                || CASE WHEN d.defaclnamespace = 0 THEN '' ELSE ' in schema ' || pg_catalog.quote_ident(dn.nspname) END
                || ' created by ' || pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(d.defaclrole)),
              pg_catalog.aclexplode(d.defaclacl),
              CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS'
                                   WHEN 'T' THEN 'TYPES' WHEN 'n' THEN 'SCHEMAS' WHEN 'L' THEN 'LARGE OBJECTS' ELSE d.defaclobjtype::text END,
              dn.nspname::text, pg_catalog.pg_get_userbyid(d.defaclrole)::text
         FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace dn ON dn.oid = d.defaclnamespace`,
  },
];

/** The ACL entries naming the role or PUBLIC, on every kind of object that has an ACL. */
export async function rolePrivileges(session: Session, name: string): Promise<ObjectPrivilege[]> {
  // Each branch explodes one catalog's ACLs (with the built-in defaults when NULL) and
  // keeps the entries whose grantee is the role (by oid) or PUBLIC (grantee 0).
  // A catalog the role may not read leaves its branch out rather than failing the whole list.
  const branches: string[] = [];
  for (const b of ACL_BRANCHES) {
    let ok = true;
    for (const c of b.catalogs) if (!(await session.canRead(`pg_catalog.${c}`))) ok = false;
    if (ok) branches.push(b.sql);
  }
  if (!branches.length) return [];
  const rows = await session.query<{
    t: ObjectPrivilege['objectType'];
    obj: string;
    don: string | null;
    dschema: string | null;
    drole: string | null;
    priv: string;
    grantable: boolean;
    grantor: string;
    pub: boolean;
  }>(
    `WITH me AS (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = $1),
     acl(t, obj, a, don, dschema, drole) AS (
${branches.join('\n       UNION ALL\n')}
     )
     SELECT acl.t, acl.obj, acl.don, acl.dschema, acl.drole, (acl.a).privilege_type AS priv, (acl.a).is_grantable AS grantable,
            pg_catalog.pg_get_userbyid((acl.a).grantor) AS grantor, (acl.a).grantee = 0 AS pub
       FROM acl, me
      WHERE (acl.a).grantee = me.oid OR (acl.a).grantee = 0
      ORDER BY acl.t, acl.obj COLLATE "C", priv`,
    [name],
  );
  return rows.map((r) => ({
    objectType: r.t,
    object: r.obj,
    privilege: r.priv,
    grantable: r.grantable,
    grantor: r.grantor,
    viaPublic: r.pub,
    ...(r.t === 'default' && r.don && r.drole ? { defaults: { on: r.don, schema: r.dschema, forRole: r.drole } } : {}),
  }));
}

/** Objects the role owns (user objects only; at most 1000 of each kind). */
export async function ownedObjects(session: Session, name: string): Promise<OwnedObject[]> {
  const rows = await session.query<{ t: OwnedObject['objectType']; obj: string }>(
    `WITH me AS (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = $1)
     (SELECT 'database' AS t, pg_catalog.quote_ident(d.datname) AS obj FROM pg_catalog.pg_database d, me WHERE d.datdba = me.oid ORDER BY 2 LIMIT 1000)
     UNION ALL
     (SELECT 'schema', pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_namespace n, me
       WHERE n.nspowner = me.oid AND ${USER_SCHEMA_SQL('n')} ORDER BY 2 LIMIT 1000)
     UNION ALL
     (SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'view' WHEN 'S' THEN 'sequence' ELSE 'table' END,
             pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace, me
       WHERE c.relowner = me.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND ${USER_SCHEMA_SQL('n')} ORDER BY 2 LIMIT 1000)
     UNION ALL
     (SELECT 'function', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname) || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'
        FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace, me
       WHERE p.proowner = me.oid AND ${USER_SCHEMA_SQL('n')} ORDER BY 2 LIMIT 1000)`,
    [name],
  );
  return rows.map((r) => ({ objectType: r.t, name: r.obj }));
}

/**
 * Everything the privilege graph needs, in four queries: roles, memberships and the
 * grants of every user relation. Used by `pgwarden access` and the "who can access" view.
 */
export async function loadPrivilegeGraph(session: Session): Promise<PrivilegeGraph> {
  const roles = await session.query<{ name: string; superuser: boolean }>(
    `SELECT r.rolname AS name, r.rolsuper AS superuser FROM pg_catalog.pg_roles r ORDER BY r.rolname COLLATE "C"`,
  );
  const memberships = await loadMemberships(session);
  const rels = await session.query<{ oid: string; schema: string; name: string }>(
    `SELECT c.oid::text AS oid, n.nspname AS schema, c.relname AS name FROM ${TABLE_FROM}`,
  );
  const grants = await relationGrants(session, null);
  return buildPrivilegeGraph({
    major: session.major,
    roles,
    memberships,
    tables: rels.map((r) => ({ schema: r.schema, name: r.name, grants: grants.get(r.oid) ?? [] })),
  });
}

/**
 * What "who can access" judges (core/live/row-access.ts): roles with SUPERUSER and
 * BYPASSRLS, memberships with INHERIT and SET, and every relation with its owner, RLS
 * flags, policies and grants.
 */
export async function loadAccessSnapshot(session: Session, tables?: TableInfo[]): Promise<AccessSnapshot> {
  const roles = await session.query<{ name: string; superuser: boolean; bypassrls: boolean }>(
    `SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls FROM pg_catalog.pg_roles r ORDER BY r.rolname COLLATE "C"`,
  );
  return { serverMajor: session.major, roles, memberships: await loadMemberships(session), tables: tables ?? (await loadTables(session)) };
}

/** The catalog facts the SQL and pg_hba linters use while connected. */
export async function catalogFacts(session: Session): Promise<CatalogFacts> {
  const roles = await session.query<{ name: string; superuser: boolean }>(
    `SELECT r.rolname AS name, r.rolsuper AS superuser FROM pg_catalog.pg_roles r ORDER BY r.rolname COLLATE "C"`,
  );
  // Without read access to pg_policy the facts say nothing about policies (rather than "none").
  const hasPolicy = (await session.canRead('pg_catalog.pg_policy')) ? 'EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid)' : 'false';
  const rels = await session.query<{ schema: string; name: string; rls: boolean; force: boolean; policies: boolean }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS force, ${hasPolicy} AS policies
       FROM ${TABLE_FROM} AND (c.relrowsecurity OR c.relforcerowsecurity OR ${hasPolicy})`,
  );
  const settings = await readServerSettings(session);
  return {
    servers: [{ description: describeTarget(session.target).replace(/ \(sslmode=.*\)$/, ''), major: session.major, settings }],
    superusers: roles.filter((r) => r.superuser).map((r) => r.name),
    roles: roles.map((r) => r.name),
    rlsEnabled: rels.filter((r) => r.rls).map((r) => ({ schema: r.schema, name: r.name })),
    rlsForced: rels.filter((r) => r.force).map((r) => ({ schema: r.schema, name: r.name })),
    policies: rels.filter((r) => r.policies).map((r) => ({ schema: r.schema, name: r.name })),
  };
}
