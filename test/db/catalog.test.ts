// The catalog snapshot and the privilege graph against the server's own answers, on a
// real PostgreSQL of each supported major (one per test run: 13 to 15 have rolinherit
// semantics, 16 on per-grant inherit_option and set_option) and on PGlite's PostgreSQL 18:
// every role x every table x every privilege is compared with has_table_privilege, every
// role pair with pg_has_role.

import assert from 'node:assert/strict';
import { Client } from 'pg';
import {
  catalogFacts,
  connect,
  listRoles,
  listSchemas,
  listTables,
  loadMemberships,
  loadPrivilegeGraph,
  loadRoles,
  loadTables,
  PrivilegeGraph,
  roleDetails,
  roleGroupCounts,
  Session,
  tableDetails,
  tablePrivileges,
} from '../../server/src/db';
import { startPglite } from '../support/pglite';
import { matrixRun, selectPostgres, startCluster } from '../support/postgres';
import { seedPredefinedRole, seedSql, target } from './helpers';

/** Extra cases on every version: a NOINHERIT role in the middle of a chain, a NOINHERIT login. */
const EXTRA_ALL = `
CREATE ROLE mid NOINHERIT;
GRANT app_reader TO mid;
CREATE ROLE gina LOGIN;
GRANT mid TO gina;
CREATE ROLE erin LOGIN NOINHERIT;
GRANT app_rw TO erin;
CREATE TABLE public."Mixed Case" (id int);
GRANT SELECT ON public."Mixed Case" TO "gina";
`;

/** 16+: per-grant options, and two grantors for one membership. */
const EXTRA_16 = `
CREATE ROLE dave LOGIN;
GRANT app_reader TO dave WITH INHERIT FALSE;
GRANT app_writer TO dave WITH SET FALSE;
CREATE ROLE frank LOGIN NOINHERIT;
GRANT app_rw TO frank WITH INHERIT TRUE;
CREATE ROLE hank LOGIN;
GRANT app_rw TO hank WITH INHERIT FALSE;
GRANT app_rw TO hank WITH INHERIT TRUE GRANTED BY carol;
`;

interface Backend {
  name: string;
  start(): Promise<{ port: number; password: string; major: number; stop(): Promise<void> | void }>;
}

const backends: Backend[] = [
  {
    name: selectPostgres().label,
    async start() {
      const c = await startCluster();
      c.psql(seedSql(c.version) + EXTRA_ALL + (c.version >= 16 ? EXTRA_16 : ''));
      return { port: c.port, password: c.password, major: c.version, stop: () => c.stop() };
    },
  },
  {
    name: 'PGlite (18)',
    async start() {
      const p = await startPglite();
      // PGlite shares one backend between clients: seed before any read-only session.
      const client = new Client({ host: p.host, port: p.port, user: 'postgres', database: 'postgres' });
      await client.connect();
      await client.query(EXTRA_ALL + EXTRA_16);
      await client.end();
      return { port: p.port, password: 'unused', major: 18, stop: () => p.stop() };
    },
  },
];

