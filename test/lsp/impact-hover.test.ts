// Hover over an access statement in a migration: its effect on the declared state, folded
// from the project's history up to the statement and through it, with membership paths.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Hover } from 'vscode-languageserver-protocol';
import { LspClient, until } from '../support/lsp';

const ROLES = [
  'CREATE ROLE web_anon NOLOGIN;',
  'CREATE ROLE api LOGIN;',
  'CREATE ROLE svc LOGIN;',
  'CREATE ROLE batch LOGIN NOINHERIT;',
  'CREATE ROLE ops LOGIN;',
  'GRANT web_anon TO api, svc, batch;',
  'GRANT api TO ops;',
  'CREATE SCHEMA app;',
  'CREATE TABLE app.orders (id int);',
  'CREATE TABLE app.items (id int);',
].join('\n');

const GRANTS = [
  'GRANT SELECT ON app.orders, app.items TO web_anon;',
  'REVOKE SELECT ON app.items FROM web_anon;',
  'GRANT SELECT ON app.orders TO web_anon;',
  'ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO api;',
  'CREATE POLICY own ON app.orders FOR SELECT TO web_anon USING (true);',
  'GRANT svc TO ops;',
  'SELECT 1;',
  'GRANT INSERT ON app.orders TO web_anon, svc;',
  'GRANT SELECT ON app.orders TO "*x_y*";',
].join('\n');

describe('impact hover', function () {
  this.timeout(30_000);
  let dir: string;
  let c: LspClient;
  let uri: string;
  const hover = async (line: number, character: number) =>
    (await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } })) as Hover | null;
  const markdown = (h: Hover | null) => {
    const c = h?.contents as { kind: string; value: string } | undefined;
    if (c) assert.equal(c.kind, 'markdown');
    return c?.value ?? null;
  };
  // The text a reader sees: markdown escapes removed, the heading's blank line folded.
  const text = (h: Hover | null) => markdown(h)?.replace(/\\(.)/g, '$1').replace('\n\n', '\n') ?? null;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-impact-'));
    mkdirSync(join(dir, 'migrations'));
    writeFileSync(join(dir, 'migrations', '001_roles.sql'), ROLES);
    writeFileSync(join(dir, 'migrations', '002_grants.sql'), GRANTS);
    c = await LspClient.start({ mode: 'pull', rootUri: pathToFileURL(dir).toString() });
    uri = pathToFileURL(join(dir, 'migrations', '002_grants.sql')).toString();
    c.open(uri, 'sql', GRANTS);
    await c.pull(uri);
  });
  after(async () => {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a GRANT names the grantee, the members that inherit it (not a NOINHERIT one) and counts the other objects', async () => {
    // The roles come from the earlier migration on disk, once the workspace is indexed.
    const h = await until(async () => {
      const got = await hover(0, 3);
      return text(got)?.includes('members') ? got : undefined;
    }, 'hover with the indexed roles');
    assert.equal(text(h), 'pgwarden: access\n- after this statement, role web_anon and 3 members (api, ops, svc) can SELECT table app.orders (+1 table)');
    assert.deepEqual(h!.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 49 } });
  });

  it('a REVOKE says what no longer holds; a repeated GRANT changes nothing', async () => {
    assert.equal(text(await hover(1, 10)), 'pgwarden: access\n- after this statement, role web_anon and 3 members (api, ops, svc) no longer hold SELECT on table app.items through this grant');
    assert.equal(text(await hover(2, 0)), 'pgwarden: access\nNo change to access: the declared state already has this.');
  });

  it('default privileges, a policy and a membership', async () => {
    assert.equal(text(await hover(3, 5)), 'pgwarden: access\n- adds default SELECT on tables created by current_user in schema app to api (granted)');
    assert.equal(text(await hover(4, 5)), 'pgwarden: access\n- adds policy own on table app.orders (permissive for select to web_anon), and through membership to api, ops, svc');
    assert.equal(text(await hover(5, 2)), 'pgwarden: access\n- after this statement, role ops is a member of svc (INHERIT, SET)');
  });

  it('grantees given the same privilege on the same objects share a line, in the order the statement names them; a grantee is not counted as a member', async () => {
    assert.equal(text(await hover(7, 8)), 'pgwarden: access\n- after this statement, roles web_anon, svc and 2 members (api, ops) can INSERT table app.orders');
  });

  it('is Markdown with every name escaped, so a quoted identifier is never read as markup', async () => {
    assert.equal(markdown(await hover(8, 3)), 'pgwarden: access\n\n- after this statement, role \\*x\\_y\\* can SELECT table app\\.orders');
  });

  it('no hover on a statement that does not change access', async () => {
    assert.equal(await hover(6, 3), null);
  });
});
