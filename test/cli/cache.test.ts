// `pgwarden lint --cache`: a re-run over unchanged files parses nothing and reports exactly
// what a run without the cache reports; a changed file, a changed configuration or a
// changed neighbour in the same project is linted again; a damaged or foreign cache file
// is reported in one line and never crashes the run. Parses are counted, never timed.

import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../server/src/cli/lint';
import { CliIo } from '../../server/src/cli/io';
import { parseCounts } from '../../server/src/core/sql/parser';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  /** Statements and PL/pgSQL bodies handed to the parser during the run. */
  parses: number;
}

async function lint(args: string[]): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: {}, promptPassword: async () => undefined };
  const before = parseCounts.sql + parseCounts.plpgsql;
  // One thread: the parses counted are this thread's.
  const code = await run(['--format', 'json', '--threads', '1', ...args], io);
  return { code, stdout, stderr, parses: parseCounts.sql + parseCounts.plpgsql - before };
}

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
    writeFileSync(cacheFile, '{"pgwarden":"lint-cache","format":1,"files":{"x":');
    const r = await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
    assert.equal(r.stderr, `pgwarden: the cache file ${cacheFile} is damaged (not valid JSON); it is ignored and rewritten\n`);
    assert.equal(r.stdout, plain.stdout);
    assert.equal(r.code, plain.code);
    assert.equal((await lint(['--cache', '--cache-location', cacheFile, ...paths()])).parses, 0);
  });

  it('a cache file of another layout is reported and rewritten', async () => {
    mkdirSync(join(dir, 'cache'));
    writeFileSync(cacheFile, '{"pgwarden":"lint-cache","format":1,"files":[1,2]}');
    const r = await lint(['--cache', '--cache-location', cacheFile, ...paths()]);
    assert.equal(r.stderr, `pgwarden: the cache file ${cacheFile} has an unknown layout; it is ignored and rewritten\n`);
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

  it('--cache-location without --cache is a usage error', async () => {
    await assert.rejects(lint(['--cache-location', cacheFile, ...paths()]), /--cache-location goes with --cache/);
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
