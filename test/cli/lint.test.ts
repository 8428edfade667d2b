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
      // notes.txt is not linted: one file.
      summary: { files: 1, findings: 1, bySeverity: { error: 0, warning: 1, info: 0, hint: 0 } },
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
    assert.deepEqual(run.tool.driver.rules.map((x: any) => [x.id, x.helpUri, x.properties]), [
      // security-severity makes code scanning rank it as a security alert (8.0: high).
      ['superuser-role', 'https://github.com/pgwarden/pgwarden/blob/main/docs/rules/superuser-role.md', { 'security-severity': '8.0', tags: ['security'] }],
    ]);
    assert.deepEqual(run.results.map((x: any) => [x.ruleId, x.ruleIndex, x.level, x.locations[0].physicalLocation]), [
      ['superuser-role', 0, 'error', { artifactLocation: { uri: 'bad.sql' }, region: { startLine: 1, startColumn: 15, endLine: 1, endColumn: 24 } }],
    ]);
  });

  describe('--fix, --unsafe-fixes and --diff', () => {
    // md5, trust, ssl = off and a table without RLS: every fix here can lock someone out
    // or stop the server, so plain --fix must leave them all alone. The duplicate hba
    // record and the overridden conf line are dead text: deleting them is safe.
    const FILES: Record<string, string> = {
      'schema.sql':
        'CREATE TABLE notes (id int, owner text);\n' +
        'ALTER TABLE notes ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;\n' +
        'CREATE POLICY own ON notes TO app USING (owner = current_user);\n' +
        'GRANT SELECT ON notes TO app;\n' +
        'CREATE TABLE accounts (id int, email text);\n' +
        'GRANT SELECT ON accounts TO app;\n' +
        'CREATE ROLE admin SUPERUSER;\n',
      'pg_hba.conf': 'local   all   all                 trust\nhost    all   all   10.0.0.0/8    md5\nhost    all   all   10.0.0.0/8    md5\n',
      'postgresql.conf': 'ssl = off\nlog_connections = off\nlog_connections = on\n',
    };
    const write = () => {
      for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
    };
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');

    it('--fix applies only safe fixes, says what it changed on stderr, and counts the unsafe ones it left', () => {
      write();
      const r = pgwarden(['lint', '--fix', '--format', 'json', '.'], dir);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(read('schema.sql'), FILES['schema.sql']);
      assert.equal(read('pg_hba.conf'), 'local   all   all                 trust\nhost    all   all   10.0.0.0/8    md5\n');
      assert.equal(read('postgresql.conf'), 'ssl = off\nlog_connections = on\n');
      assert.equal(
        r.stderr,
        'fixed ./pg_hba.conf:3:1  hba-duplicate  Delete this record\n' +
          'fixed ./postgresql.conf:2:1  conf-overridden  Delete the overridden log_connections line\n' +
          '6 unsafe fix(es) not applied: they can change what the running system accepts; review them in the editor, or add --unsafe-fixes\n',
      );
      // stdout stays the JSON report of what remains.
      const left = JSON.parse(r.stdout).findings.map((f: any) => `${f.file}:${f.line} ${f.ruleId}`);
      assert.ok(left.includes('./pg_hba.conf:2 hba-md5') && left.includes('./schema.sql:5 missing-rls') && left.includes('./postgresql.conf:1 conf-ssl'), left.join(', '));
    });

    it('--fix --unsafe-fixes changes every one of them, with the consequence in each line', () => {
      write();
      const r = pgwarden(['lint', '--fix', '--unsafe-fixes', '.'], dir);
      assert.equal(
        read('schema.sql'),
        'CREATE TABLE notes (id int, owner text);\n' +
          'ALTER TABLE notes ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;\n' +
          'CREATE POLICY own ON notes TO app USING (owner = current_user);\n' +
          'GRANT SELECT ON notes TO app;\n' +
          'CREATE TABLE accounts (id int, email text);\n' +
          'ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;\n' +
          'GRANT SELECT ON accounts TO app;\n' +
          'CREATE ROLE admin NOSUPERUSER;\n',
      );
      assert.equal(read('pg_hba.conf'), 'local   all   all                 peer\nhostssl    all   all   10.0.0.0/8    scram-sha-256\n');
      assert.equal(read('postgresql.conf'), 'ssl = on\nlog_connections = on\n');
      assert.match(r.stderr, /^fixed \.\/pg_hba\.conf:2:35  hba-md5  Use scram-sha-256 \(unsafe: locks out roles whose stored password hash is md5/m);
      assert.match(r.stderr, /^fixed \.\/postgresql\.conf:1:7  conf-ssl  Set ssl to on \(unsafe: the server does not start without a certificate and key/m);
      assert.match(r.stderr, /^fixed \.\/schema\.sql:5:14  missing-rls  Enable row-level security on accounts \(unsafe: with no policy, every role but the owner/m);
      assert.doesNotMatch(r.stderr, /not applied/);
    });

    it('--diff prints a unified diff, writes nothing, and exits 1 when there is a change', () => {
      write();
      const r = pgwarden(['lint', '--diff', '.'], dir);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(
        r.stdout,
        '--- a/pg_hba.conf\n+++ b/pg_hba.conf\n@@ -1,3 +1,2 @@\n local   all   all                 trust\n host    all   all   10.0.0.0/8    md5\n-host    all   all   10.0.0.0/8    md5\n' +
          '--- a/postgresql.conf\n+++ b/postgresql.conf\n@@ -1,3 +1,2 @@\n ssl = off\n-log_connections = off\n log_connections = on\n',
      );
      for (const [name, text] of Object.entries(FILES)) assert.equal(read(name), text, `${name} was written`);
      const unsafe = pgwarden(['lint', '--diff', '--unsafe-fixes', 'schema.sql'], dir);
      assert.equal(
        unsafe.stdout,
        '--- a/schema.sql\n+++ b/schema.sql\n@@ -2,6 +2,7 @@\n ALTER TABLE notes ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;\n' +
          ' CREATE POLICY own ON notes TO app USING (owner = current_user);\n GRANT SELECT ON notes TO app;\n CREATE TABLE accounts (id int, email text);\n+ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;\n GRANT SELECT ON accounts TO app;\n-CREATE ROLE admin SUPERUSER;\n+CREATE ROLE admin NOSUPERUSER;\n',
      );
      writeFileSync(join(dir, 'clean.sql'), 'SELECT 1;\n');
      const clean = pgwarden(['lint', '--diff', 'clean.sql'], dir);
      assert.deepEqual([clean.code, clean.stdout], [0, '']);
    });

    it('refuses --unsafe-fixes alone and --fix with --diff', () => {
      write();
      assert.match(pgwarden(['lint', '--unsafe-fixes', '.'], dir).stderr, /^pgwarden: --unsafe-fixes goes with --fix or --diff\n/);
      assert.equal(pgwarden(['lint', '--fix', '--diff', '.'], dir).code, 2);
    });
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
