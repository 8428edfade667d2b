// The declared state folded from migration histories: exact outcomes for each statement
// form, order across files, and names resolved through search_path.

import assert from 'node:assert/strict';
import { Model } from '../../../server/src/core/model/model';
import { DATABASE_OWNER } from '../../../server/src/core/model/state';
import { loadParser } from '../../../server/src/core/sql/parser';
import { analyzeSql } from '../../../server/src/core/lint';
import { Workspace } from '../../../server/src/core/workspace';
import { modelOf } from './support';

const acl = (m: Model, table: string) =>
  m.relation(table.includes('.') ? { schema: table.split('.')[0], name: table.split('.')[1] } : { name: table })!.acl.map(
    (i) => `${i.grantee}:${i.privilege}${i.column ? `(${i.column})` : ''}${i.grantOption ? '*' : ''}`,
  );

describe('declared state', () => {
  before(() => loadParser());

  describe('search_path', () => {
    it('puts an unqualified CREATE TABLE in the first schema of the path, apart from a table of that name elsewhere', () => {
      const m = modelOf({
        '1.sql': 'CREATE SCHEMA app_private;\nCREATE TABLE app_private.sessions (id int);\nSET search_path = app, public;\nCREATE TABLE sessions (id int);',
      });
      assert.deepEqual([...m.state.relations.keys()].sort(), ['app.sessions', 'app_private.sessions']);
    });

    it("follows pg_dump's set_config('search_path', '', false) and the path of a later SET", () => {
      const m = modelOf({
        'dump.sql': "SELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.a (id int);\nSET search_path TO 'x, \"Y\"';\nCREATE TABLE b (id int);",
      });
      assert.deepEqual([...m.state.relations.keys()].sort(), ['public.a', 'x.b']);
      assert.deepEqual(m.searchPathAt({ uri: 'file:///dump.sql', start: 200 }), ['x', 'Y']);
      assert.deepEqual(m.searchPathAt({ uri: 'file:///dump.sql', start: 60 }), []);
    });

    it('starts every file with the default path, and ignores a function SET clause', () => {
      const m = modelOf({
        '1.sql': 'SET search_path = app;\nCREATE TABLE a (id int);',
        '2.sql': "CREATE FUNCTION f() RETURNS int LANGUAGE sql SET search_path = secret AS 'SELECT 1';\nCREATE TABLE b (id int);",
      });
      assert.deepEqual([...m.state.relations.keys()].sort(), ['app.a', 'public.b']);
      assert.deepEqual(m.functions({ name: 'f' })[0].searchPath, ['secret']);
    });

    it('resolves a later reference through the path to the schema that holds the table', () => {
      const m = modelOf({
        '1.sql': 'CREATE TABLE app.t (id int);',
        '2.sql': 'SET search_path = app, public;\nALTER TABLE t ENABLE ROW LEVEL SECURITY;',
      });
      assert.equal(m.relation({ schema: 'app', name: 't' })?.rls, true);
      assert.equal(m.relation({ name: 't' }, { uri: 'file:///2.sql', start: 40 })?.schema, 'app');
    });
  });

  describe('edits that only move statements', () => {
    it('keep the model (no new fold) and answer with current places and search_path marks', () => {
      const ws = new Workspace();
      const uri = 'file:///m.sql';
      const v1 = 'SET search_path = app;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$SELECT 1$$;';
      ws.setFile(uri, analyzeSql(uri, v1).facts);
      const m = ws.model(uri);
      const v2 = '-- moved\n' + v1;
      assert.equal(ws.setFile(uri, analyzeSql(uri, v2).facts), false);
      assert.equal(ws.model(uri), m);
      const f = m.functions({ schema: 'app', name: 'f' })[0];
      assert.deepEqual([m.madeAt(f.definerAt, { uri, start: v2.indexOf('CREATE') }), m.madeAt(f.definerAt, { uri, start: v1.indexOf('CREATE') })], [true, false]);
      assert.deepEqual([m.searchPathAt({ uri, start: 5 }), m.searchPathAt({ uri, start: v2.indexOf('CREATE') })], [['$user', 'public'], ['app']]);
      // A change of facts folds again.
      assert.equal(ws.setFile(uri, analyzeSql(uri, v2.replace('SECURITY DEFINER ', '')).facts), true);
      assert.notEqual(ws.model(uri), m);
    });
  });

  describe('project roots', () => {
    it('gives each root its own model: one project\'s REVOKE does not answer for another', () => {
      const ws = new Workspace();
      ws.setRoots(['file:///a', 'file:///b/']);
      const add = (uri: string, sql: string) => ws.setFile(uri, analyzeSql(uri, sql).facts);
      add('file:///a/1.sql', 'CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$SELECT 1$$;\nALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;');
      add('file:///b/1.sql', 'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$SELECT 1$$;');
      add('file:///c.sql', 'CREATE TABLE t (id int);');
      const pub = (uri: string) => ws.model(uri).executableBy(ws.model(uri).functions({ name: 'f' })[0]);
      assert.deepEqual([pub('file:///a/2.sql'), pub('file:///b/2.sql')], [true, false]);
      assert.deepEqual([ws.rootOf('file:///a/x/y.sql'), ws.rootOf('file:///ab.sql'), ws.rootOf('file:///c.sql')], ['file:///a/', '', '']);
      assert.deepEqual([...ws.model('file:///c.sql').state.relations.keys()], ['public.t']);
    });
  });

  describe('migration order and file kinds', () => {
    it('folds files in the order the tool runs them (Flyway V2 before V10), not in name order', () => {
      const m = modelOf({ 'V10__enable.sql': 'ALTER TABLE t ENABLE ROW LEVEL SECURITY;', 'V2__create.sql': 'CREATE TABLE t (id int);' });
      assert.deepEqual([m.relation({ name: 't' })?.rls, m.state.unknowns.length], [true, 0]);
    });

    it('leaves down migrations and pgTAP tests out of the history, and folds a test file last when asked about it', () => {
      const ws = new Workspace();
      const add = (name: string, sql: string) => ws.setFile(`file:///${name}`, analyzeSql(`file:///${name}`, sql).facts);
      add('0001_t.up.sql', 'CREATE TABLE t (id int);');
      add('0001_t.down.sql', 'DROP TABLE t;');
      add('t_test.sql', 'SELECT plan(1);\nGRANT SELECT ON t TO tester;\nSELECT * FROM finish();');
      assert.deepEqual(ws.model('file:///0001_t.up.sql').tableGrantees({ name: 't' }), []);
      assert.deepEqual(ws.model('file:///t_test.sql').tableGrantees({ name: 't' }), ['tester']);
      // A down file's statements are no facts at all: asked from there, the table still stands.
      assert.equal(ws.model('file:///0001_t.down.sql').relation({ name: 't' })?.name, 't');
      assert.equal(ws.model('file:///0001_t.up.sql').relation({ name: 't' })?.name, 't');
    });

    it('counts a pg_dump only in a root without up migrations', () => {
      const dump = '--\n-- PostgreSQL database dump\n--\nCREATE TABLE public.d (id int);';
      assert.deepEqual([...modelOf({ 'dump.sql': dump, 'extra.sql': 'CREATE TABLE e (id int);' }).state.relations.keys()].sort(), ['public.d', 'public.e']);
      assert.deepEqual([...modelOf({ 'dump.sql': dump, '20240101_init.sql': 'CREATE TABLE e (id int);' }).state.relations.keys()], ['public.e']);
    });
  });

  describe('roles and memberships', () => {
    it('records attributes, IN ROLE/ROLE/ADMIN clauses, GRANT options and REVOKE', () => {
      const m = modelOf({
        '1.sql': [
          'CREATE ROLE a NOLOGIN;',
          'CREATE USER u IN ROLE a;',
          'CREATE ROLE g ROLE u ADMIN a;',
          'ALTER ROLE u WITH SUPERUSER;',
          'GRANT a TO g WITH ADMIN OPTION, INHERIT FALSE;',
          'REVOKE ADMIN OPTION FOR a FROM g;',
          'GRANT postgres TO authenticator;',
          'REVOKE g FROM u;',
        ].join('\n'),
      });
      assert.deepEqual(m.state.roles.get('u')?.attributes, { login: true, superuser: true });
      assert.deepEqual(m.state.roles.get('a')?.attributes, { login: false });
      const ms = [...m.state.memberships.values()].map((x) => `${x.role}>${x.member}${x.admin ? '+admin' : ''}${x.inherit === false ? '-inherit' : ''}`);
      assert.deepEqual(ms.sort(), ['a>g-inherit', 'a>u', 'g>a+admin', 'postgres>authenticator']);
    });

    it('DROP ROLE removes the role and its memberships', () => {
      const m = modelOf({ '1.sql': 'CREATE ROLE a;\nCREATE ROLE b IN ROLE a;\nDROP ROLE b;' });
      assert.deepEqual([...m.state.roles.keys()], ['a']);
      assert.equal(m.state.memberships.size, 0);
    });
  });

  describe('privileges', () => {
    it('grants and revokes on tables, columns and ALL', () => {
      const m = modelOf({
        '1.sql': [
          'CREATE TABLE t (a int, b int);',
          'GRANT SELECT (a, b), UPDATE ON t TO web;',
          'GRANT ALL ON t TO anon WITH GRANT OPTION;',
          'REVOKE SELECT ON t FROM web;',
          'REVOKE GRANT OPTION FOR DELETE ON t FROM anon;',
          'REVOKE INSERT, UPDATE, TRUNCATE, REFERENCES, TRIGGER, SELECT ON t FROM anon;',
        ].join('\n'),
      });
      assert.deepEqual(acl(m, 't').filter((x) => !x.startsWith('current_user')), ['web:update', 'anon:delete']);
      assert.deepEqual(m.tableGrantees({ name: 't' }), ['web', 'anon']);
    });

    it('ON ALL ... IN SCHEMA covers existing objects only; default privileges cover later ones', () => {
      const m = modelOf({
        '1.sql': [
          'CREATE SCHEMA s;',
          'CREATE TABLE s.old (id int);',
          'GRANT SELECT ON ALL TABLES IN SCHEMA s TO r1;',
          'ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO r2;',
          'ALTER DEFAULT PRIVILEGES FOR ROLE other IN SCHEMA s GRANT SELECT ON TABLES TO r3;',
          'CREATE TABLE s.new (id int);',
        ].join('\n'),
      });
      assert.deepEqual(m.tableGrantees({ schema: 's', name: 'old' }), ['r1']);
      assert.deepEqual(m.tableGrantees({ schema: 's', name: 'new' }), ['r2']);
      assert.equal(m.state.defaultAcls.size, 2);
    });

    it('functions: PUBLIC has EXECUTE until a REVOKE, a bulk REVOKE, or a global default privilege says otherwise', () => {
      const m = modelOf({
        '1.sql': [
          'CREATE FUNCTION a.f() RETURNS int LANGUAGE sql AS $$SELECT 1$$;',
          'CREATE FUNCTION a.g(int) RETURNS int LANGUAGE sql AS $$SELECT 1$$;',
          'REVOKE ALL ON ALL FUNCTIONS IN SCHEMA a FROM PUBLIC;',
          'CREATE FUNCTION a.h() RETURNS int LANGUAGE sql AS $$SELECT 1$$;',
          'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;',
          'CREATE FUNCTION a.k() RETURNS int LANGUAGE sql AS $$SELECT 1$$;',
          'ALTER DEFAULT PRIVILEGES IN SCHEMA a REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;',
        ].join('\n'),
      });
      const pub = (n: string) => m.executableBy(m.functions({ schema: 'a', name: n })[0]);
      assert.deepEqual(['f', 'g', 'h', 'k'].map(pub), [false, false, true, false]);
    });

    it('GRANT ALL ON FUNCTION is EXECUTE; a grant on an object the files never create is kept apart', () => {
      const m = modelOf({ '1.sql': 'CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS $$SELECT 1$$;\nGRANT ALL ON FUNCTION f(integer) TO web;\nGRANT SELECT ON auth.users TO web;' });
      assert.deepEqual(m.functions({ name: 'f' })[0].acl.map((i) => `${i.grantee}:${i.privilege}`), ['current_user:execute', 'public:execute', 'web:execute']);
      assert.deepEqual(m.state.foreignGrants.map((g) => `${g.kind} ${g.name.schema}.${g.name.name} ${g.item.grantee}:${g.item.privilege}`), ['table auth.users web:select']);
    });

    it('database privileges: the built-in ACL with GRANT and REVOKE applied, per database name; OWNER TO passes the owner\'s privileges on', () => {
      const m = modelOf({
        '1.sql': [
          'REVOKE ALL ON DATABASE app FROM PUBLIC;',
          'GRANT CONNECT, TEMP ON DATABASE app TO web WITH GRANT OPTION;',
          'REVOKE GRANT OPTION FOR TEMPORARY ON DATABASE app FROM web;',
          'GRANT CREATE ON DATABASE other TO web;',
          'ALTER DATABASE app OWNER TO app_owner;',
          'CREATE DATABASE fresh OWNER web;',
        ].join('\n'),
      });
      const acl = (name: string) => m.state.databases.get(name)!.acl.map((i) => `${i.grantee.replace(DATABASE_OWNER, '(owner)')}:${i.privilege}${i.grantOption ? '*' : ''}`);
      assert.deepEqual(acl('app'), ['app_owner:create', 'app_owner:connect', 'app_owner:temporary', 'web:connect*', 'web:temporary']);
      assert.deepEqual(acl('other'), ['(owner):create', '(owner):connect', '(owner):temporary', 'public:connect', 'public:temporary', 'web:create']);
      assert.deepEqual(acl('fresh'), ['web:create', 'web:connect', 'web:temporary', 'public:connect', 'public:temporary']);
      assert.deepEqual([...m.state.databases.get('app')!.named.keys()], ['public', 'web']);
      assert.equal(m.state.databases.get('app')!.owner, 'app_owner');
      assert.deepEqual(m.state.foreignGrants, []);
    });

    it('schema USAGE for PUBLIC: public has it (PostgreSQL 15), a new schema does not, GRANT and REVOKE change it', () => {
      const m = modelOf({ '1.sql': 'CREATE SCHEMA a;\nCREATE SCHEMA b;\nGRANT USAGE ON SCHEMA b TO PUBLIC;\nREVOKE USAGE ON SCHEMA public FROM PUBLIC;' });
      assert.deepEqual(['public', 'a', 'b', 'nowhere'].map((s) => m.schemaUsage(s)), [false, false, true, undefined]);
    });

    it('OWNER TO moves the owner and the owner privileges', () => {
      const m = modelOf({ '1.sql': 'CREATE TABLE t (id int);\nALTER TABLE t OWNER TO app;\nGRANT SELECT ON t TO web;' });
      assert.equal(m.relation({ name: 't' })?.owner, 'app');
      assert.deepEqual(m.tableGrantees({ name: 't' }), ['web']);
    });
  });

  describe('final state per object', () => {
    it('RLS: ENABLE, FORCE, DISABLE in order across files, with the statement that last changed it', () => {
      const m = modelOf({
        '1.sql': 'CREATE TABLE t (id int);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;',
        '2.sql': 'ALTER TABLE t DISABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;',
      });
      const t = m.relation({ name: 't' })!;
      assert.deepEqual([t.rls, t.forced, t.rlsAt?.uri], [false, true, 'file:///2.sql']);
      assert.equal(m.usesRls(), false);
    });

    it('policies: commands, roles, ALTER POLICY narrowing USING, DROP POLICY and DROP TABLE', () => {
      const m = modelOf({
        '1.sql': [
          'CREATE TABLE t (id int, owner text);',
          'CREATE POLICY p ON t FOR SELECT TO anon, authenticated USING (true);',
          'CREATE POLICY q ON t AS RESTRICTIVE USING (true);',
          'CREATE POLICY r ON t FOR DELETE USING (true);',
        ].join('\n'),
        '2.sql': 'ALTER POLICY p ON t USING (owner = current_user);\nDROP POLICY r ON t;',
      });
      const ps = m.policies({ name: 't' });
      assert.deepEqual(ps.map((p) => `${p.name} ${p.command} ${p.permissive ? 'permissive' : 'restrictive'} ${p.roles.join(',')}`), ['p select permissive anon,authenticated', 'q all restrictive public']);
      assert.equal(ps[0].usingAt?.uri, 'file:///2.sql');
      assert.equal(m.usesRls(), true);
      const dropped = modelOf({ '1.sql': 'CREATE TABLE t (id int);\nCREATE POLICY p ON t USING (true);\nDROP TABLE t;' });
      assert.deepEqual([dropped.relation({ name: 't' }), dropped.policies({ name: 't' })], [undefined, []]);
    });

    it('functions: a later ALTER FUNCTION ... SET search_path, SECURITY INVOKER and DROP FUNCTION', () => {
      const m = modelOf({
        '1.sql': 'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql SECURITY DEFINER AS $$SELECT 1$$;\nCREATE FUNCTION g() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$BEGIN RETURN NEW; END$$;\nCREATE FUNCTION h() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$SELECT 1$$;',
        '2.sql': "ALTER FUNCTION f(int) SET search_path = '';\nALTER FUNCTION g() SECURITY INVOKER;\nDROP FUNCTION h;",
      });
      const f = m.functions({ name: 'f' })[0];
      assert.deepEqual([f.securityDefiner, f.searchPath, f.searchPathAt?.uri, f.definerAt?.uri], [true, [''], 'file:///2.sql', 'file:///1.sql']);
      assert.deepEqual([m.functions({ name: 'g' })[0].securityDefiner, m.isTriggerFunction({ name: 'g' })], [false, true]);
      assert.deepEqual(m.functions({ name: 'h' }), []);
    });

    it('CREATE OR REPLACE keeps owner and ACL, and moves bodyAt to the replacing statement', () => {
      const m = modelOf({
        '1.sql': 'CREATE FUNCTION f(int) RETURNS int LANGUAGE sql SECURITY DEFINER AS $$SELECT 1$$;\nREVOKE EXECUTE ON FUNCTION f(int) FROM PUBLIC;',
        '2.sql': 'CREATE OR REPLACE FUNCTION f(integer) RETURNS int LANGUAGE sql AS $$SELECT 2$$;',
      });
      const [f] = m.functions({ name: 'f' });
      assert.deepEqual([f.bodyAt.uri, f.bodyAt.start, f.securityDefiner, f.definerAt, m.executableBy(f)], ['file:///2.sql', 0, false, undefined, false]);
      assert.equal(m.functions({ name: 'f' }).length, 1);
    });

    it('CREATE OR REPLACE VIEW replaces security_invoker; SET SCHEMA and RENAME move tables, policies and functions', () => {
      const m = modelOf({
        '1.sql': 'CREATE VIEW v WITH (security_invoker) AS SELECT 1 AS a;\nCREATE TABLE a.t (id int);\nCREATE POLICY p ON a.t USING (true);\nCREATE FUNCTION a.f(int) RETURNS int LANGUAGE sql AS $$SELECT 1$$;',
        '2.sql': 'CREATE OR REPLACE VIEW v AS SELECT 2 AS a;\nALTER TABLE a.t SET SCHEMA b;\nALTER TABLE b.t RENAME TO u;\nALTER FUNCTION a.f(int) SET SCHEMA b;\nALTER FUNCTION b.f(int) RENAME TO g;',
      });
      const v = m.relation({ name: 'v' })!;
      assert.deepEqual([v.securityInvoker, v.securityInvokerAt?.uri], [false, 'file:///2.sql']);
      assert.deepEqual([...m.state.relations.keys()].sort(), ['b.u', 'public.v']);
      assert.deepEqual(m.policies({ schema: 'b', name: 'u' }).map((p) => `${p.schema}.${p.table}.${p.name}`), ['b.u.p']);
      assert.deepEqual([...m.state.functions.keys()], ['b.g']);
    });

    it('views: ALTER VIEW ... SET (security_invoker = true) and OWNER TO', () => {
      const m = modelOf({ '1.sql': 'CREATE VIEW v AS SELECT 1 AS a;\nALTER VIEW v SET (security_invoker = true);\nALTER VIEW v OWNER TO reader;' });
      const v = m.relation({ name: 'v' })!;
      assert.deepEqual([v.kind, v.securityInvoker, v.owner], ['view', true, 'reader']);
    });
  });

  describe('objects PostgreSQL makes with another', () => {
    it('a serial or identity column makes its table_column_seq, owned by the table: OWNER TO, SET SCHEMA and DROP TABLE take it along', () => {
      const m = modelOf({
        '1.sql': [
          'CREATE ROLE app;',
          'CREATE TABLE t (id serial, b bigint GENERATED ALWAYS AS IDENTITY, c int);',
          'ALTER TABLE t ADD COLUMN d bigserial, ALTER COLUMN c ADD GENERATED BY DEFAULT AS IDENTITY;',
          'CREATE TABLE u (id int GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME u_ids));',
          'CREATE SEQUENCE t_x_seq;',
          'CREATE TABLE t_x (seq serial);',
          'ALTER TABLE t OWNER TO app;',
          'CREATE SCHEMA s;',
          'ALTER TABLE u SET SCHEMA s;',
          'DROP TABLE t_x;',
        ].join('\n'),
      });
      const seqs = [...m.state.relations.values()].filter((r) => r.kind === 'sequence').map((r) => `${r.schema}.${r.name}:${r.owner}:${r.ownedBy ?? ''}`);
      assert.deepEqual(seqs.sort(), ['public.t_b_seq:app:public.t', 'public.t_c_seq:app:public.t', 'public.t_d_seq:app:public.t', 'public.t_id_seq:app:public.t', 'public.t_x_seq:current_user:', 's.u_ids:current_user:s.u']);
      assert.deepEqual(acl(m, 'public.t_id_seq').sort(), ['app:select', 'app:update', 'app:usage']);
    });

    it('names a long serial sequence as PostgreSQL cuts it to 63 bytes, and numbers it when the name is taken', () => {
      const long = 'a'.repeat(40);
      const m = modelOf({ '1.sql': `CREATE TABLE ${long} (${'b'.repeat(30)} serial);\nCREATE SEQUENCE t_id_seq;\nCREATE TABLE t (id serial);` });
      const names = [...m.state.relations.values()].filter((r) => r.ownedBy).map((r) => r.name);
      assert.deepEqual(names, [`${'a'.repeat(29)}_${'b'.repeat(29)}_seq`, 't_id_seq1']);
    });

    it('a range type makes its constructors and its multirange constructors, with default privileges applied', () => {
      const m = modelOf({
        '1.sql': 'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\nCREATE TYPE floatrange AS RANGE (subtype = double precision);\nCREATE TYPE span AS RANGE (subtype = int, multirange_type_name = spans);',
      });
      const fns = [...m.state.functions.values()].flat().map((f) => `${f.name}(${f.args.join(',')}):${f.acl.map((i) => i.grantee).join('+')}`);
      assert.deepEqual(fns.sort(), [
        'floatmultirange():current_user',
        'floatmultirange(floatrange):current_user',
        'floatmultirange(floatrange[]):current_user',
        'floatrange(float8,float8):current_user',
        'floatrange(float8,float8,text):current_user',
        'span(int4,int4):current_user',
        'span(int4,int4,text):current_user',
        'spans():current_user',
        'spans(span):current_user',
        'spans(span[]):current_user',
      ]);
    });
  });

  describe('columns', () => {
    const cols = (m: Model, name: string) => {
      const r = m.relation({ schema: 'public', name })!;
      return `${r.columns.join(',')}${r.columnsComplete ? '' : ' (incomplete)'}`;
    };

    it('follows ADD, DROP and RENAME COLUMN across files, and knows when the list is not every column', () => {
      const m = modelOf({
        '1.sql': 'CREATE TABLE t (id int, a text);\nCREATE TABLE l (LIKE t, x int);\nCREATE TABLE c (y int) INHERITS (t);\nCREATE TABLE p PARTITION OF t FOR VALUES IN (1);\nCREATE TABLE s AS SELECT 1 AS id;\nCREATE TABLE o OF some_type;',
        '2.sql': 'ALTER TABLE t ADD COLUMN b int, ADD COLUMN IF NOT EXISTS a text;\nALTER TABLE t DROP COLUMN id;\nALTER TABLE t RENAME COLUMN a TO z;\nALTER TABLE l ADD COLUMN w int;',
      });
      assert.deepEqual(
        ['t', 'l', 'c', 'p', 's', 'o'].map((n) => cols(m, n)),
        ['z,b', 'x,w (incomplete)', 'y (incomplete)', ' (incomplete)', ' (incomplete)', ' (incomplete)'],
      );
    });

    it("records the table's columns when each policy statement runs, not the final ones", () => {
      const text = 'CREATE TABLE t (id int);\nCREATE POLICY a ON t USING (true);\nALTER TABLE t ADD COLUMN owner text;\nALTER POLICY a ON t USING (owner = current_user);\nCREATE POLICY b ON u USING (true);';
      const m = modelOf({ '1.sql': text });
      const at = (needle: string) => m.columnsAtPolicy({ uri: 'file:///1.sql', start: text.indexOf(needle) });
      assert.deepEqual([at('CREATE POLICY a'), at('ALTER POLICY a'), at('CREATE POLICY b')], [['id'], ['id', 'owner'], undefined]);
    });
  });
});
