// Security of the live-database layer against a real PostgreSQL:
// - hostile identifiers (`r"; drop table x; --`, `Tab'le "x"`, a schema with a dot, a
//   role with a line break) are created on the server, listed back exactly, and quoted
//   exactly in every generated GRANT/REVOKE text, from both generators (server/src/db/
//   sqlgen.ts and the server's requests in server/src/lsp/db-sql.ts): each text parses
//   with the real PostgreSQL parser into exactly the expected statements naming exactly
//   those objects, and run through psql (by the test, never by pgwarden) it does what it
//   says;
// - every catalog query is parameterized: a TypeScript-AST check of server/src/db/*.ts
//   allows nothing but constant SQL fragments inside query text (and proves on a sample
//   that it catches an interpolated value);
// - sessions are read-only: writes fail with 25006, through either protocol;
// - no password reaches an error, its stack or anything written to the console.
// The packaged .vsix is checked for credentials by test/unit/packaging.test.ts.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { escapeIdentifier } from 'pg';
import ts from 'typescript';
import {
  connect,
  DbError,
  listRoles,
  listSchemas,
  listTables,
  loadPrivilegeGraph,
  loadRoles,
  revokeEffective,
  revokeObjectPrivilege,
  roleDetails,
  rolePrivileges,
  Session,
  tableDetails,
} from '../../server/src/db';
import { loadParser, parseText } from '../../server/src/core/sql/parser';
import {
  DbChildrenRequest,
  DbChildrenResult,
  DbConnectRequest,
  DbConnectResult,
  DbGenerateSqlRequest,
  DbSqlTarget,
  DbTreeNode,
  DbTrustNotification,
} from '../../server/src/shared/protocol';
import { LspClient } from '../support/lsp';
import { startCluster, TestCluster } from '../support/postgres';
import { blackHole, cleanEnv, closedPort, ROOT, target } from './helpers';

const ROLE_A = 'r"; drop table x; --';
const ROLE_B = `Tab'le "x"`;
/** A line break in a name must not let the rest of it out of a `--` comment. */
const ROLE_C = 'nl\nDROP TABLE victim; --';
const GROUP = 'grp "quoted"';
const SCHEMA = 'a.b';
const SCHEMA2 = `s"ch'ema`;
const DEFAULTS_SCHEMA = 'x created by y';
const TABLE1 = `Tab'le "x"`;
const TABLE2 = 'r"; drop table x; --';
const COLUMN = 'c"ol';
const FUNC = 'f"n';

const q = escapeIdentifier;
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

const SEED = `
CREATE TABLE public.victim (id int);
CREATE ROLE ${q(ROLE_A)} LOGIN;
CREATE ROLE ${q(ROLE_B)} LOGIN;
CREATE ROLE ${q(ROLE_C)} LOGIN;
CREATE ROLE ${q(GROUP)} NOLOGIN;
GRANT ${q(GROUP)} TO ${q(ROLE_A)}, ${q(ROLE_C)};
CREATE SCHEMA ${q(SCHEMA)};
CREATE SCHEMA ${q(SCHEMA2)};
CREATE SCHEMA ${q(DEFAULTS_SCHEMA)};
CREATE TABLE ${q(SCHEMA)}.${q(TABLE1)} (id int, ${q(COLUMN)} text);
CREATE TABLE ${q(SCHEMA2)}.${q(TABLE2)} (id int);
CREATE FUNCTION ${q(SCHEMA)}.${q(FUNC)}(integer) RETURNS integer LANGUAGE sql AS 'SELECT $1';
REVOKE EXECUTE ON FUNCTION ${q(SCHEMA)}.${q(FUNC)}(integer) FROM PUBLIC;
GRANT USAGE ON SCHEMA ${q(SCHEMA)} TO ${q(ROLE_A)};
GRANT SELECT, DELETE ON ${q(SCHEMA)}.${q(TABLE1)} TO ${q(ROLE_A)};
GRANT SELECT (${q(COLUMN)}) ON ${q(SCHEMA)}.${q(TABLE1)} TO ${q(ROLE_B)};
GRANT INSERT ON ${q(SCHEMA2)}.${q(TABLE2)} TO ${q(ROLE_B)} WITH GRANT OPTION;
GRANT UPDATE ON ${q(SCHEMA2)}.${q(TABLE2)} TO ${q(GROUP)};
GRANT EXECUTE ON FUNCTION ${q(SCHEMA)}.${q(FUNC)}(integer) TO ${q(ROLE_A)};
ALTER DEFAULT PRIVILEGES FOR ROLE ${q(ROLE_A)} IN SCHEMA ${q(DEFAULTS_SCHEMA)} GRANT SELECT ON TABLES TO ${q(ROLE_B)};
`;

