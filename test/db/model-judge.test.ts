// The declared state judged by the server: a hand-written migration history is replayed
// into a real PostgreSQL, and the model folded from the same files is compared with the
// catalog object by object (pg_roles, pg_auth_members, aclexplode over relation, column,
// function, schema and default ACLs, pg_policy, pg_class flags, proconfig). Every
// difference is a bug in the model.

import assert from 'node:assert/strict';
import { Client } from 'pg';
import { compareFacts } from '../../server/src/core/drift/compare';
import { declaredFacts } from '../../server/src/core/drift/declared';
import { liveFacts } from '../../server/src/core/drift/live';
import { CURRENT, PUBLIC } from '../../server/src/core/model/effects';
import { Model } from '../../server/src/core/model/model';
import { AclItem, DATABASE_OWNER } from '../../server/src/core/model/state';
import { loadParser } from '../../server/src/core/sql/parser';
import { readLiveAccess } from '../../server/src/db/access';
import { connectedDatabase } from '../../server/src/db/database-owner';
import { startCluster, TestCluster } from '../support/postgres';
import { modelOf } from '../unit/model/support';

const HISTORY: Record<string, string> = {
  '001_init.sql': `
CREATE ROLE app_owner NOLOGIN;
CREATE ROLE web LOGIN CREATEDB;
CREATE ROLE anon NOLOGIN;
CREATE ROLE admin NOLOGIN BYPASSRLS IN ROLE web;
GRANT web TO anon WITH ADMIN OPTION;
CREATE SCHEMA app AUTHORIZATION app_owner;
SET search_path = app, public;
CREATE TABLE orders (id int, owner text, secret text);
CREATE TABLE public.orders (id int);
GRANT SELECT (id, owner), UPDATE ON orders TO web;
GRANT ALL ON public.orders TO anon WITH GRANT OPTION;
REVOKE GRANT OPTION FOR DELETE ON public.orders FROM anon;
REVOKE TRUNCATE ON public.orders FROM anon;
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE orders FORCE ROW LEVEL SECURITY;
CREATE POLICY own ON orders FOR SELECT TO web, anon USING (owner = current_user);
CREATE POLICY wide ON orders AS RESTRICTIVE USING (true);
CREATE POLICY ins ON orders FOR INSERT WITH CHECK (true);
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO anon;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
CREATE FUNCTION app.f(a int) RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;
CREATE FUNCTION g() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE later (id int);
CREATE VIEW v AS SELECT id FROM orders;
REVOKE ALL ON DATABASE judge FROM PUBLIC;
GRANT CONNECT, TEMP ON DATABASE judge TO web WITH GRANT OPTION;
GRANT CREATE ON DATABASE judge TO app_owner;
GRANT CONNECT ON DATABASE elsewhere TO anon;
REVOKE TEMPORARY ON DATABASE elsewhere FROM PUBLIC;
`,
  '002_change.sql': `
ALTER FUNCTION app.f(int) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION app.f(integer) OWNER TO app_owner;
GRANT EXECUTE ON FUNCTION app.f(int) TO web;
ALTER VIEW app.v SET (security_invoker = true);
ALTER VIEW app.v OWNER TO app_owner;
ALTER POLICY own ON app.orders TO web;
DROP POLICY wide ON app.orders;
GRANT USAGE ON SCHEMA app TO web;
DO $$ BEGIN EXECUTE 'GRANT SELECT ON app.later TO web'; GRANT anon TO admin; END $$;
ALTER ROLE web NOCREATEDB;
ALTER TABLE public.orders OWNER TO app_owner;
CREATE SEQUENCE app.s;
GRANT USAGE ON SEQUENCE app.s TO web;
REVOKE USAGE ON SCHEMA public FROM PUBLIC;
CREATE FUNCTION app.h() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
GRANT ALL ON ALL FUNCTIONS IN SCHEMA app TO anon;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA app FROM PUBLIC;
DROP FUNCTION app.g();
REVOKE GRANT OPTION FOR TEMPORARY ON DATABASE judge FROM web;
GRANT CONNECT ON DATABASE judge TO PUBLIC;
ALTER DATABASE judge OWNER TO app_owner;
`,
};

