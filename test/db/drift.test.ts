// `pgwarden drift` on a real server: a database built from a migrations folder has no
// drift; after changes made by hand, drift reports each of them and nothing else, on the
// statement that declares (or creates) what changed. The generated SQL round-trips: the
// adopting migration added to the folder leaves no drift against the changed database, and
// the reconciling migration applied to a copy of it leaves no drift against the folder.
// pgwarden never runs either; the test does.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { run as driftCmd } from '../../server/src/cli/drift';
import { CliError } from '../../server/src/cli/io';
import { loadParser } from '../../server/src/core/sql/parser';
import { startCluster, TestCluster } from '../support/postgres';
import { captureIo, cleanEnv } from './helpers';

const MIGRATIONS: Record<string, string> = {
  '001_roles.sql': `
CREATE ROLE app_owner NOLOGIN;
CREATE ROLE web_anon NOLOGIN;
CREATE ROLE "Web User" LOGIN;
CREATE ROLE support NOLOGIN;
GRANT web_anon TO "Web User";
REVOKE CONNECT ON DATABASE app FROM PUBLIC;
GRANT CONNECT ON DATABASE app TO "Web User", support;
`,
  '002_app.sql': `
CREATE SCHEMA app AUTHORIZATION app_owner;
CREATE TABLE app.orders (id int, owner text, note text);
CREATE TABLE app.secrets (id int, value text);
CREATE TABLE app.items (id int);
GRANT USAGE ON SCHEMA app TO web_anon, support;
GRANT SELECT ON app.items TO web_anon;
GRANT SELECT, INSERT ON app.orders TO "Web User";
ALTER TABLE app.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON app.orders FOR SELECT TO "Web User" USING (owner = current_user);
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO support;
CREATE FUNCTION app.touch(id int) RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS 'SELECT 1';
REVOKE EXECUTE ON FUNCTION app.touch(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.touch(int) TO "Web User";
`,
};

/** The changes made by hand in psql, each of which drift must report. */
const BY_HAND = `
GRANT SELECT ON app.secrets TO web_anon;
GRANT UPDATE (note) ON app.orders TO "Web User";
CREATE ROLE intruder LOGIN;
GRANT support TO intruder;
ALTER ROLE "Web User" BYPASSRLS;
ALTER TABLE app.orders DISABLE ROW LEVEL SECURITY;
CREATE POLICY sneaky ON app.orders FOR SELECT TO web_anon USING (true);
ALTER POLICY own ON app.orders TO "Web User", web_anon;
ALTER TABLE app.items OWNER TO support;
REVOKE SELECT ON app.items FROM web_anon;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT INSERT ON TABLES TO support;
ALTER FUNCTION app.touch(int) RESET search_path;
GRANT EXECUTE ON FUNCTION app.touch(int) TO PUBLIC;
GRANT CREATE ON DATABASE app TO support;
REVOKE CONNECT ON DATABASE app FROM support;
REVOKE TEMPORARY ON DATABASE app FROM "Web User";
`;

