// `pgwarden impact FILE...` as a reviewer runs it on a pull request: the built bin, a
// migrations folder, and the access changes the named files make, with the roles that
// receive them through membership.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '../../bin/pgwarden.js');

function pgwarden(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('pgwarden impact (CLI)', function () {
  this.timeout(30_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-impact-'));
    writeFileSync(
      join(dir, '001_init.sql'),
      [
        'CREATE ROLE web_anon NOLOGIN;',
        'CREATE ROLE "Web User" LOGIN;',
        'CREATE ROLE api LOGIN;',
        'GRANT web_anon TO "Web User";',
        'GRANT web_anon TO api;',
        'CREATE SCHEMA app;',
        'CREATE TABLE app.orders (id int);',
        'GRANT SELECT ON app.orders TO api;',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, '002_open.sql'),
      ['GRANT SELECT ON app.orders TO web_anon;', 'REVOKE SELECT ON app.orders FROM api;', 'ALTER ROLE api BYPASSRLS;', 'ALTER TABLE app.orders ENABLE ROW LEVEL SECURITY;', ''].join('\n'),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints what the named migration changes, with the members who receive a grant', () => {
    const r = pgwarden(['impact', '002_open.sql'], dir);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      [
        '002_open.sql:1  + SELECT on table app.orders to web_anon, and through membership to Web User, api',
        '002_open.sql:3  ~ BYPASSRLS of role api: NOBYPASSRLS -> BYPASSRLS',
        '002_open.sql:4  + row-level security enabled on table app.orders',
        '(revoked or dropped)  - SELECT on table app.orders to api',
        '4 access change(s)',
        '',
      ].join('\n'),
    );
  });

  it('gives the same as JSON, and nothing for a file that changes no access', () => {
    const r = pgwarden(['impact', '--format', 'json', '002_open.sql'], dir);
    const changes = JSON.parse(r.stdout).changes;
    assert.deepEqual(changes[0], {
      change: 'added',
      kind: 'privilege',
      message: 'SELECT on table app.orders to web_anon, and through membership to Web User, api',
      members: ['Web User', 'api'],
      file: '002_open.sql',
      line: 1,
      after: 'granted',
    });
    writeFileSync(join(dir, '003_noop.sql'), 'CREATE INDEX ON app.orders (id);\n');
    assert.equal(pgwarden(['impact', '003_noop.sql'], dir).stdout, 'No access changes.\n');
    const bad = pgwarden(['impact', 'nope.sql'], dir);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'pgwarden: not a migration file: nope.sql\n');
  });
});
