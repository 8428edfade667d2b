// Statements nested in DO blocks, routine bodies and constant EXECUTE strings: rules see
// them, findings land at their exact place inside the body, and DO blocks count as facts.

import assert from 'node:assert/strict';
import { defaultConfig, PgwardenConfig } from '../../../server/src/core/config';
import { analyzeSql, lintAnalyzedSql } from '../../../server/src/core/lint';
import { loadParser } from '../../../server/src/core/sql/parser';
import { Workspace } from '../../../server/src/core/workspace';
import { findingsOf } from '../rules/harness';
import { modelOf } from './support';

/** 1-based line and column of a finding's start and end. */
function where(code: string, f: { start: number; end: number }): string {
  const pos = (o: number) => {
    const before = code.slice(0, o).split('\n');
    return `${before.length}:${before[before.length - 1].length + 1}`;
  };
  return `${pos(f.start)}-${pos(f.end)}`;
}

const found = (rule: string, code: string, config?: Partial<PgwardenConfig>) =>
  findingsOf(rule, { code, config }).map((f) => `${where(code, f)} ${code.slice(f.start, f.end)}${f.fixes ? ' (fix)' : ''}`);
/** missing-rls judges every table of schema public only when rls.schemas says so (or the project uses RLS). */
const rlsEverywhere = { rlsSchemas: ['public'] };

