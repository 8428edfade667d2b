// The replay of `pgwarden lint --cache` (server/src/cli/replay.ts): a run whose previous
// run with the same command line saw exactly what is on disk now prints that run's report
// without linting. The replayed report must be the one a run without the cache prints now,
// and anything the report depends on must refuse the replay: an edited, touched, new or
// deleted file, a new or changed pgwarden.json, a file an include names, other arguments,
// another working directory, other environment or terminal. Runs in this process; the
// last tests run the built bin/pgwarden.js (`npm run build` first; `npm test` does).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findReplay, RunContext } from '../../server/src/cli/replay';
import { VERSION } from '../../server/src/cli/version';
import { pgwardenBuild } from '../../server/src/lint-cache';
import { lintRun, settle } from '../support/lint-runs';

const BIN = resolve(__dirname, '../../bin/pgwarden.js');

describe('pgwarden lint --cache: replaying an unchanged run', function () {
  this.timeout(120_000);
  let dir: string;
  let cacheDir: string;
  let cacheFile: string;
  const file = (...p: string[]) => join(dir, ...p);
  const paths = () => [file('app'), file('other')];
  const cached = (...extra: string[]) => ['--cache', '--cache-location', cacheFile, ...extra, ...paths()];
  const ctx = (over: Partial<RunContext> = {}): RunContext => ({ cwd: process.cwd(), env: {}, tty: false, build: pgwardenBuild(VERSION), ...over });
  const replayOf = (argv: string[], over: Partial<RunContext> = {}) => findReplay(argv, ctx(over));
  const ruleIds = (stdout: string) => (JSON.parse(stdout).findings as Array<{ ruleId: string }>).map((f) => f.ruleId).sort();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-replay-'));
    // The cache lives outside the linted folders and the folders above them, as it would in a project's working directory.
    cacheDir = mkdtempSync(join(tmpdir(), 'pgwarden-replay-cache-'));
    cacheFile = join(cacheDir, 'lint.cache');
    mkdirSync(file('app', 'migrations'), { recursive: true });
    mkdirSync(file('other', 'conf.d'), { recursive: true });
    writeFileSync(file('app', 'package.json'), '{}');
    writeFileSync(file('app', 'migrations', '001_tables.sql'), 'CREATE TABLE app.accounts (id int, owner text);\nGRANT SELECT ON app.accounts TO PUBLIC;\n');
    writeFileSync(file('app', 'migrations', '002_policy.sql'), 'CREATE POLICY own ON app.accounts USING (owner = current_user);\n');
    writeFileSync(file('other', 'package.json'), '{}');
    writeFileSync(file('other', 'roles.sql'), 'CREATE ROLE admin SUPERUSER;\n');
    writeFileSync(file('other', 'pg_hba.conf'), 'host all all 0.0.0.0/0 trust\n');
    writeFileSync(file('other', 'postgresql.conf'), "ssl = on\ninclude 'extra.conf'\ninclude_dir 'conf.d'\n");
    writeFileSync(file('other', 'extra.conf'), 'work_mem = 4MB\n');
    await settle(file('app', 'migrations', '001_tables.sql'), file('app', 'migrations', '002_policy.sql'), file('other', 'roles.sql'), file('other', 'extra.conf'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  for (const format of ['text', 'json', 'sarif']) {
    it(`replays exactly what a run without the cache prints (${format})`, async () => {
      const plain = await lintRun(['--format', format, ...paths()]);
      assert.equal(plain.code, 1);
      assert.match(plain.stdout, /superuser-role/);
      const recorded = await lintRun(['--format', format, ...cached()]);
      assert.equal(recorded.stdout, plain.stdout);
      assert.deepEqual(replayOf(['--format', format, ...cached()]), { stdout: plain.stdout, code: 1 });
    });
  }

  it('replays a terminal run only on a terminal, and a coloured one only with the same colour settings', async () => {
    const plain = await lintRun(paths(), { tty: true });
    // Grouped by file and coloured: not the piped form.
    assert.match(plain.stdout, /\u001b\[/);
    await lintRun(cached(), { tty: true });
    assert.deepEqual(replayOf(cached(), { tty: true }), { stdout: plain.stdout, code: 1 });
    assert.equal(replayOf(cached(), { tty: false }), undefined);
    assert.equal(replayOf(cached(), { tty: true, env: { NO_COLOR: '1' } }), undefined);
    assert.equal(replayOf(cached(), { tty: true, env: { FORCE_COLOR: '0' } }), undefined);
  });

  it('other arguments, another working directory or another build are not replayed', async () => {
    const argv = ['--format', 'json', ...cached()];
    await lintRun(argv);
    assert.ok(replayOf(argv));
    assert.equal(replayOf(['--format', 'json', '--max-warnings', '1000', ...cached()]), undefined);
    assert.equal(replayOf(['--format', 'text', ...cached()]), undefined);
    assert.equal(replayOf(['--format', 'json', '--cache', '--cache-location', cacheFile, file('app')]), undefined);
    assert.equal(replayOf(['--format', 'json', '--fix', ...cached()]), undefined);
    assert.equal(replayOf(argv, { cwd: dir }), undefined);
    assert.equal(replayOf(argv, { build: `${VERSION}:${'0'.repeat(40)}` }), undefined);
    // Deleting the cache file forgets the run.
    unlinkSync(cacheFile);
    assert.equal(replayOf(argv), undefined);
  });

  describe('a change on disk refuses the replay; the next run reports it and is replayed in turn', () => {
    /** Records a run, makes the change, checks the replay is refused and that a run now reports what a run without the cache does. */
    async function refused(change: () => void, changed: string[], roots = paths(), extra: string[] = []): Promise<{ before: string; after: string }> {
      const argv = ['--format', 'json', ...extra, '--cache', '--cache-location', cacheFile, ...roots];
      const before = await lintRun(argv);
      assert.deepEqual(replayOf(argv), { stdout: before.stdout, code: before.code });
      change();
      assert.equal(replayOf(argv), undefined);
      await settle(...changed);
      const after = await lintRun(argv);
      assert.equal(after.stdout, (await lintRun(['--format', 'json', ...extra, ...roots])).stdout);
      assert.deepEqual(replayOf(argv), { stdout: after.stdout, code: after.code });
      return { before: before.stdout, after: after.stdout };
    }

    it('an edited SQL file', async () => {
      const roles = file('other', 'roles.sql');
      const r = await refused(() => writeFileSync(roles, 'CREATE ROLE admin LOGIN;\n'), [roles]);
      assert.ok(ruleIds(r.before).includes('superuser-role'));
      assert.ok(!ruleIds(r.after).includes('superuser-role'));
    });

    it('a file rewritten with the same size behind its old modification time', async () => {
      const roles = file('other', 'roles.sql');
      const old = statSync(roles);
      const r = await refused(() => {
        writeFileSync(roles, 'CREATE ROLE admin LOGIN    ;\n');
        assert.equal(statSync(roles).size, old.size);
        utimesSync(roles, old.atime, old.mtime);
      }, [roles]);
      assert.ok(!ruleIds(r.after).includes('superuser-role'));
    });

    it('metadata: a touched file with the same text refuses; content: it is still replayed', async () => {
      const roles = file('other', 'roles.sql');
      const touch = () => {
        const s = statSync(roles);
        utimesSync(roles, s.atime, s.mtime);
      };
      const r = await refused(touch, [roles]);
      assert.equal(r.after, r.before);
      const content = ['--format', 'json', ...cached('--cache-strategy', 'content')];
      const recorded = await lintRun(content);
      touch();
      assert.deepEqual(replayOf(content), { stdout: recorded.stdout, code: 1 });
      writeFileSync(roles, 'CREATE ROLE admin LOGIN;\n');
      assert.equal(replayOf(content), undefined);
    });

    it('a new file in a linted folder', async () => {
      const added = file('app', 'migrations', '003_enable.sql');
      const r = await refused(() => writeFileSync(added, 'ALTER TABLE app.accounts ENABLE ROW LEVEL SECURITY;\n'), [added]);
      assert.ok(ruleIds(r.before).includes('missing-rls'));
      assert.ok(!ruleIds(r.after).includes('missing-rls'));
    });

    it('a deleted file', async () => {
      const r = await refused(() => unlinkSync(file('other', 'roles.sql')), []);
      assert.ok(ruleIds(r.before).includes('superuser-role'));
      assert.ok(!ruleIds(r.after).includes('superuser-role'));
    });

    it('a pgwarden.json created in a folder above the linted ones', async () => {
      const config = file('pgwarden.json');
      const r = await refused(() => writeFileSync(config, JSON.stringify({ rules: { 'superuser-role': 'off' } })), [config]);
      assert.ok(ruleIds(r.before).includes('superuser-role'));
      assert.ok(!ruleIds(r.after).includes('superuser-role'));
    });

    it('a pgwarden.json created in a folder above, which the run never listed (only looked for the file)', async () => {
      // app/ alone: its files are in app/migrations, so the folder above app/ is not listed, only asked for pgwarden.json.
      const config = file('pgwarden.json');
      const r = await refused(() => writeFileSync(config, JSON.stringify({ rules: { 'grant-to-public': 'off' } })), [config], [file('app')]);
      assert.ok(ruleIds(r.before).includes('grant-to-public'));
      assert.ok(!ruleIds(r.after).includes('grant-to-public'));
    });

    it('a changed pgwarden.json', async () => {
      const config = file('other', 'pgwarden.json');
      writeFileSync(config, JSON.stringify({ rules: { 'hba-trust': 'off' } }));
      await settle(config);
      const r = await refused(() => writeFileSync(config, JSON.stringify({ rules: { 'hba-no-ssl': 'off' } })), [config]);
      assert.ok(!ruleIds(r.before).includes('hba-trust') && ruleIds(r.before).includes('hba-no-ssl'));
      assert.ok(ruleIds(r.after).includes('hba-trust') && !ruleIds(r.after).includes('hba-no-ssl'));
    });

    it('the file --config names, edited', async () => {
      const config = join(cacheDir, 'ci.json');
      writeFileSync(config, JSON.stringify({ rules: { 'hba-trust': 'off' } }));
      await settle(config);
      const r = await refused(() => writeFileSync(config, JSON.stringify({ rules: { 'hba-no-ssl': 'off' } })), [config], paths(), ['--config', config]);
      assert.ok(!ruleIds(r.before).includes('hba-trust') && ruleIds(r.after).includes('hba-trust'));
    });

    it('files looked for and not found, created later: a pg_ident.conf beside a pg_hba.conf, a sqitch.plan in a project', async () => {
      // The pg_hba.conf names a map of the pg_ident.conf beside it, which is missing at first.
      writeFileSync(file('other', 'pg_hba.conf'), 'hostssl all all 10.0.0.0/8 scram-sha-256 map=ops\n');
      await settle(file('other', 'pg_hba.conf'));
      const ident = file('other', 'pg_ident.conf');
      await refused(() => writeFileSync(ident, 'ops  /^(.*)$  \\1\n'), [ident]);
      const plan = file('app', 'sqitch.plan');
      await refused(() => writeFileSync(plan, '%syntax-version=1.0.0\n%project=app\n\n001_tables 2024-01-01T00:00:00Z dev <dev@example.com>\n'), [plan]);
    });

    it('a file a postgresql.conf includes, and a new file in a folder it includes', async () => {
      const extra = file('other', 'extra.conf');
      const overridden = (stdout: string) => ruleIds(stdout).filter((id) => id === 'conf-overridden').length;
      const r = await refused(() => writeFileSync(extra, 'ssl = off\n'), [extra]);
      assert.equal(overridden(r.before), 0);
      assert.equal(overridden(r.after), 1);
      const added = file('other', 'conf.d', '10-ssl.conf');
      const again = await refused(() => writeFileSync(added, 'ssl = on\n'), [added]);
      assert.match(again.after, /conf\.d/);
      assert.doesNotMatch(again.before, /conf\.d/);
    });
  });

  it('a cache file inside a linted folder: replayed from the second re-run on, though each run rewrites it there', async () => {
    const inside = ['--format', 'json', '--cache', '--cache-location', file('other', '.pgwardencache'), ...paths()];
    const first = await lintRun(inside);
    // The first run created the file in a folder it had listed without it.
    assert.equal(replayOf(inside), undefined);
    await lintRun(inside);
    assert.deepEqual(replayOf(inside), { stdout: first.stdout, code: 1 });
    // A run with other arguments rewrites the file (a new record): the folder's times change, its entries do not.
    const other = await lintRun(['--format', 'text', '--cache', '--cache-location', file('other', '.pgwardencache'), ...paths()]);
    assert.deepEqual(replayOf(['--format', 'text', '--cache', '--cache-location', file('other', '.pgwardencache'), ...paths()]), { stdout: other.stdout, code: 1 });
  });

  it('a run over unchanged inputs keeps the record it finds, without writing the cache file again', async () => {
    const argv = ['--format', 'json', ...cached()];
    await lintRun(argv);
    const before = statSync(cacheFile);
    const again = await lintRun(argv);
    assert.equal(again.parses, 0);
    // The file is replaced through a rename when written: the same inode means it was not.
    assert.equal(statSync(cacheFile).ino, before.ino);
    assert.equal(statSync(cacheFile).mtimeMs, before.mtimeMs);
    assert.deepEqual(replayOf(argv), { stdout: again.stdout, code: 1 });
  });

  it('a run that said something on stderr is not recorded', async () => {
    const argv = ['--format', 'json', ...cached()];
    writeFileSync(cacheFile, '{"pgwarden":"lint-cache","format":3,"files":{"x":');
    const warned = await lintRun(argv);
    assert.match(warned.stderr, /is damaged/);
    assert.equal(replayOf(argv), undefined);
    const next = await lintRun(argv);
    assert.equal(next.stderr, '');
    assert.deepEqual(replayOf(argv), { stdout: next.stdout, code: 1 });
  });

  describe('the pgwarden command', () => {
    const bin = (args: string[], env: Record<string, string>) => spawnSync(process.execPath, [BIN, 'lint', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
    /** A fresh, private folder for V8's code cache: the bundle, when it runs, leaves a file there; a replay does not load it. */
    const codeCache = () => mkdtempSync(join(cacheDir, 'v8-'));
    const bundleRan = (folder: string) => readdirSync(folder).some((n) => n.endsWith('.v8cache'));

    it('replays without loading the linter, and runs it when something changed or PGWARDEN_REPLAY=off', () => {
      const args = ['--format', 'json', ...cached()];
      const plain = bin(['--format', 'json', ...paths()], { PGWARDEN_CODE_CACHE: 'off' });
      assert.equal(plain.status, 1);
      const first = codeCache();
      const recorded = bin(args, { PGWARDEN_CODE_CACHE: first });
      assert.equal(recorded.stdout, plain.stdout);
      assert.ok(bundleRan(first));

      const second = codeCache();
      const replayed = bin(args, { PGWARDEN_CODE_CACHE: second });
      assert.equal(replayed.status, 1);
      assert.equal(replayed.stdout, plain.stdout);
      assert.equal(replayed.stderr, '');
      assert.ok(!bundleRan(second));

      const off = codeCache();
      const ran = bin(args, { PGWARDEN_CODE_CACHE: off, PGWARDEN_REPLAY: 'off' });
      assert.equal(ran.stdout, plain.stdout);
      assert.ok(bundleRan(off));

      writeFileSync(file('other', 'roles.sql'), 'CREATE ROLE admin LOGIN;\n');
      const edited = codeCache();
      const after = bin(args, { PGWARDEN_CODE_CACHE: edited });
      assert.ok(bundleRan(edited));
      assert.equal(after.stdout, bin(['--format', 'json', ...paths()], { PGWARDEN_CODE_CACHE: 'off' }).stdout);
      assert.ok(!ruleIds(after.stdout).includes('superuser-role'));
    });
  });
});