/** A statement reduced to what it does and to the exact names it touches. */
interface Described {
  type: string;
  grant?: boolean;
  objtype?: string;
  objects?: string[][];
  privileges?: string[];
  columns?: string[];
  grantees?: string[];
  grantedRoles?: string[];
  forRoles?: string[];
  inSchemas?: string[];
}

function names(list: any[] | undefined): string[] {
  return (list ?? []).map((x) => {
    if (x.RoleSpec) return x.RoleSpec.roletype === 'ROLESPEC_PUBLIC' ? 'PUBLIC' : x.RoleSpec.rolename;
    if (x.String) return x.String.sval;
    return JSON.stringify(x);
  });
}

function describeGrant(g: any, type: string): Described {
  const objects = (g.objects ?? []).map((o: any) => {
    if (o.RangeVar) return [o.RangeVar.schemaname, o.RangeVar.relname].filter((x: unknown) => x !== undefined);
    if (o.String) return [o.String.sval];
    if (o.ObjectWithArgs) return names(o.ObjectWithArgs.objname);
    return [JSON.stringify(o)];
  });
  const privs = (g.privileges ?? []).map((p: any) => p.AccessPriv.priv_name);
  const cols = (g.privileges ?? []).flatMap((p: any) => names(p.AccessPriv.cols));
  return {
    type,
    grant: g.is_grant === true,
    objtype: g.objtype,
    ...(objects.length ? { objects } : {}),
    privileges: privs,
    ...(cols.length ? { columns: cols } : {}),
    grantees: names(g.grantees),
  };
}

/** Parses generated text with the real PostgreSQL parser; fails the test on a syntax error. */
function describeSql(text: string): Described[] {
  const r = parseText(text);
  assert.ok(r.ok, `generated SQL does not parse: ${JSON.stringify(r)}\n${text}`);
  return r.stmts.map(({ stmt }) => {
    const [type, node] = Object.entries(stmt ?? {})[0] as [string, any];
    if (type === 'GrantStmt') return describeGrant(node, type);
    if (type === 'GrantRoleStmt') return { type, grant: node.is_grant === true, grantedRoles: (node.granted_roles ?? []).map((a: any) => a.AccessPriv.priv_name), grantees: names(node.grantee_roles) };
    if (type === 'AlterDefaultPrivilegesStmt') {
      const opt = (name: string) => names(node.options?.find((o: any) => o.DefElem.defname === name)?.DefElem.arg.List.items);
      return { ...describeGrant(node.action, type), forRoles: opt('roles'), inSchemas: opt('schemas') };
    }
    if (type === 'AlterRoleStmt') return { type, grantees: names([{ RoleSpec: node.role }]) };
    return { type };
  });
}

const tablePriv = (grant: boolean, schema: string, table: string, priv: string, grantee: string, columns?: string[]): Described => ({
  type: 'GrantStmt',
  grant,
  objtype: 'OBJECT_TABLE',
  objects: [[schema, table]],
  privileges: [priv.toLowerCase()],
  ...(columns ? { columns } : {}),
  grantees: [grantee],
});
const membership = (grant: boolean, role: string, member: string): Described => ({ type: 'GrantRoleStmt', grant, grantedRoles: [role], grantees: [member] });

