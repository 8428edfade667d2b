// `pgwarden lint --cache`: a re-run over unchanged files parses nothing and reports exactly
// what a run without the cache reports; a changed file, a changed configuration or a
// changed neighbour in the same project is linted again; a damaged or foreign cache file
// is reported in one line and never crashes the run. With the metadata strategy a re-run
// reads no SQL file whose size, times and inode are unchanged, and a file rewritten behind
// an old modification time is still caught. Parses and reads are counted, never timed.

import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintRun, Ran, settle } from '../support/lint-runs';

/** A report in JSON, in one thread. */
const lint = (args: string[]): Promise<Ran> => lintRun(['--format', 'json', '--threads', '1', ...args]);

describe('pgwarden lint --cache', function () {
  this.timeout(120_000);
  let dir: string;
  let cacheFile: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-cache-'));
    cacheFile = join(dir, 'cache', 'lint.cache');
    mkdirSync(join(dir, 'app', 'migrations'), { recursive: true });
    mkdirSync(join(dir, 'other'), { recursive: true });
    writeFileSync(join(dir, 'app', 'package.json'), '{}');
    writeFileSync(join(dir, 'app', 'migrations', '001_tables.sql'), 'CREATE TABLE app.accounts (id int, owner text);\nGRANT SELECT ON app.accounts TO PUBLIC;\n');
    writeFileSync(
      join(dir, 'app', 'migrations', '002_rls.sql'),
      "CREATE POLICY own ON app.accounts USING (owner = current_user);\nCREATE FUNCTION app.f(p text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$\nBEGIN\n  EXECUTE 'SELECT ' || p;\nEND;\n$$;\n",
    );
    writeFileSync(join(dir, 'other', 'package.json'), '{}');
    writeFileSync(join(dir, 'other', 'roles.sql'), 'CREATE ROLE admin SUPERUSER;\n');
    writeFileSync(join(dir, 'other', 'pg_hba.conf'), 'host all all 0.0.0.0/0 trust\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const paths = () => [join(dir, 'app'), join(dir, 'other')];

  it('a re-run over unchanged files parses nothing and prints the same report', async () => {
    const plain = await lint(paths());
    const cold = await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
    assert.ok(cold.parses > 0);
    assert.equal(cold.stdout, plain.stdout);
    assert.equal(cold.code, 1);
    assert.ok(existsSync(cacheFile));
    const warm = await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
    assert.equal(warm.parses, 0);
    // pg_hba.conf too is answered from the cache (nothing it reads changed).
    assert.equal(warm.linted, 0);
    assert.equal(warm.stdout, plain.stdout);
    assert.equal(warm.code, plain.code);
    assert.equal(warm.stderr, '');
    // The report names findings of every file (hba-superuser-remote needs roles.sql's facts), so the comparison is not vacuous.
    const ids = (JSON.parse(warm.stdout).findings as Array<{ ruleId: string }>).map((f) => f.ruleId).sort();
    assert.deepEqual(ids, [
      'definer-public-execute',
      'dynamic-sql-injection',
      'grant-to-public',
      'hba-no-ssl',
      'hba-open-address',
      'hba-superuser-remote',
      'hba-trust',
      'missing-rls',
      'security-definer-search-path',
      'superuser-role',
    ]);
  });

  it('re-parses only the project where a file changed, and finds what a run without the cache finds', async () => {
    await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
    // RLS enabled in a new migration changes the findings of the other files of app/.
    writeFileSync(join(dir, 'app', 'migrations', '003_enable.sql'), 'ALTER TABLE app.accounts ENABLE ROW LEVEL SECURITY;\n');
    const warm = await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
    const plain = await lint(paths());
    assert.equal(warm.stdout, plain.stdout);
    // app/ (three files, one function body) is parsed again; other/roles.sql is not.
    const appOnly = await lint([join(dir, 'app')]);
    assert.equal(warm.parses, appOnly.parses);
    assert.ok(warm.parses < plain.parses);
    const again = await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
    assert.equal(again.parses, 0);
    assert.equal(again.stdout, plain.stdout);
  });

  it('a postgresql.conf is linted again when a file it includes, or a folder it includes, changes', async () => {
    const conf = join(dir, 'server');
    mkdirSync(join(conf, 'conf.d'), { recursive: true });
    writeFileSync(join(conf, 'postgresql.conf'), "ssl = on\ninclude 'extra.conf'\ninclude_dir 'conf.d'\n");
    writeFileSync(join(conf, 'extra.conf'), 'ssl = off\n');
    const args = ['--cache', '--cache-location', cacheFile, conf];
    const overridden = async () => {
      const r = await lint(args);
      assert.equal(r.stdout, (await lint([conf])).stdout);
      return (JSON.parse(r.stdout).findings as Array<{ ruleId: string; message: string }>).filter((f) => f.ruleId === 'conf-overridden').map((f) => f.message);
    };
    assert.deepEqual(await overridden(), ['ssl is set again on "extra.conf" line 1, which wins: this line has no effect.']);
    assert.equal((await lint(args)).linted, 0);
    writeFileSync(join(conf, 'extra.conf'), 'work_mem = 4MB\n');
    assert.deepEqual(await overridden(), []);
    assert.equal((await lint(args)).linted, 0);
    // A new file in an included folder.
    writeFileSync(join(conf, 'conf.d', '10-ssl.conf'), 'ssl = off\n');
    assert.deepEqual((await overridden()).length, 1);
    assert.equal((await lint(args)).linted, 0);
  });

  it('a changed pgwarden.json lints its project again', async () => {
    await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
    writeFileSync(join(dir, 'other', 'pgwarden.json'), JSON.stringify({ rules: { 'superuser-role': 'off' } }));
    const warm = await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
    const plain = await lint(paths());
    assert.equal(warm.stdout, plain.stdout);
    assert.ok(!warm.stdout.includes('superuser-role'));
  });

  it('a folder as --cache-location holds .pgwardencache', async () => {
    mkdirSync(join(dir, 'c'));
    await lint(['--cache', '--cache-location', join(dir, 'c'), ...paths()]);
    assert.ok(existsSync(join(dir, 'c', '.pgwardencache')));
  });

  it('a damaged cache file is reported, ignored and rewritten', async () => {
    const plain = await lint(paths());
    mkdirSync(join(dir, 'cache'));
    writeFileSync(cacheFile, '{"pgwarden":"lint-cache","format":3,"files":{"x":');
    const r = await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
    assert.equal(r.stderr, `pgwarden: the cache file ${cacheFile} is damaged (not valid JSON); it is ignored and rewritten\n`);
    assert.equal(r.stdout, plain.stdout);
    assert.equal(r.code, plain.code);
    assert.equal((await lint(['--cache', '--cache-location', cacheFile, ...paths()])).parses, 0);
  });

  it('a cache file of another layout is reported and rewritten', async () => {
    mkdirSync(join(dir, 'cache'));
    writeFileSync(cacheFile, '{"pgwarden":"lint-cache","format":3,"files":[1,2]}\n');
    const r = await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
    assert.equal(r.stderr, `pgwarden: the cache file ${cacheFile} has an unknown layout; it is ignored and rewritten\n`);
    assert.equal((await lint(['--cache', '--cache-location', cacheFile, ...paths()])).parses, 0);
  });

  it('a truncated cache file is reported and rewritten', async () => {
    const plain = await lint(paths());
    await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
    truncateSync(cacheFile, statSync(cacheFile).size - 10);
    const r = await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
    assert.equal(r.stderr, `pgwarden: the cache file ${cacheFile} is damaged (truncated); it is ignored and rewritten\n`);
    assert.equal(r.stdout, plain.stdout);
    assert.equal((await lint(['--cache', '--cache-location', cacheFile, ...paths()])).parses, 0);
  });

  it("a cache of an older pgwarden's format is replaced without a word", async () => {
    mkdirSync(join(dir, 'cache'));
    writeFileSync(cacheFile, '{"pgwarden":"lint-cache","format":1,"build":"0.0.1:x","files":{}}');
    const r = await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
    assert.equal(r.stderr, '');
    assert.ok(r.parses > 0);
    assert.equal((await lint(['--cache', '--cache-location', cacheFile, ...paths()])).parses, 0);
  });

  it('a file that is not a pgwarden cache is left alone', async () => {
    const plain = await lint(paths());
    const foreign = join(dir, 'notes.json');
    writeFileSync(foreign, '{"mine": true}\n');
    const r = await lint(['--cache', '--cache-location', foreign, ...paths()]);
    assert.equal(r.stderr, `pgwarden: ${foreign} is not a pgwarden cache file; it is left alone and the run does not use a cache (give another --cache-location)\n`);
    assert.equal(r.stdout, plain.stdout);
    assert.equal(readFileSync(foreign, 'utf8'), '{"mine": true}\n');
  });

  it('--cache-location and --cache-strategy without --cache, or an unknown strategy, are usage errors', async () => {
    await assert.rejects(lint(['--cache-location', cacheFile, ...paths()]), /--cache-location goes with --cache/);
    await assert.rejects(lint(['--cache-strategy', 'content', ...paths()]), /--cache-strategy goes with --cache/);
    await assert.rejects(lint(['--cache', '--cache-strategy', 'mtime', ...paths()]), /unknown --cache-strategy "mtime" \(metadata or content\)/);
  });

  describe('how a re-run knows a file is unchanged', () => {
    const sqlFiles = () => [join(dir, 'app', 'migrations', '001_tables.sql'), join(dir, 'app', 'migrations', '002_rls.sql'), join(dir, 'other', 'roles.sql')];
    const roles = () => join(dir, 'other', 'roles.sql');
    const ruleIds = (r: Ran) => (JSON.parse(r.stdout).findings as Array<{ ruleId: string }>).map((f) => f.ruleId);

    it('metadata (the default): unchanged files are not read, and the report is the same', async () => {
      await settle(...sqlFiles());
      const cold = await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
      assert.equal(cold.reads, 3);
      const warm = await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
      assert.equal(warm.reads, 0);
      assert.equal(warm.parses, 0);
      assert.equal(warm.stdout, cold.stdout);
      assert.equal(warm.stderr, '');
    });

    it('metadata: a touched file with the same text is read once, and nothing is parsed', async () => {
      await settle(...sqlFiles());
      const cold = await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
      const later = new Date(Date.now() + 1000);
      utimesSync(roles(), later, later);
      const touched = await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
      // Its modification time is ahead of the check, so it stays unsure until that time has passed.
      assert.equal(touched.reads, 1);
      assert.equal(touched.parses, 0);
      assert.equal(touched.stdout, cold.stdout);
      await settle(roles());
      const again = await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
      assert.equal(again.reads, 1);
      assert.equal((await lint(['--cache', '--cache-location', cacheFile, ...paths()])).reads, 0);
    });

    for (const strategy of ['metadata', 'content']) {
      it(`${strategy}: a file rewritten with the same size and its old modification time is linted again`, async () => {
        // An hour-old modification time in whole milliseconds, which utimes can set back exactly.
        const old = new Date(Math.floor(Date.now() / 1000) * 1000 - 3600_123);
        utimesSync(roles(), old, old);
        await settle(...sqlFiles());
        const args = ['--cache', '--cache-location', cacheFile, '--cache-strategy', strategy, ...paths()];
        const cold = await lint(args);
        assert.ok(ruleIds(cold).includes('superuser-role'));
        const before = statSync(roles());
        // The same number of bytes: only the change time (which no tool can set back) or the text tells.
        writeFileSync(roles(), 'CREATE ROLE admin LOGIN    ;\n');
        assert.equal(statSync(roles()).size, before.size);
        utimesSync(roles(), old, old);
        assert.equal(statSync(roles()).mtimeMs, before.mtimeMs);
        const warm = await lint(args);
        assert.equal(warm.stdout, (await lint(paths())).stdout);
        assert.ok(!ruleIds(warm).includes('superuser-role'));
        assert.ok(warm.parses > 0);
      });
    }

    it('content: every SQL file is read and hashed on each run, and nothing is parsed', async () => {
      const args = ['--cache', '--cache-location', cacheFile, '--cache-strategy', 'content', ...paths()];
      await settle(...sqlFiles());
      const cold = await lint(args);
      const warm = await lint(args);
      assert.equal(warm.reads, 3);
      assert.equal(warm.parses, 0);
      assert.equal(warm.stdout, cold.stdout);
    });

    it('a file whose modification time is ahead of the clock is read on every run', async () => {
      const future = new Date(Date.now() + 3600_000);
      utimesSync(roles(), future, future);
      await settle(...sqlFiles().filter((f) => f !== roles()));
      await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
      assert.equal((await lint(['--cache', '--cache-location', cacheFile, ...paths()])).reads, 1);
      assert.equal((await lint(['--cache', '--cache-location', cacheFile, ...paths()])).reads, 1);
    });
  });

  it('the corpus: after one file changes, the cached run reports what a run without the cache reports', async () => {
    const corpus = join(__dirname, '../../../shared/corpus/projects');
    const copy = join(dir, 'corpus');
    // A copy in a temporary folder: the corpus itself is never written to.
    for (const p of ['pgsodium', 'supabase-tenant-rbac', 'pagila', 'crunchy-containers']) cpSync(join(corpus, p), join(copy, p), { recursive: true });
    await lint(['--cache', '--cache-location', cacheFile, copy]);
    const changed = join(copy, 'supabase-tenant-rbac', 'supabase', 'migrations');
    writeFileSync(join(changed, '99999999999999_pgwarden_test.sql'), 'ALTER TABLE public.user_roles DISABLE ROW LEVEL SECURITY;\nGRANT ALL ON public.user_roles TO anon;\n');
    const warm = await lint(['--cache', '--cache-location', cacheFile, copy]);
    const plain = await lint([copy]);
    assert.equal(warm.stdout, plain.stdout);
    assert.ok(warm.parses > 0 && warm.parses < plain.parses, `${warm.parses} of ${plain.parses}`);
    assert.equal((await lint(['--cache', '--cache-location', cacheFile, copy])).parses, 0);
  });
});
