// The fixes of the RLS and SECURITY DEFINER rules, run on a real PostgreSQL: each fixed
// text is accepted by the server and has the effect the rule's page promises, and the
// PostgreSQL behaviour the rules rely on (per-schema default privileges, security_invoker,
// partitions, format's %I) is what the rules assume.

import assert from 'node:assert/strict';
import { loadParser } from '../../server/src/core/sql/parser';
import { startCluster, TestCluster } from '../support/postgres';
import { fixedText as fixed } from '../unit/rules/harness';

describe('SQL rule fixes on a real PostgreSQL', function () {
  this.timeout(60_000);
  let pg: TestCluster;
  let db = 0;
  /** A fresh database per test, so tests do not see each other's objects. */
  let name = '';

  before(async () => {
    await loadParser();
    pg = await startCluster();
    pg.psql('CREATE ROLE app_role NOLOGIN; CREATE ROLE alice NOLOGIN; CREATE ROLE bob NOLOGIN; CREATE ROLE owner_role NOLOGIN;');
  });
  after(() => pg?.stop());
  beforeEach(() => {
    name = `t${++db}`;
    pg.psql(`CREATE DATABASE ${name} OWNER owner_role;`);
  });
  const run = (sql: string) => pg.psql(sql, name).trim();

  it('missing-rls: the inserted ALTER TABLE enables RLS on the quoted, qualified table', () => {
    // A project that uses no RLS yet asks for it through rls.schemas.
    const sql = fixed('missing-rls', {
      code: 'CREATE SCHEMA "App";\nCREATE TABLE "App"."Order Items" (a int);\nCREATE TABLE "user" (a int);',
      config: { rlsSchemas: ['App', 'public'] },
    });
    run(sql);
    assert.equal(run(`SELECT string_agg(relname || '=' || relrowsecurity, ',' ORDER BY relname) FROM pg_class WHERE relname IN ('Order Items', 'user')`), 'Order Items=true,user=true');
  });

  it('missing-rls: a partition read through its RLS parent shows only the policy rows, and direct reads need their own grant', () => {
    run(`CREATE TABLE m (owner name, a int) PARTITION BY LIST (a);
      CREATE TABLE m_1 PARTITION OF m FOR VALUES IN (1);
      ALTER TABLE m ENABLE ROW LEVEL SECURITY;
      CREATE POLICY own ON m USING (owner = current_user);
      INSERT INTO m VALUES ('alice', 1), ('bob', 1);
      GRANT SELECT ON m TO alice;`);
    assert.equal(run('SET ROLE alice; SELECT string_agg(owner, \',\') FROM m;'), 'alice');
    assert.throws(() => run('SET ROLE alice; SELECT * FROM m_1;'), /permission denied for table m_1/);
  });

  it('rls-not-forced: the added FORCE makes the owner subject to the policies', () => {
    const code = 'CREATE TABLE t (owner name);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\nCREATE POLICY own ON t USING (owner = current_user);';
    const rows = "INSERT INTO t VALUES ('alice'), ('bob');";
    run(`SET ROLE owner_role; ${code} ${rows}`);
    assert.equal(run('SET ROLE owner_role; SELECT count(*) FROM t;'), '2', 'without FORCE the owner sees every row');
    run('DROP TABLE t;');
    const sql = fixed('rls-not-forced', { code });
    assert.match(sql, /ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;/);
    // The rows go in before the fixed ALTER, as FORCE would hold the owner's INSERT to the policy too.
    run(`SET ROLE owner_role; ${sql.replace('CREATE TABLE t (owner name);', `CREATE TABLE t (owner name); ${rows}`)}`);
    assert.equal(run('SET ROLE owner_role; SELECT count(*) FROM t;'), '0');
  });

  it('rls-no-policy: the policy template is accepted for a table with an owner column', () => {
    // The rule speaks only when a role other than the owner is granted the table.
    const sql = fixed('rls-no-policy', { code: 'CREATE TABLE "Docs" (owner name);\nALTER TABLE "Docs" ENABLE ROW LEVEL SECURITY;\nGRANT SELECT ON "Docs" TO app_role;' });
    run(sql);
    assert.equal(run(`SELECT polname || ':' || pg_get_expr(polqual, polrelid) FROM pg_policy`), 'Docs_owner:(owner = CURRENT_USER)');
  });

  it('view-bypasses-rls: a view returns every row until the fix adds security_invoker', () => {
    const table = `CREATE TABLE t (owner name);
      ALTER TABLE t ENABLE ROW LEVEL SECURITY;
      CREATE POLICY own ON t USING (owner = current_user);
      INSERT INTO t VALUES ('alice'), ('bob');
      GRANT SELECT ON t TO alice;`;
    run(table);
    const code = 'CREATE OR REPLACE VIEW v AS SELECT owner FROM t;';
    run(code + ' GRANT SELECT ON v TO alice;');
    assert.equal(run("SET ROLE alice; SELECT string_agg(owner, ',' ORDER BY owner) FROM v;"), 'alice,bob', 'the view bypasses RLS');
    const sql = fixed('view-bypasses-rls', { code, files: { 'rls.sql': table } });
    assert.equal(sql, 'CREATE OR REPLACE VIEW v WITH (security_invoker = true) AS SELECT owner FROM t;');
    run(sql);
    assert.equal(run("SET ROLE alice; SELECT string_agg(owner, ',' ORDER BY owner) FROM v;"), 'alice');
  });

  it('security-definer-search-path: the function keeps search_path = pg_catalog, pg_temp', () => {
    const sql = fixed('security-definer-search-path', {
      code: "CREATE PROCEDURE p()\n  LANGUAGE plpgsql\n  EXTERNAL SECURITY\n  DEFINER\nAS $$ BEGIN RAISE NOTICE 'x'; END $$;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nALTER FUNCTION f() SECURITY DEFINER;",
    });
    run(sql);
    assert.equal(run("SELECT string_agg(proname || '=' || array_to_string(proconfig, ';'), ',' ORDER BY proname) FROM pg_proc WHERE proname IN ('f', 'p')"), 'f=search_path=pg_catalog, pg_temp,p=search_path=pg_catalog, pg_temp');
  });

  it('definer-public-execute: the REVOKE names the exact signature and takes EXECUTE from PUBLIC', () => {
    const code =
      // PUBLIC needs USAGE on the schema for its EXECUTE to matter (the rule is silent otherwise).
      'CREATE SCHEMA "App";\nGRANT USAGE ON SCHEMA "App" TO PUBLIC;\nCREATE FUNCTION "App"."Transfer"(IN src bigint, OUT ok boolean, dst "char", amt numeric(10,2)[] DEFAULT NULL, VARIADIC tags text[] DEFAULT \'{}\')\n  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$ BEGIN ok := true; END $$;\n' +
      "CREATE PROCEDURE pr(t timestamp with time zone, d double precision, i interval day, c char(3), b bit varying(3)) LANGUAGE sql SECURITY DEFINER BEGIN ATOMIC SELECT 1; END;";
    const sql = fixed('definer-public-execute', { code });
    run(sql);
    assert.equal(
      run(`SELECT string_agg(proname || '=' || has_function_privilege('alice', oid, 'EXECUTE'), ',' ORDER BY proname) FROM pg_proc WHERE proname IN ('Transfer', 'pr')`),
      'Transfer=false,pr=false',
    );
  });

  it('definer-public-execute: only global default privileges take EXECUTE from PUBLIC for later functions', () => {
    run(`SET ROLE owner_role;
      CREATE SCHEMA s;
      ALTER DEFAULT PRIVILEGES IN SCHEMA s REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
      CREATE FUNCTION s.per_schema() RETURNS int LANGUAGE sql AS 'SELECT 1';
      ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
      CREATE FUNCTION s.global() RETURNS int LANGUAGE sql AS 'SELECT 1';`);
    assert.equal(
      run(`SELECT string_agg(proname || '=' || has_function_privilege('alice', oid, 'EXECUTE'), ',' ORDER BY proname) FROM pg_proc WHERE proname IN ('per_schema', 'global')`),
      'global=false,per_schema=true',
    );
  });

  it('dynamic-sql-injection: the format() rewrite quotes a hostile table name', () => {
    const code = "CREATE FUNCTION refresh_stats(tbl text) RETURNS void LANGUAGE plpgsql AS $fn$\nBEGIN\n  EXECUTE 'analyze ' || tbl;\nEND $fn$;";
    run('CREATE TABLE victim (a int); CREATE TABLE "weird name" (a int);');
    run(code);
    // The concatenated version runs the caller's second statement.
    run("SELECT refresh_stats('victim; drop table victim');");
    assert.equal(run("SELECT count(*) FROM pg_class WHERE relname = 'victim'"), '0');
    run('DROP FUNCTION refresh_stats(text); CREATE TABLE victim (a int);');
    const sql = fixed('dynamic-sql-injection', { code });
    assert.match(sql, /EXECUTE format\('analyze %I', tbl\);/);
    run(sql);
    assert.throws(() => run("SELECT refresh_stats('victim; drop table victim');"), /relation "victim; drop table victim" does not exist/);
    assert.equal(run("SELECT count(*) FROM pg_class WHERE relname = 'victim'"), '1');
    run("SELECT refresh_stats('weird name');");
  });
});