describe('db security: hostile names, parameterized catalog queries, read-only sessions, no leaked passwords', function () {
  this.timeout(120_000);
  let pg: TestCluster;
  let session: Session;
  const sessions: Session[] = [];

  before(async () => {
    await loadParser();
    pg = await startCluster();
    pg.psql(SEED);
    session = await connect(target(pg.port), async () => pg.password, { env: cleanEnv() });
    sessions.push(session);
  });

  after(async () => {
    for (const s of sessions) await s.close();
    pg?.stop();
  });

  describe('hostile identifiers', () => {
    it('the server holds exactly the hostile names (the seed quoted them right)', () => {
      const roles = pg.psql(`SELECT rolname FROM pg_roles WHERE rolname IN (${[ROLE_A, ROLE_B, ROLE_C, GROUP].map(lit).join(', ')}) ORDER BY 1`);
      assert.equal(roles, [ROLE_A, ROLE_B, GROUP, ROLE_C].sort().join('\n') + '\n');
    });

    it('lists roles, schemas and tables with their exact names', async () => {
      assert.deepEqual((await listRoles(session, { search: 'drop table' })).items.map((r) => r.name).sort(), [ROLE_A, ROLE_C].sort());
      assert.deepEqual((await listRoles(session, { search: `'le "x` })).items.map((r) => r.name), [ROLE_B]);
      const all = new Set((await loadRoles(session)).map((r) => r.name));
      for (const r of [ROLE_A, ROLE_B, ROLE_C, GROUP]) assert.ok(all.has(r), r);
      const schemas = (await listSchemas(session)).map((s) => s.schema);
      for (const s of [SCHEMA, SCHEMA2, DEFAULTS_SCHEMA]) assert.ok(schemas.includes(s), s);
      assert.deepEqual((await listTables(session, { schema: SCHEMA })).items.map((t) => [t.schema, t.name]), [[SCHEMA, TABLE1]]);
      assert.deepEqual((await listTables(session, { schema: SCHEMA2 })).items.map((t) => [t.schema, t.name]), [[SCHEMA2, TABLE2]]);
      const t1 = await tableDetails(session, SCHEMA, TABLE1);
      assert.deepEqual(
        t1?.grants.filter((g) => g.grantee === ROLE_A).map((g) => g.privilege).sort(),
        ['DELETE', 'SELECT'],
      );
      const a = await roleDetails(session, ROLE_A);
      assert.deepEqual(a?.memberOf.map((m) => [m.role, m.member]), [[GROUP, ROLE_A]]);
      assert.deepEqual((await roleDetails(session, GROUP))?.members.map((m) => m.member).sort(), [ROLE_A, ROLE_C].sort());
    });

    it('db/sqlgen: every REVOKE for a privilege of a hostile role names exactly that object and role, and does what it says', async () => {
      const expected: Array<{ role: string; d: Described; check: string }> = [
        { role: ROLE_A, d: { type: 'GrantStmt', grant: false, objtype: 'OBJECT_SCHEMA', objects: [[SCHEMA]], privileges: ['usage'], grantees: [ROLE_A] }, check: `has_schema_privilege(${lit(ROLE_A)}, ${lit(SCHEMA)}, 'USAGE')` },
        { role: ROLE_A, d: tablePriv(false, SCHEMA, TABLE1, 'DELETE', ROLE_A), check: `has_table_privilege(${lit(ROLE_A)}, ${lit(`${q(SCHEMA)}.${q(TABLE1)}`)}, 'DELETE')` },
        { role: ROLE_A, d: tablePriv(false, SCHEMA, TABLE1, 'SELECT', ROLE_A), check: `has_table_privilege(${lit(ROLE_A)}, ${lit(`${q(SCHEMA)}.${q(TABLE1)}`)}, 'SELECT')` },
        {
          role: ROLE_A,
          d: { type: 'GrantStmt', grant: false, objtype: 'OBJECT_FUNCTION', objects: [[SCHEMA, FUNC]], privileges: ['execute'], grantees: [ROLE_A] },
          check: `has_function_privilege(${lit(ROLE_A)}, ${lit(`${q(SCHEMA)}.${q(FUNC)}(integer)`)}, 'EXECUTE')`,
        },
        { role: ROLE_B, d: tablePriv(false, SCHEMA, TABLE1, 'SELECT', ROLE_B, [COLUMN]), check: `has_column_privilege(${lit(ROLE_B)}, ${lit(`${q(SCHEMA)}.${q(TABLE1)}`)}, ${lit(COLUMN)}, 'SELECT')` },
        { role: ROLE_B, d: tablePriv(false, SCHEMA2, TABLE2, 'INSERT', ROLE_B), check: `has_table_privilege(${lit(ROLE_B)}, ${lit(`${q(SCHEMA2)}.${q(TABLE2)}`)}, 'INSERT')` },
      ];
      const texts: string[] = [];
      for (const role of [ROLE_A, ROLE_B]) {
        for (const p of await rolePrivileges(session, role)) {
          if (p.viaPublic || p.objectType === 'default' || p.objectType === 'database') continue;
          const text = revokeObjectPrivilege(role, p);
          assert.ok(text, `no REVOKE for ${JSON.stringify(p)}`);
          const d = describeSql(text);
          assert.equal(d.length, 1, text);
          const want = expected.find((e) => e.role === role && JSON.stringify(e.d) === JSON.stringify(d[0]));
          assert.ok(want, `unexpected statement ${JSON.stringify(d[0])} from ${text}`);
          texts.push(text);
        }
      }
      assert.equal(texts.length, expected.length, texts.join('\n'));
      // Run by the test (pgwarden never runs it): each privilege goes, nothing else does.
      for (const e of expected) assert.equal(pg.psql(`SELECT ${e.check}`).trim(), 't', e.check);
      pg.psql(texts.join('\n'));
      for (const e of expected) assert.equal(pg.psql(`SELECT ${e.check}`).trim(), 'f', e.check);
      assert.equal(pg.psql(`SELECT count(*) FROM pg_class WHERE relname IN ('victim', ${lit(TABLE1)}, ${lit(TABLE2)})`).trim(), '3');
      pg.psql(SEED.split('\n').filter((l) => /^GRANT (USAGE|SELECT|INSERT|EXECUTE)/.test(l)).join('\n'));
    });

    it('db/sqlgen: REVOKE text for effective privileges through a hostile group keeps every name inside its identifier or comment', async () => {
      const graph = await loadPrivilegeGraph(session);
      for (const role of [ROLE_A, ROLE_C]) {
        const eff = graph.effectivePrivileges(role).find((e) => e.schema === SCHEMA2 && e.table === TABLE2 && e.privilege === 'UPDATE');
        assert.deepEqual(eff?.via, [GROUP], role);
        const text = revokeEffective(role, eff!).join('\n');
        assert.deepEqual(describeSql(text), [tablePriv(false, SCHEMA2, TABLE2, 'UPDATE', GROUP), membership(false, GROUP, role)], text);
      }
      // For a superuser the answer is ALTER ROLE, under a comment naming the role.
      const su = revokeEffective(ROLE_C, { schema: SCHEMA2, table: TABLE2, privilege: 'UPDATE', via: [] }, true).join('\n');
      assert.deepEqual(describeSql(su), [{ type: 'AlterRoleStmt', grantees: [ROLE_C] }], su);
      // A hostile holder name with a line break: the comment that names it must stay a comment.
      const text = revokeEffective('alice', { schema: 'public', table: 'victim', privilege: 'SELECT', via: [ROLE_C] }).join('\n');
      assert.deepEqual(describeSql(text), [tablePriv(false, 'public', 'victim', 'SELECT', ROLE_C), membership(false, ROLE_C, 'alice')], text);
    });

    describe('through the language server (the text the role tree opens)', () => {
      let client: LspClient;
      const tree = async (ref: unknown): Promise<DbTreeNode[]> => {
        const r = (await client.conn.sendRequest(DbChildrenRequest, { id: 's', ref: ref as never, limit: 5000 })) as DbChildrenResult;
        assert.ok(r.ok, JSON.stringify(r));
        return r.items;
      };
      const generate = async (action: 'grant' | 'revoke', t: DbSqlTarget): Promise<string> => {
        const r = await client.conn.sendRequest(DbGenerateSqlRequest, { action, target: t });
        assert.ok(r.ok, `${action} ${JSON.stringify(t)}: ${JSON.stringify(r)}`);
        return (r as { sql: string }).sql;
      };

      before(async () => {
        client = await LspClient.start({ mode: 'pull', env: { PGPASSFILE: '/nonexistent/pgpass' } });
        await client.conn.sendNotification(DbTrustNotification, { trusted: true });
        const c = (await client.conn.sendRequest(DbConnectRequest, {
          id: 's',
          profile: { name: 's', host: '127.0.0.1', port: pg.port, database: 'postgres', user: 'postgres', sslmode: 'disable' },
          password: pg.password,
        })) as DbConnectResult;
        assert.equal(c.status, 'connected', JSON.stringify(c));
      });

      after(async () => {
        await client?.stop();
      });

      it('shows the hostile roles and tables with their exact names', async () => {
        const login = (await tree({ kind: 'roleGroup', group: 'login' })).map((n) => n.label);
        for (const r of [ROLE_A, ROLE_B, ROLE_C]) assert.ok(login.includes(r), r);
        assert.ok((await tree({ kind: 'roleGroup', group: 'group' })).some((n) => n.label === GROUP && n.role === GROUP));
        assert.deepEqual((await tree({ kind: 'schema', schema: SCHEMA2 })).map((n) => [n.label, n.table]), [[TABLE2, { schema: SCHEMA2, name: TABLE2 }]]);
      });

      it("every REVOKE and GRANT under a hostile role's privileges names exactly that object and role", async () => {
        const cases: Array<[string, Described]> = [
          [ROLE_A, { type: 'GrantStmt', grant: false, objtype: 'OBJECT_SCHEMA', objects: [[SCHEMA]], privileges: ['usage'], grantees: [ROLE_A] }],
          [ROLE_A, tablePriv(false, SCHEMA, TABLE1, 'DELETE', ROLE_A)],
          [ROLE_A, tablePriv(false, SCHEMA, TABLE1, 'SELECT', ROLE_A)],
          [ROLE_A, { type: 'GrantStmt', grant: false, objtype: 'OBJECT_FUNCTION', objects: [[SCHEMA, FUNC]], privileges: ['execute'], grantees: [ROLE_A] }],
          [ROLE_B, tablePriv(false, SCHEMA, TABLE1, 'SELECT', ROLE_B, [COLUMN])],
          [ROLE_B, tablePriv(false, SCHEMA2, TABLE2, 'INSERT', ROLE_B)],
          [ROLE_B, { type: 'AlterDefaultPrivilegesStmt', grant: false, objtype: 'OBJECT_TABLE', privileges: ['select'], grantees: [ROLE_B], forRoles: [ROLE_A], inSchemas: [DEFAULTS_SCHEMA] }],
        ];
        const seen: Described[] = [];
        let defaultsRevoke = '';
        for (const role of [ROLE_A, ROLE_B]) {
          for (const n of await tree({ kind: 'roleSection', role, section: 'privileges' })) {
            if (!n.sql || n.sql.kind !== 'privilege' || n.sql.grantee === 'PUBLIC' || n.sql.objectType === 'database') continue;
            const revokeText = await generate('revoke', n.sql);
            const revoke = describeSql(revokeText);
            assert.equal(revoke.length, 1);
            seen.push(revoke[0]);
            if (revoke[0].type === 'AlterDefaultPrivilegesStmt') defaultsRevoke = revokeText;
            const grant = describeSql(await generate('grant', n.sql));
            assert.deepEqual(grant, [{ ...revoke[0], grant: true }], 'the GRANT names the same objects');
          }
        }
        assert.deepEqual(
          seen.map((d) => JSON.stringify(d)).sort(),
          cases.map(([, d]) => JSON.stringify(d)).sort(),
        );
        // Run by the test: the default privilege in the schema named "x created by y" is gone.
        const defaults = () => pg.psql(`SELECT count(*) FROM pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace WHERE n.nspname = ${lit(DEFAULTS_SCHEMA)}`).trim();
        assert.equal(defaults(), '1');
        pg.psql(defaultsRevoke);
        assert.equal(defaults(), '0');
      });

      it('membership and effective-privilege statements through a hostile group, with a line break in a member name', async () => {
        for (const role of [ROLE_A, ROLE_C]) {
          const [m] = (await tree({ kind: 'roleSection', role, section: 'memberOf' })).filter((n) => n.sql?.kind === 'membership');
          assert.ok(m, role);
          assert.deepEqual(describeSql(await generate('revoke', m.sql!)), [membership(false, GROUP, role)]);
          const eff = (await tree({ kind: 'roleSection', role, section: 'effective' })).find(
            (n) => n.sql?.kind === 'effective' && n.sql.schema === SCHEMA2 && n.sql.table === TABLE2 && n.sql.privilege === 'UPDATE',
          );
          assert.ok(eff, role);
          // The REVOKE of the membership is the one statement; the grant's own REVOKE stays a comment.
          assert.deepEqual(describeSql(await generate('revoke', eff.sql!)), [membership(false, GROUP, role)]);
          assert.deepEqual(describeSql(await generate('grant', eff.sql!)), [{ ...tablePriv(true, SCHEMA2, TABLE2, 'UPDATE', role) }]);
        }
      });

      it("the table's grantees give REVOKE text for the hostile table in the hostile schema", async () => {
        // Grantees are grouped by role: each grantee node expands to its privileges.
        const nodes = [];
        for (const g of await tree({ kind: 'tableSection', schema: SCHEMA2, table: TABLE2, section: 'grantees' }))
          if (g.ref?.kind === 'grantee') nodes.push(...(await tree(g.ref)).filter((n) => n.sql?.kind === 'privilege'));
        assert.ok(nodes.length >= 2, 'privileges under the grantee nodes');
        const got = [];
        for (const n of nodes) got.push(...describeSql(await generate('revoke', n.sql!)));
        const want = [tablePriv(false, SCHEMA2, TABLE2, 'INSERT', ROLE_B), tablePriv(false, SCHEMA2, TABLE2, 'UPDATE', GROUP)];
        for (const w of want) assert.ok(got.some((g) => JSON.stringify(g) === JSON.stringify(w)), `${JSON.stringify(w)} not in ${JSON.stringify(got)}`);
      });
    });
  });

  describe('parameterized catalog queries', () => {
    /**
     * Finds SQL text in a TypeScript source that is built from anything but constants:
     * the first argument of every `.query(...)` call may only be literals, templates that
     * interpolate identifiers bound to constant SQL (followed recursively), calls of
     * constant SQL-building arrow functions with literal arguments, conditionals between
     * constants, `list.join(literal)` over lists of constants, and the constant `sql` of
     * a loop over a literal list. Returns "file:line: expression" for each offence.
     */
    function unsafeSql(fileName: string, source: string): string[] {
      const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
      const decls = new Map<string, ts.Expression>();
      /** Loop variables of `for (const b of LIST)`, by name: the list they iterate. */
      const loops = new Map<string, ts.Expression>();
      /** Arguments of every `name.push(...)` call, by array name. */
      const pushes = new Map<string, ts.Expression[]>();
      const collect = (n: ts.Node) => {
        if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && (n.parent.flags & ts.NodeFlags.Const) !== 0) {
          if (n.initializer) decls.set(n.name.text, n.initializer);
          else if (ts.isForOfStatement(n.parent.parent)) loops.set(n.name.text, n.parent.parent.expression);
        }
        if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'push' && ts.isIdentifier(n.expression.expression)) {
          const list = pushes.get(n.expression.expression.text) ?? [];
          list.push(...n.arguments);
          pushes.set(n.expression.expression.text, list);
        }
        ts.forEachChild(n, collect);
      };
      collect(sf);
      const problems: string[] = [];
      const where = (n: ts.Node) => `${fileName}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${n.getText().slice(0, 80)}`;
      const unwrap = (e: ts.Expression): ts.Expression => (ts.isAsExpression(e) || ts.isParenthesizedExpression(e) || ts.isSatisfiesExpression(e) ? unwrap(e.expression) : e);
      /** Whether `name` is an array of constant SQL: a literal list of constants, or an empty list only ever pushed constants. */
      const constantArray = (name: string, params: Set<string>, seen: Set<string>): boolean => {
        if (seen.has(name)) return false;
        const init = decls.get(name) && unwrap(decls.get(name)!);
        if (!init || !ts.isArrayLiteralExpression(init)) return false;
        const next = new Set([...seen, name]);
        return init.elements.every((el) => constant(el, params, next)) && (pushes.get(name) ?? []).every((a) => constant(a, params, next));
      };
      /** Whether every element of a literal list of objects has a constant `prop`. */
      const constantField = (list: ts.Expression, prop: string, seen: Set<string>): boolean => {
        const l = ts.isIdentifier(list) && decls.get(list.text) ? unwrap(decls.get(list.text)!) : list;
        if (!ts.isArrayLiteralExpression(l)) return false;
        return l.elements.every((el) => {
          if (!ts.isObjectLiteralExpression(el)) return false;
          const a = el.properties.find((x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && ts.isIdentifier(x.name) && x.name.text === prop);
          return a !== undefined && constant(a.initializer, new Set(), seen);
        });
      };
      /** Whether an expression is constant SQL; `params` are the parameters of a SQL-building arrow function. */
      const constant = (e: ts.Expression, params: Set<string>, seen: Set<string>): boolean => {
        e = unwrap(e);
        if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return true;
        if (ts.isTemplateExpression(e)) return e.templateSpans.every((s) => constant(s.expression, params, seen));
        if (ts.isConditionalExpression(e)) return constant(e.whenTrue, params, seen) && constant(e.whenFalse, params, seen);
        if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return constant(e.left, params, seen) && constant(e.right, params, seen);
        if (ts.isIdentifier(e)) {
          // A parameter of a SQL-building arrow function: its call sites must pass literals (checked below).
          if (params.has(e.text)) return true;
          if (seen.has(e.text)) return false;
          const init = decls.get(e.text);
          return init !== undefined && constant(init, params, new Set([...seen, e.text]));
        }
        // `list.join(', ')` over a list of constants.
        if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'join' && ts.isIdentifier(e.expression.expression)) {
          return e.arguments.every((a) => ts.isStringLiteral(a)) && constantArray(e.expression.expression.text, params, seen);
        }
        // `b.sql` where b runs over a literal list of objects whose `sql` is constant.
        if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && loops.has(e.expression.text)) {
          return constantField(loops.get(e.expression.text)!, e.name.text, seen);
        }
        if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) {
          const init = decls.get(e.expression.text);
          if (!init || !ts.isArrowFunction(init) || !ts.isExpression(init.body)) return false;
          const ps = new Set(init.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : '')));
          return e.arguments.every((a) => ts.isStringLiteral(a)) && constant(init.body, ps, seen);
        }
        return false;
      };
      const visit = (n: ts.Node) => {
        if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'query' && n.arguments.length) {
          // Session.query hands its (already checked) text to the driver: that one call is the exception.
          const toDriver = n.expression.expression.getText() === 'this.client';
          if (!toDriver && !constant(n.arguments[0], new Set(), new Set())) problems.push(where(n.arguments[0]));
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
      return problems;
    }

    it('the check catches a value interpolated into query text, directly or through a constant', () => {
      const bad = [
        'async function f(session, name) { return session.query(`SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = \'${name}\'`); }',
        "async function f(session, name) { const where = `r.rolname = '${name}'`; return session.query(`SELECT 1 FROM pg_catalog.pg_roles r WHERE ${where}`); }",
        "async function f(session, name) { return session.query('SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = ' + name); }",
        'const F = (n) => `${n}.x`; async function g(session, t) { return session.query(`SELECT ${F(t)} FROM x`); }',
        "async function f(session, name) { let text = 'SELECT 1'; return session.query(text); }",
        "async function f(session, name) { const parts = ['SELECT 1']; parts.push(name); return session.query(parts.join(' ')); }",
        "const B = [{ sql: 'SELECT 1' }, { sql: name }]; async function f(session) { const p = []; for (const b of B) p.push(b.sql); return session.query(p.join(' UNION ')); }",
      ];
      for (const src of bad) assert.equal(unsafeSql('sample.ts', src).length > 0, true, src);
      const good = [
        'const COLS = `r.oid, r.rolname`; async function f(session, name) { return session.query(`SELECT ${COLS} FROM pg_catalog.pg_roles r WHERE r.rolname = $1`, [name]); }',
        "const U = (n) => `${n}.nspname <> 'pg_catalog'`; async function f(session, ok) { const x = ok ? 'a' : 'NULL'; return session.query(`SELECT ${x} FROM n WHERE ${U('n')}`); }",
        "const B = [{ sql: 'SELECT 1' }, { sql: `SELECT 2` }]; async function f(session) { const p: string[] = []; for (const b of B) p.push(b.sql); return session.query(`${p.join(' UNION ')}`); }",
      ];
      for (const src of good) assert.deepEqual(unsafeSql('sample.ts', src), [], src);
    });

    it('server/src/db/*.ts (and every other source file) builds query text from constants only; every value travels as a bind parameter', () => {
      const dir = join(ROOT, 'server/src/db');
      const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
      assert.ok(files.includes('catalog.ts') && files.includes('audit.ts') && files.includes('session.ts'));
      const problems = files.flatMap((f) => unsafeSql(f, readFileSync(join(dir, f), 'utf8')));
      assert.deepEqual(problems, []);
      // A query added anywhere else in the product is held to the same rule.
      const elsewhere = ['server/src', 'client/src']
        .flatMap((d) => (readdirSync(join(ROOT, d), { recursive: true }) as string[]).map((f) => join(d, f)))
        .filter((f) => f.endsWith('.ts') && !f.startsWith('server/src/db/'));
      assert.ok(elsewhere.length > 20);
      assert.deepEqual(elsewhere.flatMap((f) => unsafeSql(f, readFileSync(join(ROOT, f), 'utf8'))), []);
      // The check saw the catalog's queries (it is not vacuous): catalog.ts has many.
      const calls = (readFileSync(join(dir, 'catalog.ts'), 'utf8').match(/session\.query[<(]/g) ?? []).length;
      assert.ok(calls >= 15, `only ${calls} queries found in catalog.ts`);
    });
  });

  describe('read-only sessions', () => {
    const writes: Array<[string, string, unknown[]]> = [
      ['INSERT (simple protocol)', 'INSERT INTO public.victim VALUES (1)', []],
      ['INSERT (bind parameters)', 'INSERT INTO public.victim VALUES ($1)', [2]],
      ['CREATE TABLE', 'CREATE TABLE public.made_by_pgwarden (x int)', []],
      ['GRANT', 'GRANT SELECT ON public.victim TO PUBLIC', []],
      ['ALTER ROLE', `ALTER ROLE ${q(ROLE_A)} SUPERUSER`, []],
      ['DROP TABLE', 'DROP TABLE public.victim', []],
    ];
    for (const [what, sql, values] of writes) {
      it(`refuses ${what}: 25006, kind readonly`, async () => {
        let err: unknown;
        try {
          await session.query(sql, values);
        } catch (e) {
          err = e;
        }
        assert.ok(err instanceof DbError, String(err));
        assert.equal(err.code, '25006');
        assert.equal(err.kind, 'readonly');
        assert.match(err.message, /^the pgwarden session is read-only: cannot execute \w+( \w+)? in a read-only transaction$/);
      });
    }
    it('left the server unchanged', () => {
      assert.equal(pg.psql('SELECT count(*) FROM public.victim').trim(), '0');
      assert.equal(pg.psql(`SELECT count(*) FROM pg_class WHERE relname = 'made_by_pgwarden'`).trim(), '0');
      assert.equal(pg.psql(`SELECT rolsuper FROM pg_roles WHERE rolname = ${lit(ROLE_A)}`).trim(), 'f');
      assert.equal(pg.psql(`SELECT has_table_privilege('public', 'public.victim', 'SELECT')`).trim(), 'f');
    });
  });

  describe('passwords stay out of errors and logs', () => {
    const SECRET = 'Zx-Distinctive-Secret-7731';

    /** Runs `fn` while recording everything written to the console and to stdout/stderr. */
    async function captureOutput(fn: () => Promise<void>): Promise<string> {
      const chunks: string[] = [];
      const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
      const saved = methods.map((m) => console[m]);
      const out = process.stdout.write;
      const err = process.stderr.write;
      for (const m of methods) console[m] = (...args: unknown[]) => void chunks.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 5 }))).join(' '));
      const grab = (chunk: unknown) => {
        chunks.push(String(chunk));
        return true;
      };
      process.stdout.write = grab as typeof process.stdout.write;
      process.stderr.write = grab as typeof process.stderr.write;
      try {
        await fn();
      } finally {
        methods.forEach((m, i) => (console[m] = saved[i] as never));
        process.stdout.write = out;
        process.stderr.write = err;
      }
      return chunks.join('\n');
    }

    it('no failing connect puts the password in its error, stack, inspection or any output', async () => {
      pg.psql(`CREATE ROLE pwuser LOGIN PASSWORD ${lit('the-right-one-' + SECRET.slice(0, 4))}`);
      const hole = await blackHole();
      const failures: DbError[] = [];
      try {
        const output = await captureOutput(async () => {
          const attempts: Array<Promise<unknown>> = [
            // 28P01: the wrong password, through SCRAM.
            connect(target(pg.port, { user: 'pwuser' }), async () => SECRET, { env: cleanEnv() }),
            // The server is down.
            connect(target(await closedPort(), { user: 'pwuser' }), async () => SECRET, { env: cleanEnv() }),
            // TLS demanded from a server without it.
            connect(target(pg.port, { user: 'pwuser', sslmode: 'require' }), async () => SECRET, { env: cleanEnv() }),
            // A server that never answers.
            connect(target(hole.port, { user: 'pwuser' }), async () => SECRET, { env: cleanEnv(), connectTimeoutMs: 300 }),
            // No password at all.
            connect(target(pg.port, { user: 'pwuser' }), async () => undefined, { env: cleanEnv() }),
          ];
          for (const a of attempts) {
            try {
              await a;
              assert.fail('connected');
            } catch (e) {
              assert.ok(e instanceof DbError, String(e));
              failures.push(e);
            }
          }
        });
        assert.deepEqual(failures.map((f) => f.kind), ['auth', 'refused', 'tls', 'timeout', 'auth']);
        for (const f of failures) {
          for (const text of [f.message, String(f.stack), inspect(f, { depth: 10, showHidden: true }), JSON.stringify(f)]) {
            assert.ok(!text.includes(SECRET), `the password leaked: ${text}`);
          }
        }
        assert.ok(!output.includes(SECRET), `the password reached the console: ${output}`);
      } finally {
        hole.close();
      }
    });
  });
});