const SCHEMAS = ['app', 'public'];

describe('the declared state against the server (replayed history)', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let client: Client;
  let model: Model;
  let superuser: string;
  /** The model's role spelling for a catalog role name. */
  const name = (r: string) => (r === CURRENT ? superuser : r);
  const items = (acl: readonly AclItem[], column = false) =>
    acl
      .filter((i) => (i.column !== undefined) === column)
      .map((i) => `${name(i.grantee)}:${i.privilege}${i.column ? `(${i.column})` : ''}${i.grantOption ? '*' : ''}`)
      .sort();
  /** aclexplode rows as the model spells them; MAINTAIN (17+) is left out, as the model leaves it out. */
  const exploded = async (sql: string, params: unknown[] = []) =>
    (await client.query(sql, params)).rows
      .filter((r) => r.privilege_type !== 'MAINTAIN')
      .map((r) => `${r.grantee ?? PUBLIC}:${String(r.privilege_type).toLowerCase()}${r.col ? `(${r.col})` : ''}${r.is_grantable ? '*' : ''}`)
      .sort();

  before(async () => {
    await loadParser();
    cluster = await startCluster();
    superuser = cluster.superuser;
    const admin = new Client({ host: cluster.host, port: cluster.port, user: superuser, password: cluster.password, database: 'postgres' });
    await admin.connect();
    await admin.query('CREATE DATABASE judge');
    // The history grants on a second database too: those statements are about that one.
    await admin.query('CREATE DATABASE elsewhere');
    await admin.end();
    client = new Client({ host: cluster.host, port: cluster.port, user: superuser, password: cluster.password, database: 'judge' });
    await client.connect();
    // Each file on a fresh session, as migration tools run them.
    for (const text of Object.values(HISTORY)) {
      const session = new Client({ host: cluster.host, port: cluster.port, user: superuser, password: cluster.password, database: 'judge' });
      await session.connect();
      await session.query(text);
      await session.end();
    }
    model = modelOf(HISTORY);
  });

  after(async () => {
    await client?.end();
    cluster?.stop();
  });

  it('has the relations, in the schemas search_path put them in, with RLS flags, owners and security_invoker', async () => {
    const rows = (
      await client.query(
        `SELECT n.nspname, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner) AS owner,
                coalesce('security_invoker=true' = ANY (c.reloptions), false) AS invoker
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'v', 'm', 'S', 'f', 'p') ORDER BY 1, 2`,
        [SCHEMAS],
      )
    ).rows.map((r) => `${r.nspname}.${r.relname} ${r.relkind} rls=${r.relrowsecurity} forced=${r.relforcerowsecurity} owner=${r.owner} invoker=${r.invoker}`);
    const kinds: Record<string, string> = { table: 'r', view: 'v', 'materialized view': 'm', sequence: 'S', 'foreign table': 'f' };
    const declared = [...model.state.relations.values()]
      .map((r) => `${r.schema}.${r.name} ${kinds[r.kind]} rls=${r.rls} forced=${r.forced} owner=${name(r.owner)} invoker=${r.securityInvoker}`)
      .sort();
    assert.deepEqual(declared, rows);
  });

  it('has the same table, column and sequence privileges (aclexplode)', async () => {
    for (const r of model.state.relations.values()) {
      const table = await exploded(
        `SELECT g.rolname AS grantee, a.privilege_type, a.is_grantable
           FROM pg_class c, aclexplode(coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) a
           LEFT JOIN pg_roles g ON g.oid = a.grantee
          WHERE c.oid = $1::regclass`,
        [`"${r.schema}"."${r.name}"`],
      );
      assert.deepEqual(items(r.acl), table, `${r.schema}.${r.name}`);
      const columns = await exploded(
        `SELECT g.rolname AS grantee, a.privilege_type, a.is_grantable, t.attname AS col
           FROM pg_attribute t, aclexplode(t.attacl) a
           LEFT JOIN pg_roles g ON g.oid = a.grantee
          WHERE t.attrelid = $1::regclass AND t.attnum > 0 AND t.attacl IS NOT NULL`,
        [`"${r.schema}"."${r.name}"`],
      );
      assert.deepEqual(items(r.acl, true), columns, `${r.schema}.${r.name} columns`);
    }
  });

  it('has the same functions: SECURITY DEFINER, search_path, owner and EXECUTE privileges', async () => {
    const rows = (
      await client.query(
        `SELECT n.nspname, p.proname, p.prosecdef, p.proconfig, pg_get_userbyid(p.proowner) AS owner, p.oid
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ANY($1) ORDER BY 1, 2`,
        [SCHEMAS],
      )
    ).rows;
    const declared = [...model.state.functions.values()].flat();
    assert.deepEqual(declared.map((f) => `${f.schema}.${f.name}`).sort(), rows.map((r) => `${r.nspname}.${r.proname}`));
    for (const r of rows) {
      const f = declared.find((x) => x.schema === r.nspname && x.name === r.proname)!;
      const config = f.searchPath ? [`search_path=${f.searchPath.join(', ')}`] : null;
      assert.deepEqual([f.securityDefiner, config, name(f.owner)], [r.prosecdef, r.proconfig, r.owner], `${r.proname}`);
      const acl = await exploded(
        `SELECT g.rolname AS grantee, a.privilege_type, a.is_grantable FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
           LEFT JOIN pg_roles g ON g.oid = a.grantee WHERE p.oid = $1`,
        [r.oid],
      );
      assert.deepEqual(items(f.acl), acl, `${r.proname} ACL`);
    }
  });

  it('has the same schema privileges and default privileges', async () => {
    for (const schema of SCHEMAS) {
      const acl = await exploded(
        `SELECT g.rolname AS grantee, a.privilege_type, a.is_grantable FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
           LEFT JOIN pg_roles g ON g.oid = a.grantee WHERE n.nspname = $1`,
        [schema],
      );
      assert.deepEqual(items(model.state.schemas.get(schema)!.acl), acl, schema);
    }
    const rows = (
      await client.query(
        `SELECT pg_get_userbyid(d.defaclrole) AS role, n.nspname, d.defaclobjtype, g.rolname AS grantee, a.privilege_type, a.is_grantable
           FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace, aclexplode(d.defaclacl) a LEFT JOIN pg_roles g ON g.oid = a.grantee`,
      )
    ).rows
      .map((r) => `${r.role} ${r.nspname ?? '*'} ${r.defaclobjtype} ${r.grantee ?? PUBLIC}:${String(r.privilege_type).toLowerCase()}${r.is_grantable ? '*' : ''}`)
      .sort();
    const types: Record<string, string> = { table: 'r', sequence: 'S', function: 'f', type: 'T', schema: 'n' };
    const declared = [...model.state.defaultAcls.values()]
      .flatMap((d) => items(d.acl).map((i) => `${name(d.role)} ${d.schema ?? '*'} ${types[d.kind]} ${i}`))
      .sort();
    assert.deepEqual(declared, rows);
  });

  it('has the same database privileges (aclexplode over pg_database.datacl), the owner the history gives among them', async () => {
    for (const db of ['judge', 'elsewhere']) {
      const acl = await exploded(
        `SELECT g.rolname AS grantee, a.privilege_type, a.is_grantable FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
           LEFT JOIN pg_roles g ON g.oid = a.grantee WHERE d.datname = $1`,
        [db],
      );
      // A database the history never gives an owner keeps the one that created it (here the superuser).
      const declared = model.state.databases.get(db)!;
      const owned = declared.acl.map((i) => (i.grantee === DATABASE_OWNER ? { ...i, grantee: superuser } : i));
      assert.deepEqual(items(owned), acl, db);
    }
    assert.equal(model.state.databases.get('judge')!.owner, 'app_owner');
  });

  it('has the same policies: commands, roles, permissive', async () => {
    const cmds: Record<string, string> = { r: 'select', a: 'insert', w: 'update', d: 'delete', '*': 'all' };
    const rows = (
      await client.query(
        `SELECT c.relname, p.polname, p.polcmd, p.polpermissive,
                ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r) END FROM unnest(p.polroles) r ORDER BY 1)::text[] AS roles
           FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid ORDER BY 1, 2`,
      )
    ).rows.map((r) => `${r.relname}.${r.polname} ${cmds[r.polcmd]} ${r.polpermissive} ${r.roles.join(',')}`);
    const declared = [...model.state.policies.values()]
      .flatMap((m) => [...m.values()])
      .map((p) => `${p.table}.${p.name} ${p.command} ${p.permissive} ${[...p.roles].sort().join(',')}`)
      .sort();
    assert.deepEqual(declared, rows);
  });

  it('has the same roles, attributes and memberships', async () => {
    const roles = [...model.state.roles.keys()];
    const columns: Record<string, string> = {
      superuser: 'rolsuper',
      createrole: 'rolcreaterole',
      createdb: 'rolcreatedb',
      login: 'rolcanlogin',
      replication: 'rolreplication',
      bypassrls: 'rolbypassrls',
      inherit: 'rolinherit',
    };
    const rows = (await client.query('SELECT * FROM pg_roles WHERE rolname = ANY($1)', [roles])).rows;
    assert.deepEqual(rows.map((r) => r.rolname).sort(), [...roles].sort());
    for (const r of rows) {
      const declared = model.state.roles.get(r.rolname)!.attributes;
      for (const [k, v] of Object.entries(declared)) assert.equal(r[columns[k]], v, `${r.rolname} ${k}`);
    }
    const members = (
      await client.query(
        `SELECT pg_get_userbyid(roleid) AS role, pg_get_userbyid(member) AS member, bool_or(admin_option) AS admin
           FROM pg_auth_members WHERE pg_get_userbyid(roleid) = ANY($1) OR pg_get_userbyid(member) = ANY($1) GROUP BY 1, 2`,
        [roles],
      )
    ).rows
      .map((r) => `${r.role}>${r.member}${r.admin ? '+admin' : ''}`)
      .sort();
    const declared = [...model.state.memberships.values()].map((m) => `${m.role}>${m.member}${m.admin ? '+admin' : ''}`).sort();
    assert.deepEqual(declared, members);
  });

  it('has no drift against the catalog as core/drift reads and compares it', async () => {
    const db = { query: async <T>(text: string, values: unknown[] = []) => (await client.query(text, values)).rows as T[], major: cluster.version };
    const declared = declaredFacts(model.state, superuser, { database: await connectedDatabase(db) });
    const live = await readLiveAccess(db, [...declared.schemas], superuser);
    assert.deepEqual(compareFacts(declared, liveFacts(live), { migrationRole: superuser }).map((f) => f.message), []);
    // Not vacuous: the history declares grants, memberships, policies and default privileges.
    const kinds = new Set(declared.facts.map((f) => f.kind));
    for (const k of ['role', 'attribute', 'membership', 'membership option', 'privilege', 'default privilege', 'rls', 'policy', 'security invoker', 'security definer', 'function search_path', 'owner'])
      assert.ok(kinds.has(k as never), k);
    assert.deepEqual(
      declared.facts.filter((f) => f.kind === 'privilege' && f.object.kind === 'database').map((f) => f.key).sort(),
      ['(owner) connect', '(owner) create', '(owner) temporary', 'public connect', 'web connect', 'web temporary'].map((k) => `privilege database:judge ${k}`),
    );
  });
});
