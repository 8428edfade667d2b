// `pgwarden lint` for a person at a terminal: grouped by file and coloured, NO_COLOR
// respected, FORCE_COLOR honoured; piped output keeps its one-line-per-finding shape (the
// other CLI tests run the bin through a pipe). main() runs in-process with the terminal
// flag the real entry point takes from process.stdout.isTTY.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliIo } from '../../server/src/cli/io';
import { main } from '../../server/src/cli/main';

async function lint(args: string[], opts: { tty: boolean; env?: NodeJS.ProcessEnv }): Promise<{ code: number; out: string }> {
  let out = '';
  const io: CliIo = { stdout: (s) => (out += s), stderr: () => undefined, env: opts.env ?? {}, tty: opts.tty, promptPassword: async () => undefined };
  const code = await main(['lint', ...args], io);
  return { code, out };
}

describe('pgwarden lint on a terminal', function () {
  this.timeout(30_000);
  let dir: string;
  const cwd = process.cwd();
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-tty-'));
    writeFileSync(join(dir, 'a.sql'), 'GRANT SELECT ON t TO PUBLIC;\nCREATE ROLE r SUPERUSER;\n');
    writeFileSync(join(dir, 'pg_hba.conf'), 'host all all 10.20.0.0/16 md5\n');
    process.chdir(dir);
  });
  after(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('groups findings under their file, aligned, in colour', async () => {
    const r = await lint(['a.sql', 'pg_hba.conf'], { tty: true });
    assert.equal(r.code, 1);
    const E = '\x1b[0m';
    assert.equal(
      r.out,
      [
        `\x1b[4ma.sql${E}`,
        `  \x1b[2m1:22${E}  \x1b[33mwarning${E}  GRANT to PUBLIC gives this privilege to every role, including roles created later. Grant to a named role.  \x1b[2mgrant-to-public${E}`,
        `  \x1b[2m2:15${E}  \x1b[31merror  ${E}  Role "r" is given SUPERUSER: it bypasses every permission check and row-level security. Grant the specific privileges it needs instead.  \x1b[2msuperuser-role${E}`,
        '',
        `\x1b[4mpg_hba.conf${E}`,
        ...r.out.split('\n').slice(5, -3),
        '',
        `\x1b[1;31m5 finding(s) in 2 file(s): 1 error(s), 4 warning(s), 0 info/hint(s)${E}`,
        '',
      ].join('\n'),
    );
    // Every pg_hba.conf line is indented under its file with line:column first.
    for (const l of r.out.split('\n').slice(5, -3)) assert.match(l, /^  \x1b\[2m1:\d+ *\x1b\[0m  \x1b\[33mwarning\x1b\[0m  .+  \x1b\[2mhba-[a-z0-9-]+\x1b\[0m$/);
  });

  it('drops the colour with NO_COLOR, keeping the grouping', async () => {
    const r = await lint(['a.sql'], { tty: true, env: { NO_COLOR: '1' } });
    assert.doesNotMatch(r.out, /\x1b/);
    assert.deepEqual(r.out.split('\n').map((l) => l.replace(/  [A-Z].*  /, '  MSG  ')), [
      'a.sql',
      '  1:22  warning  MSG  grant-to-public',
      '  2:15  error    MSG  superuser-role',
      '',
      '2 finding(s) in 1 file(s): 1 error(s), 1 warning(s), 0 info/hint(s)',
      '',
    ]);
  });

  it('keeps the piped shape when stdout is not a terminal, FORCE_COLOR or not', async () => {
    for (const env of [{}, { FORCE_COLOR: '1' }]) {
      const r = await lint(['a.sql'], { tty: false, env });
      assert.equal(r.out.split('\n')[0], 'a.sql:1:22  warning  GRANT to PUBLIC gives this privilege to every role, including roles created later. Grant to a named role.  grant-to-public');
      assert.doesNotMatch(r.out, /\x1b/);
    }
  });

  it('colours a terminal-shaped report when FORCE_COLOR is set even where colour would be off', async () => {
    const r = await lint(['a.sql'], { tty: true, env: { FORCE_COLOR: '1', TERM: 'dumb' } });
    assert.match(r.out, /^\x1b\[4ma\.sql\x1b\[0m\n/);
  });
});
