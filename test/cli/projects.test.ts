// Project roots, configuration discovery, migration layouts and --help through the built
// CLI on real files: exact findings (file, line, column, rule) and exit codes.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const BIN = resolve(__dirname, '../../bin/pgwarden.js');

function pgwarden(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The findings of a JSON run as `file:line:col rule`, files relative to `dir`. */
function found(args: string[], dir: string): string[] {
  const r = pgwarden(['lint', '--format', 'json', ...args], dir);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  return (JSON.parse(r.stdout).findings as Array<{ file: string; line: number; column: number; ruleId: string }>).map(
    (f) => `${f.file.startsWith(dir) ? f.file.slice(dir.length + 1) : f.file}:${f.line}:${f.column} ${f.ruleId}`,
  );
}

describe('pgwarden lint: projects, layouts and help (CLI)', function () {
  this.timeout(60_000);
  let dir: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-projects-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps projects given as separate paths apart: one project\'s default-privilege revoke does not silence another', () => {
    write('a/init.sql', 'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\nCREATE FUNCTION a_f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ select 1 $$;\n');
    write('b/init.sql', 'CREATE FUNCTION b_f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ select 1 $$;\n');
    const alone = found(['b'], dir);
    assert.deepEqual(alone, ['b/init.sql:1:17 definer-public-execute']);
    assert.deepEqual(found(['a', 'b'], dir), alone);
  });

  it('reads each file\'s nearest pgwarden.json, not the one of the working directory', () => {
    write('pgwarden.json', '{"rules": {"grant-to-public": "error"}}');
    write('a/pgwarden.json', '{"rules": {"grant-to-public": "off"}}');
    write('a/db/grants.sql', 'GRANT SELECT ON t TO PUBLIC;\n');
    write('b/grants.sql', 'GRANT SELECT ON t TO PUBLIC;\n');
    // Run from a/ (whose pgwarden.json turns the rule off): b's file still gets the top one.
    const r = pgwarden(['lint', '--format', 'json', 'db', '../b'], join(dir, 'a'));
    assert.deepEqual(
      (JSON.parse(r.stdout).findings as Array<{ file: string; ruleId: string; severity: string }>).map((f) => [f.file, f.ruleId, f.severity]),
      [['../b/grants.sql', 'grant-to-public', 'error']],
    );
    assert.equal(r.code, 1);
  });

  it('reports a bad pgwarden.json setting with its file and exits 2', () => {
    write('p/pgwarden.json', '{"placeholders": ["("]}');
    write('p/x.sql', 'select 1;\n');
    const r = pgwarden(['lint', 'p'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /pgwarden\.json: placeholder "\(" is not a valid regular expression/);
  });

  it('lints a templated project with no syntax error once its placeholders are declared', () => {
    write('t/db/grants.sql', 'GRANT SELECT ON {{ .Schema }}.t TO PUBLIC;\nREVOKE ALL ON ${schema}.u FROM PUBLIC;\n');
    assert.deepEqual(found(['t'], dir), ['t/db/grants.sql:1:17 syntax-error', 't/db/grants.sql:2:15 syntax-error']);
    write('t/pgwarden.json', JSON.stringify({ placeholders: ['\\{\\{[^}]*\\}\\}', '\\$\\{\\w+\\}'] }));
    assert.deepEqual(found(['t'], dir), ['t/db/grants.sql:1:36 grant-to-public']);
  });

  it('parses extension scripts with no configuration and shows placeholders as written', () => {
    write('ext/x--1.0.sql', '\\echo Use "CREATE EXTENSION x" to load this file. \\quit\nCREATE SCHEMA s;\nGRANT ALL ON ALL TABLES IN SCHEMA @extschema@ TO PUBLIC;\n');
    const r = pgwarden(['lint', 'ext'], dir);
    assert.match(r.stdout, /^ext\/x--1\.0\.sql:3:7 {2}warning {2}GRANT ALL on all tables in schema "@extschema@" /m);
    assert.doesNotMatch(r.stdout, /syntax-error|_extschema_/);
  });

  it('ends a goose Up section without a semicolon at the Down marker', () => {
    write('g/migrations/00001_init.sql', '-- +goose Up\nCREATE INDEX a_id ON a (id)\n-- +goose Down\nDROP INDEX a_id;\n');
    const r = pgwarden(['lint', 'g'], dir);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'No findings in 1 file(s): 0 error(s), 0 warning(s), 0 info/hint(s)\n');
  });

  it('reports a finding a pg_dump repeats from a migration once, on the migration', () => {
    write('d/migrations/1_init.sql', 'CREATE TABLE accounts (id int);\nGRANT SELECT ON accounts TO PUBLIC;\n');
    write('d/schema.sql', '--\n-- PostgreSQL database dump\n--\nCREATE TABLE public.accounts (id integer);\nGRANT SELECT ON TABLE public.accounts TO PUBLIC;\nGRANT SELECT ON TABLE public.audit TO PUBLIC;\n');
    // (No missing-rls: the project uses no row-level security.)
    assert.deepEqual(found(['d'], dir), ['d/migrations/1_init.sql:2:29 grant-to-public', 'd/schema.sql:6:39 grant-to-public']);
  });

  it('prints usage and exits 0 for --help, on its own and after a command', () => {
    for (const args of [['--help'], ['lint', '--help'], ['lint', '-h', 'x'], ['roles', '--help']]) {
      const r = pgwarden(args, dir);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /usage:\n {2}pgwarden /, args.join(' '));
    }
    assert.match(pgwarden(['lint', '--help'], dir).stdout, /Each PATH .* is a\nproject root of its own/);
    assert.equal(pgwarden(['lint', '--', '--help'], dir).code, 2);
  });
});
