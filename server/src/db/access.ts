// Reads the live access-control state that drift compares with the migrations
// (core/drift/live.ts): roles and attributes, memberships with their options, the connected
// database's ACL, schemas, relations, functions and types of the schemas asked for with
// owners and ACLs (aclexplode over the effective ACL, the built-in default when the catalog
// holds NULL), policies, and default privileges. Objects an extension installed are left out. Parameterized, read-only.

import type { DefaultKind, ObjectKind } from '../core/drift/facts';
import type { LiveAccess, LiveAclItem, LiveObject } from '../core/drift/live';
import { parseSearchPath } from '../core/model/effects';

/** What the reader needs of a session: a query and the server's major version. */
export interface AccessQueryable {
  query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  readonly major: number;
}

interface AclRow {
  oid: number;
  grantee: string | null;
  privilege_type: string;
  is_grantable: boolean;
  col?: string | null;
}

const NOT_EXTENSION = (classid: string, col: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = '${classid}'::pg_catalog.regclass AND d.objid = ${col} AND d.deptype = 'e')`;

const ACL_ITEM = `g.rolname AS grantee, a.privilege_type, a.is_grantable`;

function aclItem(r: AclRow): LiveAclItem {
  const item: LiveAclItem = { grantee: r.grantee ?? 'public', privilege: r.privilege_type.toLowerCase(), grantable: r.is_grantable };
  if (r.col) item.column = r.col;
  return item;
}

function byOid(rows: AclRow[]): Map<number, LiveAclItem[]> {
  const out = new Map<number, LiveAclItem[]>();
  for (const r of rows) {
    const list = out.get(Number(r.oid)) ?? [];
    list.push(aclItem(r));
    out.set(Number(r.oid), list);
  }
  return out;
}

const RELKINDS: Record<string, ObjectKind> = { r: 'table', p: 'table', v: 'view', m: 'materialized view', S: 'sequence', f: 'foreign table' };
const DEFAULT_KINDS: Record<string, DefaultKind> = { r: 'table', S: 'sequence', f: 'function', T: 'type', n: 'schema' };
const POLICY_COMMANDS: Record<string, string> = { r: 'select', a: 'insert', w: 'update', d: 'delete', '*': 'all' };

/** The live state of the roles and of the objects in `schemas`; `migrationRole` is the migrations' CURRENT_USER. */
export async function readLiveAccess(db: AccessQueryable, schemas: readonly string[], migrationRole: string): Promise<LiveAccess> {
  const roles = (
    await db.query<Record<string, any>>(
      `SELECT oid, rolname, rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls, rolinherit FROM pg_catalog.pg_roles`,
    )
  ).map((r) => ({
    name: r.rolname as string,
    // The bootstrap superuser (oid 10) and the predefined roles come with PostgreSQL.
    builtin: Number(r.oid) < 16384,
    attributes: {
      superuser: r.rolsuper,
      createrole: r.rolcreaterole,
      createdb: r.rolcreatedb,
      login: r.rolcanlogin,
      replication: r.rolreplication,
      bypassrls: r.rolbypassrls,
      inherit: r.rolinherit,
    },
  }));
  const options = db.major >= 16 ? 'bool_or(m.inherit_option) AS inherit, bool_or(m.set_option) AS set' : 'bool_or(u.rolinherit) AS inherit, true AS set';
  const memberships = (
    await db.query<{ role: string; member: string; admin: boolean; inherit: boolean; set: boolean }>(
      `SELECT r.rolname AS role, u.rolname AS member, bool_or(m.admin_option) AS admin, ${options}
         FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles r ON r.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member
        GROUP BY 1, 2`,
    )
  ).map((m) => ({ role: m.role, member: m.member, admin: m.admin, inherit: m.inherit, set: m.set }));

  const objects: LiveObject[] = [];
  // The connected database's ACL (other databases are other migrations' business). A LEFT
  // JOIN keeps the database when everything is revoked (an empty ACL explodes to no row).
  const dbAcl = await db.query<{ datname: string; owner: string; grantee: string | null; privilege_type: string | null; is_grantable: boolean | null }>(
    `SELECT d.datname, pg_catalog.pg_get_userbyid(d.datdba) AS owner, ${ACL_ITEM}
       FROM pg_catalog.pg_database d
       LEFT JOIN LATERAL pg_catalog.aclexplode(coalesce(d.datacl, pg_catalog.acldefault('d', d.datdba))) a ON true
       LEFT JOIN pg_catalog.pg_roles g ON g.oid = a.grantee
      WHERE d.datname = pg_catalog.current_database()`,
  );
  if (dbAcl.length)
    objects.push({
      kind: 'database',
      name: dbAcl[0].datname,
      owner: dbAcl[0].owner,
      acl: dbAcl.filter((r) => r.privilege_type !== null).map((r) => aclItem({ oid: 0, grantee: r.grantee, privilege_type: r.privilege_type!, is_grantable: r.is_grantable === true })),
    });
  const nsp = await db.query<{ oid: number; nspname: string; owner: string }>(
    `SELECT n.oid, n.nspname, pg_catalog.pg_get_userbyid(n.nspowner) AS owner FROM pg_catalog.pg_namespace n
      WHERE n.nspname = ANY($1) AND ${NOT_EXTENSION('pg_namespace', 'n.oid')}`,
    [schemas],
  );
  const nspAcl = byOid(
    await db.query<AclRow>(
      `SELECT n.oid, ${ACL_ITEM} FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner))) a
         LEFT JOIN pg_catalog.pg_roles g ON g.oid = a.grantee WHERE n.nspname = ANY($1)`,
      [schemas],
    ),
  );
  for (const n of nsp) objects.push({ kind: 'schema', name: n.nspname, owner: n.owner, acl: nspAcl.get(Number(n.oid)) ?? [] });

  const rels = await db.query<Record<string, any>>(
    `SELECT c.oid, n.nspname, c.relname, c.relkind, pg_catalog.pg_get_userbyid(c.relowner) AS owner, c.relrowsecurity, c.relforcerowsecurity,
            coalesce(c.reloptions::text[] && ARRAY['security_invoker=true', 'security_invoker=on', 'security_invoker=1', 'security_invoker=yes'], false) AS invoker
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${NOT_EXTENSION('pg_class', 'c.oid')}`,
    [schemas],
  );
  const relAcl = byOid(
    await db.query<AclRow>(
      `SELECT c.oid, ${ACL_ITEM}, NULL AS col
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace,
              pg_catalog.aclexplode(coalesce(c.relacl, pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) a
         LEFT JOIN pg_catalog.pg_roles g ON g.oid = a.grantee
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
       UNION ALL
       SELECT c.oid, ${ACL_ITEM}, t.attname AS col
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_catalog.pg_attribute t ON t.attrelid = c.oid AND t.attnum > 0 AND NOT t.attisdropped AND t.attacl IS NOT NULL,
              pg_catalog.aclexplode(t.attacl) a
         LEFT JOIN pg_catalog.pg_roles g ON g.oid = a.grantee
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`,
      [schemas],
    ),
  );
  for (const r of rels)
    objects.push({
      kind: RELKINDS[r.relkind],
      schema: r.nspname,
      name: r.relname,
      owner: r.owner,
      acl: relAcl.get(Number(r.oid)) ?? [],
      rls: r.relrowsecurity,
      forced: r.relforcerowsecurity,
      securityInvoker: r.invoker,
    });

  const procs = await db.query<Record<string, any>>(
    `SELECT p.oid, n.nspname, p.proname, pg_catalog.pg_get_userbyid(p.proowner) AS owner, p.prosecdef,
            (SELECT substr(c, 13) FROM unnest(p.proconfig) c WHERE c LIKE 'search\\_path=%' LIMIT 1) AS search_path,
            ARRAY(SELECT CASE WHEN t.typelem <> 0 AND t.typname LIKE '\\_%' THEN e.typname || '[]' ELSE t.typname END
                    FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(oid, i)
                    JOIN pg_catalog.pg_type t ON t.oid = a.oid LEFT JOIN pg_catalog.pg_type e ON e.oid = t.typelem ORDER BY a.i)::text[] AS args
       FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = ANY($1) AND p.prokind IN ('f', 'p') AND ${NOT_EXTENSION('pg_proc', 'p.oid')}`,
    [schemas],
  );
  const procAcl = byOid(
    await db.query<AclRow>(
      `SELECT p.oid, ${ACL_ITEM} FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace,
              pg_catalog.aclexplode(coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))) a
         LEFT JOIN pg_catalog.pg_roles g ON g.oid = a.grantee WHERE n.nspname = ANY($1) AND p.prokind IN ('f', 'p')`,
      [schemas],
    ),
  );
  for (const p of procs) {
    const o: LiveObject = { kind: 'function', schema: p.nspname, name: p.proname, args: p.args, owner: p.owner, acl: procAcl.get(Number(p.oid)) ?? [], securityDefiner: p.prosecdef };
    if (typeof p.search_path === 'string') o.searchPath = parseSearchPath(p.search_path).join(', ');
    objects.push(o);
  }

  // User-made types: enums, domains, ranges and composite types (not a table's row type, an array or a multirange).
  const types = await db.query<Record<string, any>>(
    `SELECT t.oid, n.nspname, t.typname, pg_catalog.pg_get_userbyid(t.typowner) AS owner
       FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
       LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
      WHERE n.nspname = ANY($1) AND t.typtype IN ('e', 'd', 'r', 'c') AND (t.typrelid = 0 OR c.relkind = 'c') AND ${NOT_EXTENSION('pg_type', 't.oid')}`,
    [schemas],
  );
  const typeAcl = byOid(
    await db.query<AclRow>(
      `SELECT t.oid, ${ACL_ITEM} FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace,
              pg_catalog.aclexplode(coalesce(t.typacl, pg_catalog.acldefault('T', t.typowner))) a
         LEFT JOIN pg_catalog.pg_roles g ON g.oid = a.grantee WHERE n.nspname = ANY($1) AND t.typtype IN ('e', 'd', 'r', 'c')`,
      [schemas],
    ),
  );
  for (const t of types) objects.push({ kind: 'type', schema: t.nspname, name: t.typname, owner: t.owner, acl: typeAcl.get(Number(t.oid)) ?? [] });

  const policies = (
    await db.query<Record<string, any>>(
      `SELECT n.nspname, c.relname, p.polname, p.polcmd, p.polpermissive,
              pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using_expr, pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr,
              ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r) END FROM unnest(p.polroles) r)::text[] AS roles
         FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1)`,
      [schemas],
    )
  ).map((p) => ({ schema: p.nspname, table: p.relname, name: p.polname, command: POLICY_COMMANDS[p.polcmd], permissive: p.polpermissive, roles: p.roles, ...(p.using_expr ? { using: p.using_expr } : {}), ...(p.check_expr ? { check: p.check_expr } : {}) }));

  const defaults = await db.query<Record<string, any>>(
    `SELECT d.oid, pg_catalog.pg_get_userbyid(d.defaclrole) AS role, n.nspname, d.defaclobjtype, ${ACL_ITEM}
       FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace,
            pg_catalog.aclexplode(d.defaclacl) a LEFT JOIN pg_catalog.pg_roles g ON g.oid = a.grantee`,
  );
  const defaultAcls = new Map<number, LiveAccess['defaultAcls'][number]>();
  for (const r of defaults) {
    const on = DEFAULT_KINDS[r.defaclobjtype];
    if (!on) continue;
    let d = defaultAcls.get(Number(r.oid));
    if (!d) {
      d = { role: r.role, on, acl: [] };
      if (r.nspname) d.schema = r.nspname;
      defaultAcls.set(Number(r.oid), d);
    }
    d.acl.push(aclItem(r as AclRow));
  }
  // A global entry whose ACL is empty still exists (everything revoked) but aclexplode gives no row for it.
  const empty = await db.query<Record<string, any>>(
    `SELECT pg_catalog.pg_get_userbyid(d.defaclrole) AS role, n.nspname, d.defaclobjtype FROM pg_catalog.pg_default_acl d
       LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace WHERE pg_catalog.cardinality(d.defaclacl) = 0`,
  );
  const all = [...defaultAcls.values()];
  for (const r of empty) if (DEFAULT_KINDS[r.defaclobjtype]) all.push({ role: r.role, on: DEFAULT_KINDS[r.defaclobjtype], acl: [], ...(r.nspname ? { schema: r.nspname } : {}) });
  return { migrationRole, roles, memberships, objects, policies, defaultAcls: all };
}
