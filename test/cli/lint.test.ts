// The `pgwarden lint` command as CI runs it: the built bin, real files, exit codes,
// text, JSON and SARIF output, --fix, --max-warnings and --config.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '../../bin/pgwarden.js');

function pgwarden(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('pgwarden lint (CLI)', function () {
  this.timeout(30_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 with a summary on a clean file', () => {
    writeFileSync(join(dir, 'ok.sql'), 'GRANT SELECT ON t TO app;\n');
    const r = pgwarden(['lint', 'ok.sql'], dir);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'No findings in 1 file(s): 0 error(s), 0 warning(s), 0 info/hint(s)\n');
  });

  it('prints one line per finding and exits 1 on an error', () => {
    writeFileSync(join(dir, 'bad.sql'), 'GRANT SELECT ON t TO PUBLIC;\nCREATE ROLE r SUPERUSER;\n');
    const r = pgwarden(['lint', 'bad.sql'], dir);
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^bad\.sql:1:22  warning  GRANT to PUBLIC .*  grant-to-public$/);
    assert.match(lines[1], /^bad\.sql:2:15  error  Role "r" is given SUPERUSER.*  superuser-role$/);
    assert.equal(lines[2], '2 finding(s) in 1 file(s): 1 error(s), 1 warning(s), 0 info/hint(s)');
  });

  it('exits 0 on warnings unless --max-warnings is exceeded', () => {
    writeFileSync(join(dir, 'w.sql'), 'GRANT SELECT ON t TO PUBLIC;\n');
    assert.equal(pgwarden(['lint', 'w.sql'], dir).code, 0);
    assert.equal(pgwarden(['lint', '--max-warnings', '1', 'w.sql'], dir).code, 0);
    assert.equal(pgwarden(['lint', '--max-warnings=0', 'w.sql'], dir).code, 1);
  });

  it('prints the JSON shape with 1-based positions and files as found under a directory', () => {
    mkdirSync(join(dir, 'db', 'migrations'), { recursive: true });
    writeFileSync(join(dir, 'db', 'migrations', '001.sql'), "SELECT '日本🙂'; GRANT ALL ON t TO PUBLIC;\n");
    writeFileSync(join(dir, 'db', 'notes.txt'), 'GRANT SELECT ON t TO PUBLIC;\n');
    writeFileSync(join(dir, 'pgwarden.json'), JSON.stringify({ rules: { 'grant-all': 'off' } }));
    const r = pgwarden(['lint', '--format', 'json', 'db'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      findings: [
        {
          file: 'db/migrations/001.sql',
          ruleId: 'grant-to-public',
          severity: 'warning',
          message: 'GRANT to PUBLIC gives this privilege to every role, including roles created later. Grant to a named role.',
          line: 1,
          column: 34,
          endLine: 1,
          endColumn: 40,
        },
      ],
    });
  });

  it('prints SARIF 2.1.0 with rule metadata and help links', () => {
    writeFileSync(join(dir, 'bad.sql'), 'CREATE ROLE r SUPERUSER;\n');
    const r = pgwarden(['lint', '--format', 'sarif', 'bad.sql'], dir);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'pgwarden');
    assert.deepEqual(run.tool.driver.rules.map((x: any) => [x.id, x.helpUri]), [
      ['superuser-role', 'https://github.com/pgwarden/pgwarden/blob/main/docs/rules/superuser-role.md'],
    ]);
    assert.deepEqual(run.results.map((x: any) => [x.ruleId, x.ruleIndex, x.level, x.locations[0].physicalLocation]), [
      ['superuser-role', 0, 'error', { artifactLocation: { uri: 'bad.sql' }, region: { startLine: 1, startColumn: 15, endLine: 1, endColumn: 24 } }],
    ]);
  });

  it('--fix writes preferred fixes in place and reports what remains', () => {
    const file = join(dir, 'fix.sql');
    writeFileSync(file, 'CREATE ROLE r SUPERUSER;\nGRANT SELECT ON t TO PUBLIC;\n');
    const r = pgwarden(['lint', '--fix', '--format', 'json', 'fix.sql'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(file, 'utf8'), 'CREATE ROLE r NOSUPERUSER;\nGRANT SELECT ON t TO PUBLIC;\n');
    assert.deepEqual(JSON.parse(r.stdout).findings.map((f: any) => f.ruleId), ['grant-to-public']);
  });

  it('exits 2 with a one-line reason for bad usage, missing files and broken config', () => {
    writeFileSync(join(dir, 'a.sql'), 'SELECT 1;\n');
    const cases: Array<[string[], RegExp]> = [
      [['lint', '--bogus', 'a.sql'], /^pgwarden: unknown option --bogus$/m],
      [['lint'], /^pgwarden: no PATH given$/m],
      [['lint', 'missing.sql'], /^pgwarden: no such file or directory: missing\.sql$/m],
      [['lint', '--format', 'xml', 'a.sql'], /^pgwarden: unknown --format "xml"/m],
      [['frobnicate'], /^pgwarden: unknown command "frobnicate"/m],
    ];
    for (const [args, re] of cases) {
      const r = pgwarden(args, dir);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, re);
      assert.equal(r.stdout, '');
    }
    writeFileSync(join(dir, 'broken.json'), '{ "rules": ');
    const r = pgwarden(['lint', '--config', 'broken.json', 'a.sql'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^pgwarden: .*broken\.json: pgwarden\.json is not valid JSON/);
  });

  it('keeps checking the other statements of a file with a syntax error', () => {
    writeFileSync(join(dir, 's.sql'), 'SELECT FROM FROM;\nCREATE ROLE r SUPERUSER;\n');
    const r = pgwarden(['lint', '--format', 'json', 's.sql'], dir);
    assert.equal(r.code, 1);
    assert.deepEqual(
      JSON.parse(r.stdout).findings.map((f: any) => [f.ruleId, f.line, f.column]),
      [
        ['syntax-error', 1, 13],
        ['superuser-role', 2, 15],
      ],
    );
  });
});