describe('nested SQL', () => {
  before(() => loadParser());

  it('sees GRANT postgres TO authenticator inside a DO block, at its place', () => {
    const code = 'DO $$\nBEGIN\n  GRANT postgres TO authenticator;\nEND $$;';
    assert.deepEqual(found('superuser-use', code), ['3:9-3:17 postgres']);
  });

  it('sees GRANT ALL built in a constant EXECUTE string, at ALL inside the string', () => {
    const code = "DO $do$\nBEGIN\n  EXECUTE 'GRANT ALL ON TABLE t TO anon';\nEND $do$;";
    assert.deepEqual(found('grant-all', code), ['3:18-3:21 ALL']);
  });

  it('follows format() with a constant format string and constant %I/%s arguments', () => {
    const code = "DO $$\nBEGIN\n  EXECUTE format('GRANT %s ON %I TO %s', 'SELECT', 'Orders', 'PUBLIC');\nEND $$;";
    // PUBLIC is substituted from the third argument: the finding points at that literal.
    assert.deepEqual(found('grant-to-public', code), ['3:63-3:69 PUBLIC']);
  });

  it('follows a concatenation of constants, and a doubled-quote body, mapping back through the quoting', () => {
    const code = "DO 'BEGIN EXECUTE ''GRANT SELECT ON t '' || ''TO PUBLIC''; END';";
    assert.deepEqual(found('grant-to-public', code), ['1:50-1:56 PUBLIC']);
  });

  it('maps through E-string escapes', () => {
    const code = "DO E'BEGIN\\n  EXECUTE \\'GRANT SELECT ON t TO PUBLIC\\';\\nEND';";
    assert.deepEqual(found('grant-to-public', code), ['1:46-1:52 PUBLIC']);
  });

  it('sees COPY ... FROM PROGRAM inside a plpgsql function and a LANGUAGE sql function', () => {
    const code = "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  COPY t FROM PROGRAM 'curl http://x';\nEND $$;\nCREATE FUNCTION g() RETURNS void LANGUAGE sql AS $$ COPY t TO PROGRAM 'gzip > /tmp/t' $$;";
    assert.deepEqual(found('copy-program', code), ["3:15-3:38 PROGRAM 'curl http://x'", "5:63-5:86 PROGRAM 'gzip > /tmp/t'"]);
  });

  it('ALTER TABLE ... ENABLE ROW LEVEL SECURITY inside a DO block clears missing-rls; inside a function body it does not', () => {
    const table = 'CREATE TABLE t (id int);\n';
    assert.deepEqual(found('missing-rls', table + "DO $$ BEGIN EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', 't'); END $$;", rlsEverywhere), []);
    assert.deepEqual(found('missing-rls', table + 'DO $$ BEGIN ALTER TABLE t ENABLE ROW LEVEL SECURITY; END $$;', rlsEverywhere), []);
    assert.deepEqual(found('missing-rls', table + 'CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN ALTER TABLE t ENABLE ROW LEVEL SECURITY; END $$;', rlsEverywhere), ['1:14-1:15 t (fix)']);
  });

  it('keeps fixes inside dollar-quoted bodies and drops them for EXECUTE strings', () => {
    const body = 'DO $$ BEGIN CREATE TABLE t (id int); END $$;';
    assert.deepEqual(found('missing-rls', body, rlsEverywhere), ['1:26-1:27 t (fix)']);
    const exec = "DO $$ BEGIN EXECUTE 'CREATE TABLE t (id int)'; END $$;";
    assert.deepEqual(found('missing-rls', exec, rlsEverywhere), ['1:35-1:36 t']);
  });

  it('records an EXECUTE of a string built at run time in a DO block as unknown, at the EXECUTE expression', () => {
    const code = "DO $$ DECLARE tbl text := 't'; BEGIN EXECUTE 'GRANT SELECT ON ' || tbl || ' TO anon'; END $$;";
    const m = modelOf({ 'a.sql': code });
    assert.deepEqual(
      m.state.unknowns.map((u) => `${where(code, u.at)} ${u.reason}`),
      ["1:46-1:85 EXECUTE of a string built at run time"],
    );
    assert.deepEqual(found('grant-to-public', code), []);
  });

  it('expands FOREACH over a constant array: each EXECUTE runs once per element, placed at the element', () => {
    const code =
      "CREATE FUNCTION s.f(bytea) RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ SELECT 1 $$;\n" +
      "CREATE FUNCTION s.g(uuid) RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ SELECT 1 $$;\n" +
      'DO $$\nDECLARE func text;\nBEGIN\n  FOREACH func IN ARRAY ARRAY[\n    \'s.f(bytea)\',\n    \'s.g(uuid)\'\n  ] LOOP\n' +
      "    EXECUTE pg_catalog.format($i$ REVOKE ALL ON FUNCTION %s FROM PUBLIC; GRANT EXECUTE ON FUNCTION %s TO keyiduser; $i$, func, func);\n  END LOOP;\nEND $$;";
    const m = modelOf({ 'a.sql': code });
    assert.deepEqual(m.state.unknowns, []);
    for (const name of ['f', 'g']) {
      const [fn] = m.functions({ schema: 's', name });
      assert.equal(m.executableBy(fn), false, `${name} revoked from PUBLIC`);
      assert.equal(m.executableBy(fn, 'keyiduser'), true, `${name} granted to keyiduser`);
    }
    assert.deepEqual(found('definer-public-execute', code), []);
    // A GRANT ALL in such a loop is found once per element, on ALL in the format string, each naming its table.
    const grant = "DO $$ DECLARE t text; BEGIN FOREACH t IN ARRAY ARRAY['a', 'b'] LOOP EXECUTE format('GRANT ALL ON %I TO anon', t); END LOOP; END $$;";
    assert.deepEqual(found('grant-all', grant), ['1:91-1:94 ALL', '1:91-1:94 ALL']);
    assert.deepEqual(findingsOf('grant-all', { code: grant }).map((f) => /on table "(\w)"/.exec(f.message)?.[1]), ['a', 'b']);
  });

  it('leaves an EXECUTE in a FOREACH over a computed array unknown', () => {
    const code = "DO $$ DECLARE t text; BEGIN FOREACH t IN ARRAY (SELECT array_agg(relname) FROM pg_class) LOOP EXECUTE format('GRANT ALL ON %I TO anon', t); END LOOP; END $$;";
    assert.deepEqual(modelOf({ 'a.sql': code }).state.unknowns.map((u) => u.reason), ['EXECUTE of a string built at run time']);
  });

  it('a statement marked as expected to fail (-- error) counts as no fact', () => {
    const m = modelOf({ 'a.sql': 'CREATE TABLE t (id int);\nGRANT SELECT ON t TO anon; -- error, no such role\nGRANT SELECT ON t TO web;' });
    assert.deepEqual(m.tableGrantees({ name: 't' }), ['web']);
  });

  it('DO block effects count in the declared state; routine bodies do not', () => {
    const m = modelOf({
      'a.sql': "CREATE TABLE t (id int);\nDO $$ BEGIN EXECUTE 'GRANT SELECT ON t TO anon'; GRANT a TO b; END $$;\nCREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ GRANT UPDATE ON t TO web $$;",
    });
    assert.deepEqual(m.tableGrantees({ name: 't' }), ['anon']);
    assert.deepEqual([...m.state.memberships.keys()], ['a\u0000b']);
  });

  it('keeps nested findings in place when an edit above moves the DO block (per-statement memo)', () => {
    const code = 'DO $$\nBEGIN\n  GRANT postgres TO authenticator;\nEND $$;';
    const ws = new Workspace();
    const cfg = defaultConfig();
    const first = analyzeSql('file:///a.sql', code);
    ws.setFile('file:///a.sql', first.facts);
    const before = lintAnalyzedSql(first, ws, cfg).filter((f) => f.ruleId === 'superuser-use');
    const edited = 'SELECT 1;\n' + code;
    const second = analyzeSql('file:///a.sql', edited, first.cache);
    ws.setFile('file:///a.sql', second.facts);
    const after = lintAnalyzedSql(second, ws, cfg).filter((f) => f.ruleId === 'superuser-use');
    assert.deepEqual(before.map((f) => where(code, f)), ['3:9-3:17']);
    assert.deepEqual(after.map((f) => where(edited, f)), ['4:9-4:17']);
    assert.equal(second.facts.effects.find((e) => e.op === 'grant_role')?.start, edited.indexOf('GRANT'));
  });
});
