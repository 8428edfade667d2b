// The `pgwarden` command keeps V8's compiled code of its bundle in a per-user folder
// (bin/load-bundle.js). It is an optimisation only: whatever happens to that folder, the
// command prints the same report and nothing about the cache. The bundle is stamped with
// its own hash by the build, which keys this cache and the lint cache. Runs the built
// bin/pgwarden.js (`npm run build` first; `npm test` does).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '../../bin/pgwarden.js');
const BUNDLE = resolve(__dirname, '../../dist/cli.js');
const PLACEHOLDER = 'pgwarden-build-hash-placeholder-00000000';

describe('the compiled-code cache of the pgwarden command', function () {
  this.timeout(60_000);
  let dir: string;
  let sql: string;
  let expected: string;

  const run = (codeCache: string | undefined, env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [BIN, 'lint', '--format', 'json', sql], {
      encoding: 'utf8',
      env: { ...process.env, PGWARDEN_CODE_CACHE: codeCache ?? '', XDG_CACHE_HOME: join(dir, 'xdg'), ...env },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const cacheFiles = (folder: string) => readdirSync(folder).filter((n) => n.endsWith('.v8cache'));

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-code-cache-'));
    sql = join(dir, 'roles.sql');
    writeFileSync(sql, 'CREATE ROLE admin SUPERUSER;\n');
    const plain = run('off');
    assert.equal(plain.code, 1);
    assert.deepEqual(
      (JSON.parse(plain.stdout).findings as Array<{ ruleId: string; line: number; column: number }>).map((f) => `${f.ruleId}@${f.line}:${f.column}`),
      ['superuser-role@1:19'],
    );
    expected = plain.stdout;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the bundle is stamped with the hash of its own text', () => {
    const text = readFileSync(BUNDLE, 'utf8');
    const stamp = /^\/\/ pgwarden build ([0-9a-f]{40})\n/.exec(text)?.[1];
    assert.ok(stamp, text.slice(0, 80));
    assert.equal(createHash('sha1').update(text.split(stamp).join(PLACEHOLDER)).digest('hex'), stamp);
    // The lint cache's build id (a string constant in the code) carries the same hash.
    assert.ok(/["']([0-9a-f]{40})["']/.test(text) && text.includes(`"${stamp}"`));
  });

  it('is written once, to a file only this user can read, and used as it is by later runs', () => {
    const folder = join(dir, 'cc-first');
    const first = run(folder);
    assert.deepEqual([first.code, first.stdout, first.stderr], [1, expected, '']);
    const [name] = cacheFiles(folder);
    assert.match(name, /^cli-[0-9a-f]{40}-.+\.v8cache$/);
    const written = statSync(join(folder, name));
    assert.equal(written.mode & 0o777, 0o600);
    assert.equal(statSync(folder).mode & 0o777, 0o700);
    const second = run(folder);
    assert.deepEqual([second.code, second.stdout, second.stderr], [1, expected, '']);
    // Accepted data is not written again (rejected data would be replaced).
    const after = statSync(join(folder, name));
    assert.deepEqual([after.ino, after.mtimeMs, after.size], [written.ino, written.mtimeMs, written.size]);
  });

  it('data V8 rejects is replaced, and the report is the same', () => {
    const folder = join(dir, 'cc-garbage');
    run(folder);
    const [name] = cacheFiles(folder);
    writeFileSync(join(folder, name), Buffer.alloc(4096, 7), { mode: 0o600 });
    const r = run(folder);
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, expected, '']);
    const data = readFileSync(join(folder, name));
    assert.ok(data.length !== 4096 || !data.equals(Buffer.alloc(4096, 7)));
  });

  it('a folder that cannot be created costs nothing but the cache', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const r = run(join(blocker, 'cache'));
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, expected, '']);
  });

  it('a folder others may write is neither read nor written', () => {
    const folder = join(dir, 'cc-shared');
    mkdirSync(folder);
    chmodSync(folder, 0o777);
    const r = run(folder);
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, expected, '']);
    assert.deepEqual(cacheFiles(folder), []);
  });

  it('PGWARDEN_CODE_CACHE=off writes nothing; by default the folder is $XDG_CACHE_HOME/pgwarden', () => {
    const off = run('off');
    assert.deepEqual([off.code, off.stdout], [1, expected]);
    assert.throws(() => readdirSync(join(dir, 'xdg')), /ENOENT/);
    const byDefault = run(undefined);
    assert.deepEqual([byDefault.code, byDefault.stdout, byDefault.stderr], [1, expected, '']);
    assert.equal(cacheFiles(join(dir, 'xdg', 'pgwarden')).length, 1);
  });
});
