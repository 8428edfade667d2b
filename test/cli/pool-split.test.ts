// One large file shared by the workers of the lint pool (server/src/lint-split.ts) gives
// exactly what one thread gives: the same report, exit code and --cache file, with the
// file cut into 2 and 3 ranges, on generated schemas (test/bench/generate.ts) with
// statements inserted that reach across ranges (a helper function dropped further down,
// suppression blocks, Down sections, syntax errors, a pg_dump repeating findings), and on
// the real corpus. Every file is shared here (splitBytes 1); the built command shares a
// file only from SPLIT_MIN_BYTES on, and PGWARDEN_TRACE=pool shows how it was shared.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { run } from '../../server/src/cli/lint';
import { CliIo } from '../../server/src/cli/io';
import { PoolExecutor, SPLIT_MIN_BYTES } from '../../server/src/cli/pool';
import { loadParser } from '../../server/src/core/sql/parser';
import { parseSqlDocument } from '../../server/src/core/sql/document';
import { generateSql } from '../bench/generate';
import { SEEDS } from '../unit/property/seeds';
import { mutate, mutationArb, SEED } from '../unit/property/support';

const BIN = resolve(__dirname, '../../bin/pgwarden.js');
const CORPUS = join(__dirname, '../../../shared/corpus/projects');

/** Statements whose findings depend on other statements of the file, wherever they stand. */
const REACHING = [
  // A helper the script creates, calls and drops: judged as temporary only with the DROP seen.
  "CREATE FUNCTION f(schema_name text) RETURNS void LANGUAGE plpgsql AS $fn$\nDECLARE cols text;\nBEGIN\n  SELECT string_agg(attname, ',') INTO cols FROM pg_attribute WHERE attrelid = (schema_name || '.t')::regclass;\n  EXECUTE format('CREATE INDEX ON %s.t (%s)', schema_name, cols);\nEND $fn$;",
  'SELECT f(nspname) FROM pg_namespace;',
  'DROP FUNCTION f(text);',
  '-- pgwarden-disable grant-to-public',
  '-- pgwarden-enable grant-to-public',
  '-- pgwarden-disable-next-line grant-all',
  '-- pgwarden-disable-file superuser-role',
  '-- +goose Down',
  '-- +goose Up',
  'GRANT SELECT ON app.customers_1 TO PUBLIC;',
  'GRANT ALL ON app.orders_2 TO app_reader_2;',
  'CREATE ROLE boss SUPERUSER;',
  'ALTER TABLE app.customers_3 DISABLE ROW LEVEL SECURITY;',
  'GRANT USAGE ON LANGUAGE c TO PUBLIC; -- fail',
  'CREATE TABLE (;',
  "\\set pw 'x'",
];

const caseArb = fc.record({
  lines: fc.integer({ min: 40, max: 1200 }),
  inserts: fc.array(fc.record({ stmt: fc.constantFrom(...REACHING, ...SEEDS), line: fc.nat() }), { maxLength: 12 }),
  mutations: fc.oneof(fc.constant([]), fc.array(mutationArb, { maxLength: 2 })),
  dump: fc.boolean(),
});

interface Report {
  code: number;
  stdout: string;
  stderr: string;
  /** Per file the pool shared (by path), statements per worker, from its trace, and whether each thread split only its part. */
  shares: Array<{ path: string; counts: number[]; apart: boolean }>;
}

async function lint(args: string[], executor?: PoolExecutor, trace?: string[]): Promise<Report> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: {}, promptPassword: async () => undefined };
  const start = trace?.length ?? 0;
  const code = await run(['--format', 'json', ...args], io, executor && { executor });
  const shares = (trace ?? []).slice(start).map((l) => {
    const m = /^(.*): \d+ threads, ([\d + ]+) statements(, each thread splitting its own part)?$/.exec(l)!;
    return { path: m[1], counts: m[2].split(' + ').map(Number), apart: !!m[3] };
  });
  return { code, stdout, stderr, shares };
}