for (const backend of matrixRun() ? backends.slice(0, 1) : backends) {
  describe(`db: catalog and effective privileges on ${backend.name}`, function () {
    this.timeout(120_000);
    let server: Awaited<ReturnType<Backend['start']>>;
    let s: Session;
    let graph: PrivilegeGraph;

    before(async () => {
      server = await backend.start();
      s = await connect(target(server.port), async () => server.password);
      graph = await loadPrivilegeGraph(s);
    });
    after(async () => {
      await s?.close();
      await server?.stop();
    });

    it('reports the server version', () => {
      assert.equal(s.major, server.major);
    });

    it('agrees with has_table_privilege for every role, table and privilege', async () => {
      const privs = tablePrivileges(s.major);
      const rows = await s.query<{ role: string; schema: string; name: string; priv: string; has: boolean }>(
        `SELECT r.rolname AS role, n.nspname AS schema, c.relname AS name, p.priv,
                pg_catalog.has_table_privilege(r.oid, c.oid, p.priv) AS has
           FROM pg_catalog.pg_roles r
          CROSS JOIN pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          CROSS JOIN pg_catalog.unnest($1::text[]) p(priv)
          WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'`,
        [privs],
      );
      assert.ok(rows.length > 1000, `only ${rows.length} combinations`);
      const mismatches = rows.filter((r) => graph.has(r.role, r.schema, r.name, r.priv) !== r.has).map((r) => `${r.role} ${r.priv} ${r.schema}.${r.name}: server ${r.has}`);
      assert.deepEqual(mismatches, []);
      // The per-role and per-table answers are the same relation seen from both sides.
      const truth = new Set(rows.filter((r) => r.has).map((r) => `${r.role}|${r.schema}|${r.name}|${r.priv}`));
      const fromRoles = new Set<string>();
      for (const role of graph.roleNames()) for (const p of graph.effectivePrivileges(role)) fromRoles.add(`${role}|${p.schema}|${p.table}|${p.privilege}`);
      assert.deepEqual([...fromRoles].sort(), [...truth].sort());
      const fromTables = new Set<string>();
      for (const t of graph.tableNames()) for (const h of graph.tableHolders(t.schema, t.name)) fromTables.add(`${h.role}|${t.schema}|${t.name}|${h.privilege}`);
      assert.deepEqual([...fromTables].sort(), [...truth].sort());
    });

    it('gives a membership path that really grants each privilege', async () => {
      const memberships = await loadMemberships(s);
      const inherits = new Set(memberships.filter((m) => m.inherit).map((m) => `${m.member}>${m.role}`));
      const tables = new Map((await loadTables(s)).map((t) => [`${t.schema}.${t.name}`, t]));
      const predefined: Record<string, string[]> = { pg_read_all_data: ['SELECT'], pg_write_all_data: ['INSERT', 'UPDATE', 'DELETE'], pg_maintain: ['MAINTAIN'] };
      for (const role of graph.roleNames()) {
        if (graph.isSuperuser(role)) continue;
        for (const p of graph.effectivePrivileges(role)) {
          const chain = [role, ...p.via];
          const last = chain[chain.length - 1];
          if (last === 'PUBLIC') chain.pop();
          for (let i = 0; i + 1 < chain.length; i++) assert.ok(inherits.has(`${chain[i]}>${chain[i + 1]}`), `${role}: ${chain[i]} does not inherit ${chain[i + 1]}`);
          const grants = tables.get(`${p.schema}.${p.table}`)?.grants ?? [];
          const holder = chain[chain.length - 1];
          const ok = last === 'PUBLIC' ? grants.some((g) => g.grantee === 'PUBLIC' && g.privilege === p.privilege) : grants.some((g) => g.grantee === holder && g.privilege === p.privilege) || (predefined[holder] ?? []).includes(p.privilege);
          assert.ok(ok, `${role} ${p.privilege} ${p.schema}.${p.table} via ${p.via.join('>')}`);
        }
      }
    });

    it('agrees with pg_has_role(member, role, USAGE) for every pair of roles', async () => {
      const rows = await s.query<{ member: string; role: string; has: boolean }>(
        `SELECT m.rolname AS member, r.rolname AS role, pg_catalog.pg_has_role(m.oid, r.oid, 'USAGE') AS has
           FROM pg_catalog.pg_roles m CROSS JOIN pg_catalog.pg_roles r WHERE m.oid <> r.oid`,
      );
      const mismatches = rows
        .filter((r) => !graph.isSuperuser(r.member))
        .filter((r) => graph.inheritedRoles(r.member).has(r.role) !== r.has)
        .map((r) => `${r.member} -> ${r.role}: server ${r.has}`);
      assert.deepEqual(mismatches, []);
    });

    it('reads memberships with ADMIN, INHERIT and SET as the version defines them', async () => {
      const m = await loadMemberships(s);
      const get = (member: string, role: string) => m.find((x) => x.member === member && x.role === role);
      assert.deepEqual(get('carol', 'app_rw'), { role: 'app_rw', member: 'carol', admin: true, inherit: true, set: true, grantors: ['postgres'] });
      assert.equal(get('bob', 'app_reader')?.inherit, false, 'bob is NOINHERIT');
      assert.equal(get('gina', 'mid')?.inherit, true);
      assert.equal(get('mid', 'app_reader')?.inherit, false);
      if (s.major >= 16) {
        assert.deepEqual(get('dave', 'app_reader'), { role: 'app_reader', member: 'dave', admin: false, inherit: false, set: true, grantors: ['postgres'] });
        assert.deepEqual(get('dave', 'app_writer'), { role: 'app_writer', member: 'dave', admin: false, inherit: true, set: false, grantors: ['postgres'] });
        assert.equal(get('frank', 'app_rw')?.inherit, true, '16+: the grant decides, not rolinherit');
        assert.deepEqual(get('hank', 'app_rw')?.grantors, ['carol', 'postgres']);
        assert.equal(get('hank', 'app_rw')?.inherit, true, 'one grantor row with INHERIT TRUE is enough');
        assert.ok(graph.has('frank', 'app', 'orders', 'SELECT'));
        assert.ok(!graph.has('dave', 'app', 'orders', 'SELECT'));
        assert.ok(graph.has('dave', 'app', 'orders', 'INSERT'));
      } else {
        assert.ok(!graph.has('erin', 'app', 'orders', 'SELECT'), 'before 16 a NOINHERIT role inherits nothing');
      }
    });

    it('gives the expected paths for the seed', () => {
      const find = (role: string, table: string, priv: string) => graph.effectivePrivileges(role).find((p) => `${p.schema}.${p.table}` === table && p.privilege === priv)?.via;
      assert.deepEqual(find('alice', 'app.orders', 'SELECT'), ['app_rw', 'app_reader']);
      assert.deepEqual(find('alice', 'app.secrets', 'SELECT'), []);
      assert.deepEqual(find('alice', 'public.settings', 'UPDATE'), ['PUBLIC']);
      assert.deepEqual(find('carol', 'app.orders', 'TRUNCATE'), ['app_owner']);
      // pg_read_all_data (14+) holds SELECT on every table; 13's stand-in holds none.
      assert.deepEqual(find('analyst', 'app.secrets', 'SELECT'), s.major >= 14 ? ['pg_read_all_data'] : undefined);
      assert.equal(find('bob', 'app.orders', 'SELECT'), undefined, 'NOINHERIT bob');
      assert.deepEqual(find('bob', 'app.orders', 'DELETE'), []);
      assert.equal(find('app_owner', 'app.secrets', 'DELETE'), undefined, 'the owner revoked its own DELETE');
      assert.equal(find('gina', 'app.orders', 'SELECT'), undefined, 'mid is NOINHERIT');
      assert.deepEqual(find('gina', 'public.Mixed Case', 'SELECT'), []);
      const holders = graph.tableHolders('app', 'orders').filter((h) => h.privilege === 'SELECT');
      assert.deepEqual(holders.find((h) => h.role === 'postgres'), { role: 'postgres', privilege: 'SELECT', via: [], superuser: true });
      assert.deepEqual(holders.find((h) => h.role === 'alice')?.via, ['app_rw', 'app_reader']);
    });

    it('loads roles with attributes, groups and (as a superuser) password types', async () => {
      const roles = await loadRoles(s);
      const carol = roles.find((r) => r.name === 'carol');
      assert.deepEqual(
        carol && { ...carol, oid: 0 },
        { name: 'carol', oid: 0, superuser: false, login: true, createrole: true, createdb: false, bypassrls: false, replication: false, inherit: true, connectionLimit: 5, validUntil: '2099-01-01T00:00:00+00:00', passwordType: 'scram-sha-256', predefined: false, group: 'login' },
      );
      assert.equal(roles.find((r) => r.name === 'legacy')?.passwordType, 'md5');
      assert.equal(roles.find((r) => r.name === 'app_reader')?.passwordType, 'none');
      assert.equal(roles.find((r) => r.name === seedPredefinedRole(s.major))?.group, 'predefined');
      assert.equal(roles.find((r) => r.name === 'ops_admin')?.group, 'superuser');
      assert.equal(roles.find((r) => r.name === 'app_rw')?.group, 'group');
    });

    it('pages roles by group, with totals that add up', async () => {
      const counts = await roleGroupCounts(s);
      const all = await loadRoles(s);
      assert.equal(counts.superuser + counts.login + counts.group + counts.predefined, all.length);
      const seen: string[] = [];
      for (let offset = 0; ; offset += 4) {
        const page = await listRoles(s, { offset, limit: 4 });
        assert.equal(page.total, all.length);
        assert.ok(page.items.length <= 4);
        seen.push(...page.items.map((r) => r.name));
        if (page.items.length < 4) break;
      }
      assert.deepEqual(seen, all.map((r) => r.name));
      const supers = await listRoles(s, { group: 'superuser' });
      assert.deepEqual(supers.items.map((r) => r.name), ['ops_admin', 'postgres']);
      assert.equal(supers.total, counts.superuser);
      assert.deepEqual((await listRoles(s, { search: 'APP_R' })).items.map((r) => r.name), ['app_reader', 'app_rw']);
    });

    it('reads tables with RLS, forced RLS, policies and grants', async () => {
      const accounts = await tableDetails(s, 'app', 'accounts');
      assert.ok(accounts);
      assert.deepEqual([accounts.rls, accounts.forceRls, accounts.owner, accounts.kind], [true, false, 'app_owner', 'table']);
      assert.deepEqual(accounts.policies, [
        { name: 'accounts_everyone', command: 'ALL', permissive: true, roles: ['PUBLIC'], using: 'true', withCheck: null },
        { name: 'accounts_own_insert', command: 'INSERT', permissive: true, roles: ['app_writer'], using: null, withCheck: '(owner_name = CURRENT_USER)' },
      ]);
      const secrets = await tableDetails(s, 'app', 'secrets');
      assert.deepEqual([secrets?.rls, secrets?.forceRls], [true, true]);
      assert.deepEqual(secrets?.policies.map((p) => [p.name, p.permissive, p.roles]), [
        ['secrets_no_legacy', false, ['PUBLIC']],
        ['secrets_own', true, ['alice', 'carol']],
      ]);
      const settings = await tableDetails(s, 'public', 'settings');
      assert.deepEqual(
        settings?.grants.filter((g) => g.grantee === 'PUBLIC').map((g) => g.privilege).sort(),
        ['SELECT', 'UPDATE'],
      );
      assert.equal(await tableDetails(s, 'app', 'nope'), undefined);
      const view = await tableDetails(s, 'app', 'order_totals');
      assert.equal(view?.kind, 'view');
    });

    it('pages tables per schema and lists schemas', async () => {
      const page = await listTables(s, { schema: 'app', limit: 2 });
      assert.equal(page.total, 5);
      assert.deepEqual(page.items.map((t) => t.name), ['accounts', 'audit_log']);
      assert.deepEqual([page.items[0].policyCount, page.items[1].policyCount], [2, 0]);
      const next = await listTables(s, { schema: 'app', offset: 2, limit: 2 });
      assert.deepEqual(next.items.map((t) => t.name), ['order_totals', 'orders']);
      const schemas = await listSchemas(s);
      assert.deepEqual(schemas.map((x) => x.schema), ['app', 'public']);
    });

    it("reads a role's memberships, privileges (PUBLIC marked) and owned objects", async () => {
      const d = await roleDetails(s, 'alice');
      assert.ok(d);
      assert.deepEqual(d.memberOf.map((m) => m.role), ['app_rw']);
      const has = (type: string, object: string, privilege: string, viaPublic: boolean) =>
        d.privileges.some((p) => p.objectType === type && p.object === object && p.privilege === privilege && p.viaPublic === viaPublic);
      assert.ok(has('table', 'app.secrets', 'SELECT', false));
      assert.ok(has('table', 'public.settings', 'UPDATE', true));
      assert.ok(has('function', 'app.reset_balance(p_id integer)', 'EXECUTE', true));
      assert.ok(!d.privileges.some((p) => p.object === 'app.account_count()'), 'EXECUTE was revoked from PUBLIC');
      assert.ok(has('schema', 'public', 'CREATE', true));
      assert.ok(has('database', 'postgres', 'CONNECT', true));
      assert.ok(has('default', 'on tables in schema app created by app_owner', 'SELECT', true));
      assert.deepEqual(d.privileges.find((p) => p.objectType === 'default')?.defaults, { on: 'TABLES', schema: 'app', forRole: 'app_owner' });
      const owner = await roleDetails(s, 'app_owner');
      assert.deepEqual(
        owner?.owned.map((o) => `${o.objectType} ${o.name}`),
        ['schema app', 'table app.accounts', 'table app.audit_log', 'view app.order_totals', 'table app.orders', 'table app.secrets', 'function app.reset_balance(p_id integer)'],
      );
      assert.deepEqual(owner?.members.map((m) => m.member), ['carol']);
    });

    it('gives the linter its catalog facts', async () => {
      const f = await catalogFacts(s);
      assert.deepEqual(f.superusers, ['ops_admin', 'postgres']);
      assert.ok(f.roles.includes('alice') && f.roles.includes(seedPredefinedRole(s.major)));
      assert.deepEqual(f.rlsEnabled.map((t) => `${t.schema}.${t.name}`).sort(), ['app.accounts', 'app.audit_log', 'app.secrets']);
      assert.deepEqual(f.rlsForced.map((t) => `${t.schema}.${t.name}`), ['app.secrets']);
      assert.deepEqual(f.policies.map((t) => `${t.schema}.${t.name}`).sort(), ['app.accounts', 'app.secrets']);
    });
  });
}