describe('db: pgwarden drift', function () {
  this.timeout(120_000);
  let c: TestCluster;
  let work: string;
  let folder: string;
  const conn = (db: string) => `host=127.0.0.1 port=${c.port} user=postgres dbname=${db} sslmode=disable`;
  const drift = async (...argv: string[]) => {
    const io = captureIo(cleanEnv({ PGPASSWORD: c.password }));
    try {
      return { code: await driftCmd(argv, io), out: io.out, err: io.err };
    } catch (err) {
      if (err instanceof CliError) return { code: 2, out: io.out, err: err.message };
      throw err;
    }
  };
  const exec = async (db: string, sql: string) => {
    const client = new Client({ host: c.host, port: c.port, user: c.superuser, password: c.password, database: db });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  before(async () => {
    await loadParser();
    c = await startCluster();
    work = mkdtempSync(join(tmpdir(), 'pgwarden-drift-'));
    folder = join(work, 'migrations');
    mkdirSync(folder);
    for (const [name, text] of Object.entries(MIGRATIONS)) writeFileSync(join(folder, name), text);
    await exec('postgres', 'CREATE DATABASE app');
    // Each file on its own session, as migration tools run them.
    for (const text of Object.values(MIGRATIONS)) await exec('app', text);
  });
  after(() => {
    c?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('finds no drift on the database the migrations built (exit 0)', async () => {
    const r = await drift('--db', conn('app'), folder);
    assert.equal(r.err, '');
    assert.equal(r.out, 'No drift: the database has the access the migrations declare.\n');
    assert.equal(r.code, 0);
  });

  it('reports each change made by hand, and nothing else, where the migrations declare or create it (exit 1)', async () => {
    await exec('app', BY_HAND);
    const r = await drift('--db', conn('app'), '--format', 'json', folder);
    assert.equal(r.code, 1, r.err);
    const found = (JSON.parse(r.out).findings as Array<Record<string, unknown>>).map((f) => `${f.file ?? '-'}:${f.line ?? '-'} ${f.ruleId} ${f.message}`);
    const m1 = join(folder, '001_roles.sql');
    const m2 = join(folder, '002_app.sql');
    assert.deepEqual(found.sort(), [
      `-:- drift-live-only role intruder is in the database, but no migration declares it`,
      `${m1}:4 drift-changed BYPASSRLS of role Web User: declared NOBYPASSRLS, the database has BYPASSRLS`,
      `${m1}:5 drift-live-only intruder is a member of support is in the database, but no migration declares it`,
      `${m1}:7 drift-live-only CREATE on database app to support is in the database, but no migration declares it`,
      `${m1}:8 drift-declared-only CONNECT on database app to support is declared, but the database does not have it`,
      `${m2}:10 drift-changed policy own on table app.orders: declared permissive for select to Web User, the database has permissive for select to Web User, web_anon`,
      `${m2}:12 drift-declared-only search_path of function app.touch(int4) is declared, but the database does not have it`,
      `${m2}:12 drift-live-only EXECUTE on function app.touch(int4) to public is in the database, but no migration declares it`,
      `${m2}:2 drift-live-only default INSERT on tables created by postgres in schema app to support is in the database, but no migration declares it`,
      `${m2}:3 drift-live-only UPDATE (note) on table app.orders to Web User is in the database, but no migration declares it`,
      `${m2}:3 drift-live-only policy sneaky on table app.orders is in the database, but no migration declares it`,
      `${m2}:4 drift-live-only SELECT on table app.secrets to web_anon is in the database, but no migration declares it`,
      `${m2}:5 drift-changed owner of table app.items: declared postgres, the database has support`,
      `${m2}:7 drift-declared-only SELECT on table app.items to web_anon is declared, but the database does not have it`,
      `${m2}:9 drift-declared-only row-level security enabled on table app.orders is declared, but the database does not have it`,
    ]);
    const sarif = JSON.parse((await drift('--db', conn('app'), '--format', 'sarif', folder)).out);
    assert.deepEqual(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id), ['drift-changed', 'drift-declared-only', 'drift-live-only']);
    assert.equal(sarif.runs[0].results.length, 15);
    // The database's grants are grants: the same kind as a table's, named by their object.
    const json = JSON.parse(r.out).findings as Array<Record<string, unknown>>;
    assert.deepEqual(json.filter((f) => f.object === 'database app').map((f) => `${f.objectKind} ${f.ruleId}`), ['privilege drift-declared-only', 'privilege drift-live-only']);
  });

  it('leaves out the platform roles pgwarden.json lists, with those --platform-roles adds', async () => {
    const config = join(work, 'platform.json');
    writeFileSync(config, JSON.stringify({ drift: { platformRoles: ['intruder'] } }));
    const r = await drift('--db', conn('app'), '--format', 'json', '--config', config, folder);
    const messages = (JSON.parse(r.out).findings as Array<{ message: string }>).map((f) => f.message);
    assert.equal(messages.length, 13);
    assert.ok(!messages.some((m) => m.includes('intruder')), messages.join('\n'));
    // The flag adds to the file's list rather than replacing it.
    const both = await drift('--db', conn('app'), '--format', 'json', '--config', config, '--platform-roles', 'supabase_admin', folder);
    assert.deepEqual((JSON.parse(both.out).findings as Array<{ message: string }>).map((f) => f.message), messages);
  });

  it('adopting: the generated migration, added to the folder, declares the live state (no drift left)', async () => {
    const r = await drift('--db', conn('app'), '--sql', 'adopt', folder);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^GRANT SELECT ON TABLE app\.secrets TO web_anon;$/m);
    assert.match(r.out, /^ALTER ROLE "Web User" BYPASSRLS;$/m);
    assert.match(r.out, /^CREATE ROLE intruder WITH NOSUPERUSER NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS INHERIT;$/m);
    assert.match(r.out, /^GRANT CREATE ON DATABASE app TO support;$/m);
    assert.match(r.out, /^REVOKE CONNECT ON DATABASE app FROM support;$/m);
    const adopted = join(work, 'adopted');
    cpSync(folder, adopted, { recursive: true });
    writeFileSync(join(adopted, '003_adopt.sql'), r.out);
    const after = await drift('--db', conn('app'), adopted);
    assert.equal(after.out, 'No drift: the database has the access the migrations declare.\n', r.out);
    assert.equal(after.code, 0);
  });

  it('reconciling: the generated migration, applied to a copy of the database, returns it to the declared state', async () => {
    const r = await drift('--db', conn('app'), '--sql', 'reconcile', folder);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^REVOKE SELECT ON TABLE app\.secrets FROM web_anon;$/m);
    assert.match(r.out, /^ALTER TABLE app\.items OWNER TO postgres;$/m);
    assert.match(r.out, /^DROP ROLE intruder;$/m);
    assert.match(r.out, /^REVOKE CREATE ON DATABASE app FROM support;$/m);
    assert.match(r.out, /^GRANT CONNECT ON DATABASE app TO support;$/m);
    assert.ok(r.out.indexOf('REVOKE CREATE ON DATABASE app FROM support;') < r.out.indexOf('DROP ROLE intruder;'), r.out);
    await exec('postgres', 'CREATE DATABASE app_copy TEMPLATE app');
    // The policy `own` was widened by hand and is recreated from the migration: the generated
    // SQL says so in a comment, as it cannot know the expressions the migration gave.
    await exec('app_copy', r.out);
    const after = await drift('--db', conn('app_copy'), folder);
    assert.equal(after.out, 'No drift: the database has the access the migrations declare.\n', r.out);
    assert.equal(after.code, 0);
    // The copy is another database (its ACL starts as PostgreSQL's, and the files name app):
    // the statements ON DATABASE app reached app itself, which has no database drift left.
    const app = await drift('--db', conn('app'), '--format', 'json', folder);
    const left = (JSON.parse(app.out).findings as Array<{ object: string; message: string }>).filter((f) => f.object === 'database app');
    assert.deepEqual(left, []);
    assert.ok(JSON.parse(app.out).findings.length > 0, 'the table-level changes stay in app');
  });

  it('reads CURRENT_DATABASE in GRANT ... ON DATABASE as a database name, as the server does', async () => {
    await assert.rejects(exec('app', 'GRANT CONNECT ON DATABASE CURRENT_DATABASE TO support'), /database "current_database" does not exist/);
  });
});