describe('a large file shared by the lint pool vs one thread', function () {
  this.timeout(900_000);
  const trace: string[] = [];
  let pools: PoolExecutor[];
  let dir: string;

  before(() => {
    // Equal parts (the built command gives its own thread more): every range gets a real share of these small files.
    pools = [2, 3].map((n) => new PoolExecutor(n, { splitBytes: 1, firstShare: 1 / n, trace: (l) => trace.push(l) }));
  });
  after(async () => {
    for (const p of pools) await p.close();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-split-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Lints `root` in one thread, then with each pool; asserts the same report and returns the pools' shares. */
  async function compare(args: string[]): Promise<{ one: Report; shares: Report['shares'] }> {
    const one = await lint(['--threads', '1', ...args]);
    const shares: Report['shares'] = [];
    for (const pool of pools) {
      await pool.reset();
      const many = await lint(args, pool, trace);
      assert.equal(many.stdout, one.stdout);
      assert.equal(many.code, one.code);
      assert.equal(many.stderr, one.stderr);
      shares.push(...many.shares);
    }
    return { one, shares };
  }

  it('generated schemas with statements that reach across ranges: the same report, exit code and cache', async () => {
    let n = 0;
    let everyWorker = 0;
    let withFindings = 0;
    /** Runs in which the threads split only their own parts of the file (no DROP, no Down section before a later part). */
    let apart = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const root = join(dir, `run${n++}`);
        mkdirSync(join(root, 'migrations'), { recursive: true });
        writeFileSync(join(root, 'package.json'), '{}');
        const lines = generateSql(c.lines).text.split('\n');
        for (const { stmt, line } of c.inserts) lines.splice(line % (lines.length + 1), 0, stmt);
        writeFileSync(join(root, 'migrations/001_init.sql'), mutate(lines.join('\n'), c.mutations));
        if (c.dump) writeFileSync(join(root, 'schema.sql'), '--\n-- PostgreSQL database dump\n--\n\nGRANT SELECT ON app.customers_1 TO PUBLIC;\nCREATE ROLE boss SUPERUSER;\n');
        const { one, shares } = await compare([root]);
        // Every worker had statements of the large file: the file was really shared.
        const big = shares.filter((s) => s.path.endsWith('001_init.sql'));
        if (big.length === 2 && big.every((s) => s.counts.every((k) => k > 0))) everyWorker++;
        if (big.length === 2 && big.every((s) => s.apart)) apart++;
        if (JSON.parse(one.stdout).findings.length) withFindings++;
        // The cache a shared run writes is the one a single thread writes.
        const cacheOne = join(root, 'one.cache');
        const cacheMany = join(root, 'many.cache');
        await lint(['--threads', '1', '--cache', '--cache-location', cacheOne, root]);
        await pools[0].reset();
        await lint(['--cache', '--cache-location', cacheMany, root], pools[0]);
        // Apart from the replay record (of another command line) and when each run took the file's metadata (the last number of each stamp).
        const untimed = (file: string) => {
          const bytes = readFileSync(file);
          const nl = bytes.indexOf(10);
          const header = JSON.parse(bytes.toString('utf8', 0, nl)) as { replay: number };
          const rest = bytes.toString('utf8', nl + 1 + header.replay);
          return `${JSON.stringify({ ...header, replay: 0 })}\n${rest}`.replace(/("stamp":\[[^\]]*,)\d+\]/g, '$1T]');
        };
        assert.equal(untimed(cacheMany), untimed(cacheOne));
      }),
      { seed: SEED, numRuns: 25 },
    );
    assert.ok(everyWorker >= 20, `${everyWorker} of 25 runs gave every worker statements`);
    assert.ok(withFindings >= 20, `${withFindings} of 25 runs had findings`);
    // Both ways of sharing a file were compared: parts split apart, and the whole text split by every thread.
    assert.ok(apart >= 5 && apart < 25, `${apart} of 25 runs split the parts apart`);
  });

  it('a helper created in one range and dropped in another is judged as one thread judges it', async () => {
    const body = `${REACHING[0]}\n${REACHING[1]}\n${generateSql(600).text}\n`;
    const onHelper = async (text: string) => {
      writeFileSync(join(dir, 'a.sql'), text);
      const { one, shares } = await compare([join(dir, 'a.sql')]);
      assert.deepEqual(
        shares.map((s) => s.counts.length),
        [2, 3],
      );
      const found = JSON.parse(one.stdout).findings.filter((f: { ruleId: string; line: number }) => f.ruleId === 'dynamic-sql-injection' && f.line < 10);
      return found.map((f: { line: number; column: number; message: string }) => `${f.line}:${f.column} ${/built from ([^:]*) without/.exec(f.message)?.[1]}`);
    };
    // Only with its DROP seen (in the last range) is the helper temporary: its argument is
    // the script's own value, and only the column list read from the catalog is reported.
    assert.deepEqual(await onHelper(`${body}${REACHING[2]}\n`), ['5:11 cols (from attname)']);
    assert.deepEqual(await onHelper(body), ['5:11 schema_name, cols (from attname)']);
  });

  it('a Down section opening before a later part: every thread splits the whole text, and the report is the one thread\'s', async () => {
    // A policy on a column its table lacks, last in the file: reported unless it is in a Down section.
    const lines = [...generateSql(800).text.split('\n'), 'CREATE POLICY p ON app.customers_0 USING (tenant_id = 1);'];
    const file = join(dir, 'migrations', '001_init.sql');
    mkdirSync(join(dir, 'migrations'));
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(file, lines.join('\n'));
    const without = (await compare([dir])).one.stdout;
    assert.ok(without.includes('"policy-unknown-column"'), without);
    // Before a module's heading comment: between statements, not in a function's body.
    const downAt = async (near: number) => {
      const at = lines.findIndex((l, i) => i >= near && l.startsWith('-- Module '));
      writeFileSync(file, [...lines.slice(0, at), '-- +goose Down', ...lines.slice(at)].join('\n'));
      const { one, shares } = await compare([dir]);
      // The statements below the marker are a down migration: the policy is not reported.
      assert.ok(!one.stdout.includes('"policy-unknown-column"'));
      return shares.map((s) => s.apart);
    };
    // Opened in the first part, it reaches into the others: they need the comments above them.
    assert.deepEqual(await downAt(Math.floor(lines.length / 5)), [false, false]);
    // Opened in the last part, it covers only statements that part splits itself.
    assert.deepEqual(await downAt(Math.floor((lines.length * 9) / 10)), [true, true]);
  });

  it('the corpus, every file shared by 2 and by 3 workers: the same report', async () => {
    const { one, shares } = await compare([CORPUS]);
    assert.equal(one.code, 1);
    assert.ok(JSON.parse(one.stdout).findings.length > 100);
    assert.ok(shares.length > 200, `${shares.length} files shared`);
  });

  it('the built command shares a file from SPLIT_MIN_BYTES on, and reports what one thread reports', async () => {
    await loadParser();
    const text = generateSql(27_000).text;
    assert.ok(text.length >= SPLIT_MIN_BYTES);
    const file = join(dir, 'big.sql');
    writeFileSync(file, text);
    const total = parseSqlDocument('file:///big.sql', text).doc.statements.length;
    const env = { ...process.env, PGWARDEN_TRACE: 'pool' };
    const cli = (threads: string) =>
      spawnSync(process.execPath, [BIN, 'lint', '--format', 'json', '--threads', threads, file], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
    const one = cli('1');
    const two = cli('2');
    assert.equal(one.stderr, '');
    const m = /^pgwarden: pool: .*big\.sql: 2 threads, (\d+) \+ (\d+) statements, each thread splitting its own part\n$/.exec(two.stderr);
    assert.ok(m, two.stderr);
    assert.ok(Number(m[1]) > 0 && Number(m[2]) > 0, two.stderr);
    assert.equal(Number(m[1]) + Number(m[2]), total);
    assert.equal(two.stdout, one.stdout);
    assert.equal(two.status, one.status);
    assert.ok(JSON.parse(one.stdout).findings.length > 100);
  });
});
