// The lint pool (worker threads) gives exactly what one thread gives: the same report and
// exit code, byte for byte, on generated projects (seed statements, mutated, spread over
// several project roots with migrations, tests, a pg_dump and pg_hba.conf) and on the real
// corpus through the built command. Fixed seed, so a failure reproduces.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { run } from '../../server/src/cli/lint';
import { CliIo } from '../../server/src/cli/io';
import { PoolExecutor } from '../../server/src/cli/pool';
import { SEEDS } from '../unit/property/seeds';
import { mutate, mutationArb, SEED } from '../unit/property/support';

const BIN = resolve(__dirname, '../../bin/pgwarden.js');

async function lint(args: string[], executor?: PoolExecutor): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: {}, promptPassword: async () => undefined };
  const code = await run(['--format', 'json', ...args], io, executor && { executor });
  return { code, stdout, stderr };
}

/** File names that give a project migrations in order, a test, a down migration and a dump. */
const NAMES = ['migrations/001_init.sql', 'migrations/002_more.sql', 'migrations/003_down.down.sql', 'test/roles_test.sql', 'schema.sql', 'seed.sql'];

const fileArb = fc.record({
  name: fc.constantFrom(...NAMES),
  stmts: fc.array(fc.constantFrom(...SEEDS), { minLength: 1, maxLength: 6 }),
  mutations: fc.oneof(fc.constant([]), fc.array(mutationArb, { maxLength: 3 })),
  dump: fc.boolean(),
});
const projectArb = fc.record({ files: fc.array(fileArb, { minLength: 1, maxLength: 4 }), hba: fc.boolean() });
const projectsArb = fc.array(projectArb, { minLength: 1, maxLength: 3 });

describe('lint pool vs one thread', function () {
  this.timeout(600_000);
  let pool: PoolExecutor;
  let dir: string;

  before(() => {
    pool = new PoolExecutor(2);
  });
  after(async () => {
    await pool.close();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-pool-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generated projects: the same report and exit code', async () => {
    let n = 0;
    let withFindings = 0;
    await fc.assert(
      fc.asyncProperty(projectsArb, async (projects) => {
        const root = join(dir, `run${n++}`);
        projects.forEach((p, i) => {
          const base = join(root, `p${i}`);
          mkdirSync(base, { recursive: true });
          writeFileSync(join(base, 'package.json'), '{}');
          for (const f of p.files) {
            mkdirSync(join(base, f.name, '..'), { recursive: true });
            const head = f.dump ? '--\n-- PostgreSQL database dump\n--\n\n' : '';
            writeFileSync(join(base, f.name), head + mutate(f.stmts.join('\n'), f.mutations));
          }
          if (p.hba) writeFileSync(join(base, 'pg_hba.conf'), 'host all postgres 0.0.0.0/0 md5\nhost all admin 10.0.0.0/8 trust\n');
        });
        const one = await lint(['--threads', '1', root]);
        await pool.reset();
        const many = await lint([root], pool);
        assert.equal(many.stdout, one.stdout);
        assert.equal(many.code, one.code);
        assert.equal(many.stderr, one.stderr);
        if (JSON.parse(one.stdout).findings.length) withFindings++;
      }),
      { seed: SEED, numRuns: 40 },
    );
    // The inputs reach the rules: most runs report findings.
    assert.ok(withFindings >= 30, `${withFindings} of 40 runs had findings`);
  });

  it('--threads takes 1 to 64 or auto', async () => {
    await assert.rejects(lint(['--threads', '0', dir]), /--threads takes a whole number from 1 to 64, or auto/);
    await assert.rejects(lint(['--threads', 'many', dir]), /--threads takes a whole number from 1 to 64, or auto/);
    writeFileSync(join(dir, 'a.sql'), 'GRANT SELECT ON t TO PUBLIC;\n');
    assert.equal(JSON.parse((await lint(['--threads', 'auto', dir])).stdout).findings[0].ruleId, 'grant-to-public');
  });

  it('the corpus through the built command: --threads 2 reports what --threads 1 reports', () => {
    const corpus = join(__dirname, '../../../shared/corpus/projects');
    const one = spawnSync(process.execPath, [BIN, 'lint', '--format', 'json', '--threads', '1', corpus], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const two = spawnSync(process.execPath, [BIN, 'lint', '--format', 'json', '--threads', '2', corpus], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(one.status, 1, one.stderr);
    assert.ok(JSON.parse(one.stdout).findings.length > 100);
    assert.equal(two.stdout, one.stdout);
    assert.equal(two.status, one.status);
  });
});
