// The language server over stdio, as an editor drives it: pulled and pushed diagnostics
// (each exactly once), quick fixes, fixAll, suppression, pgwarden.json and cross-file facts.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient, until } from '../support/lsp';

const SQL = [
  'GRANT SELECT ON accounts TO PUBLIC;',
  'CREATE ROLE admin WITH LOGIN SUPERUSER;',
  'SELECT FROM FROM;',
  "CREATE ROLE 日本 SUPERUSER; -- 🙂",
].join('\n');

function summary(ds: Diagnostic[]): string[] {
  return ds
    .map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`)
    .sort();
}

const EXPECTED = [
  'grant-to-public@0:28-0:34',
  'superuser-role@1:29-1:38',
  'superuser-role@3:15-3:24',
  'syntax-error@2:12-2:16',
];

function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('x', 'sql', 1, text), edits);
}

describe('language server over stdio', function () {
  this.timeout(30_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgwarden-lsp-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('a client that takes snippet edits', () => {
    let c: LspClient;
    before(async () => {
      c = await LspClient.start({ mode: 'pull', snippets: true });
    });
    after(() => c.stop());

    it('a placeholder becomes a tab stop offering the declared roles; a policy template offers only the table\'s own columns', async () => {
      const uri = 'file:///virtual/snippet.sql';
      const text = [
        'CREATE ROLE reader;',
        'CREATE TABLE docs (id int, owner name, "Body" text);',
        'GRANT SELECT ON docs TO reader;',
        'GRANT SELECT ON docs TO PUBLIC;',
        'ALTER TABLE docs ENABLE ROW LEVEL SECURITY;',
      ].join('\n');
      c.open(uri, 'sql', text);
      const ds = await c.pull(uri);
      const grant = ds.filter((d) => d.code === 'grant-to-public');
      assert.equal(grant.length, 1);
      const [replace] = await c.codeActions(uri, grant[0].range, grant);
      assert.equal(replace.title.startsWith('Replace PUBLIC with a named role'), true);
      const change = replace.edit!.documentChanges![0] as { textDocument: { uri: string }; edits: Array<{ range: unknown; snippet?: { kind: string; value: string } }> };
      assert.equal(change.textDocument.uri, uri);
      assert.deepEqual(change.edits.map((e) => [e.range, e.snippet]), [[grant[0].range, { kind: 'snippet', value: '${1|app_role,reader|}' }]]);

      const rls = ds.filter((d) => d.code === 'rls-no-policy');
      assert.equal(rls.length, 1);
      const [template] = await c.codeActions(uri, rls[0].range, rls);
      const edit = (template.edit!.documentChanges![0] as { edits: Array<{ snippet: { value: string } }> }).edits[0];
      assert.equal(
        edit.snippet.value,
        '\nCREATE POLICY docs_owner ON docs FOR ALL TO ${1:reader} USING (${2|owner = current_user,false,id = current_user,"Body" = current_user|});',
      );
    });
  });

  describe('a client that pulls diagnostics', () => {
    let c: LspClient;
    before(async () => {
      c = await LspClient.start({ mode: 'pull' });
    });
    after(() => c.stop());

    it('reports each finding exactly once, with code, source, docs link and exact UTF-16 range', async () => {
      const uri = 'file:///virtual/pull.sql';
      c.open(uri, 'sql', SQL);
      const ds = await c.pull(uri);
      assert.deepEqual(summary(ds), EXPECTED);
      for (const d of ds) {
        assert.equal(d.source, 'pgwarden');
        assert.equal(d.codeDescription?.href, `https://github.com/pgwarden/pgwarden/blob/main/docs/rules/${d.code}.md`);
      }
      // A pull client must never also receive pushed diagnostics (it would show them twice).
      assert.equal(c.pushed.get(uri), undefined);
    });

    it('offers the fix (unsafe: not preferred, its consequence in the title) and a disable comment; applying it removes the finding', async () => {
      const uri = 'file:///virtual/fix.sql';
      const text = 'CREATE ROLE admin SUPERUSER;\n';
      c.open(uri, 'sql', text);
      const ds = await c.pull(uri);
      assert.deepEqual(summary(ds), ['superuser-role@0:18-0:27']);
      const actions = await c.codeActions(uri, ds[0].range, ds);
      assert.deepEqual(
        actions.map((a) => [a.title, a.isPreferred ?? false]),
        [
          ['Change SUPERUSER to NOSUPERUSER (unsafe: whatever relies on the role being a superuser fails)', false],
          ['Disable superuser-role for this line', false],
        ],
      );
      const fixed = applyEdits(text, actions[0].edit!.changes![uri]);
      assert.equal(fixed, 'CREATE ROLE admin NOSUPERUSER;\n');
      c.change(uri, fixed);
      assert.deepEqual(await c.pull(uri), []);

      const disabled = applyEdits(text, actions[1].edit!.changes![uri]);
      assert.equal(disabled, '-- pgwarden-disable-next-line superuser-role\nCREATE ROLE admin SUPERUSER;\n');
      c.change(uri, disabled);
      assert.deepEqual(await c.pull(uri), []);
    });

    it('a placeholder fix is plain text for a client without snippet edits', async () => {
      const uri = 'file:///virtual/plain-placeholder.sql';
      const text = 'CREATE ROLE reader;\nGRANT SELECT ON t TO PUBLIC;\n';
      c.open(uri, 'sql', text);
      const ds = (await c.pull(uri)).filter((d) => d.code === 'grant-to-public');
      const [replace] = await c.codeActions(uri, ds[0].range, ds);
      assert.equal(applyEdits(text, replace.edit!.changes![uri]), 'CREATE ROLE reader;\nGRANT SELECT ON t TO app_role;\n');
    });

    it('fixAll applies only safe fixes: unsafe and snippet fixes are left alone', async () => {
      const uri = 'file:///virtual/fixall.sql';
      // Logging connections again cannot change what the server accepts; NOSUPERUSER can.
      const text = `${SQL}\nALTER SYSTEM SET log_connections = off;\n`;
      c.open(uri, 'sql', text);
      await c.pull(uri);
      const actions = await c.fixAll(uri);
      assert.equal(actions.length, 1);
      assert.equal(actions[0].kind, 'source.fixAll.pgwarden');
      const fixed = applyEdits(text, actions[0].edit!.changes![uri]);
      assert.equal(fixed, text.replace('log_connections = off', 'log_connections = on'));
      c.change(uri, fixed);
      assert.deepEqual(summary(await c.pull(uri)), ['grant-to-public@0:28-0:34', 'superuser-role@1:29-1:38', 'superuser-role@3:15-3:24', 'syntax-error@2:12-2:16']);
      // Nothing safe left: no fixAll action at all.
      assert.deepEqual(await c.fixAll(uri), []);
    });

    it('re-parses after an incremental edit and reports an unused suppression as a hint', async () => {
      const uri = 'file:///virtual/incremental.sql';
      c.open(uri, 'sql', 'SELECT 1;\nGRANT SELECT ON t TO PUBLIC;\n');
      assert.deepEqual(summary(await c.pull(uri)), ['grant-to-public@1:21-1:27']);
      // Replace PUBLIC with a role by a ranged change, then add a useless suppression.
      c.change(uri, 'app', { start: { line: 1, character: 21 }, end: { line: 1, character: 27 } });
      assert.deepEqual(await c.pull(uri), []);
      c.change(uri, '-- pgwarden-disable-next-line grant-all\n', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
      const ds = await c.pull(uri);
      assert.deepEqual(summary(ds), ['unused-suppression@0:0-0:39']);
      assert.equal(ds[0].severity, 4);
      assert.deepEqual(ds[0].tags, [1]);
    });
  });

  describe('a client that takes pushed diagnostics', () => {
    let c: LspClient;
    before(async () => {
      c = await LspClient.start({ mode: 'push' });
    });
    after(() => c.stop());

    it('pushes each finding exactly once per version', async () => {
      const uri = 'file:///virtual/push.sql';
      c.open(uri, 'sql', SQL);
      const ds = await c.waitForPush(uri, 1);
      assert.deepEqual(summary(ds), EXPECTED);
      const v2 = c.change(uri, 'SELECT 1;');
      assert.deepEqual(await c.waitForPush(uri, v2), []);
      const pushes = c.pushed.get(uri)!;
      assert.ok(pushes.every((p) => new Set(summary(p.diagnostics)).size === p.diagnostics.length), 'no duplicate diagnostic in a push');
    });
  });

  describe('the workspace model and pgwarden.json', () => {
    let c: LspClient;
    let root: string;
    before(async () => {
      root = join(dir, 'ws');
      require('node:fs').mkdirSync(join(root, 'migrations'), { recursive: true });
      writeFileSync(join(root, 'migrations', '001_tables.sql'), 'CREATE TABLE accounts (id int);\nCREATE TABLE notes (id int);\n');
      writeFileSync(join(root, 'migrations', '002_rls.sql'), 'ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;\n');
      // rls.schemas makes every table of schema public need RLS, so missing-rls shows which facts count.
      writeFileSync(join(root, 'pgwarden.json'), JSON.stringify({ rules: { 'rls-no-policy': 'off', 'rls-not-forced': 'off' }, rls: { schemas: ['public'] } }));
      c = await LspClient.start({ mode: 'pull', rootUri: pathToFileURL(root).toString() });
    });
    after(() => c.stop());

    it('counts facts from files that are not open, and re-checks when an open file changes them', async () => {
      const tables = pathToFileURL(join(root, 'migrations', '001_tables.sql')).toString();
      const text = 'CREATE TABLE accounts (id int);\nCREATE TABLE notes (id int);\n';
      c.open(tables, 'sql', text);
      // accounts has RLS in 002_rls.sql (never opened); notes has none.
      const ds = await until(async () => {
        const d = await c.pull(tables);
        return d.length ? d : undefined;
      }, 'diagnostics for 001_tables.sql');
      assert.deepEqual(summary(ds), ['missing-rls@1:13-1:18']);
      // Opening and editing 002 so it no longer enables RLS on accounts makes 001 report both.
      const rls = pathToFileURL(join(root, 'migrations', '002_rls.sql')).toString();
      c.open(rls, 'sql', 'ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;\n');
      const before = c.refreshes;
      c.change(rls, 'SELECT 1;\n');
      await until(() => (c.refreshes > before ? true : undefined), 'a diagnostics refresh');
      assert.deepEqual(summary(await c.pull(tables)), ['missing-rls@0:13-0:21', 'missing-rls@1:13-1:18']);
    });

    it('applies pgwarden.json, re-lints when it changes, and reports a broken config on the file', async () => {
      const uri = 'file:///virtual/config.sql';
      c.open(uri, 'sql', 'GRANT SELECT ON t TO PUBLIC;');
      assert.deepEqual(summary(await c.pull(uri)), ['grant-to-public@0:21-0:27']);
      const cfg = pathToFileURL(join(root, 'pgwarden.json')).toString();
      c.open(cfg, 'json', JSON.stringify({ rules: { 'grant-to-public': 'off' } }));
      await until(async () => ((await c.pull(uri)).length === 0 ? true : undefined), 'grant-to-public turned off');
      c.change(cfg, '{ "rules": { "grant-to-public": "loud" } }');
      const problems = await until(async () => {
        const d = await c.pull(cfg);
        return d.length ? d : undefined;
      }, 'a config diagnostic');
      assert.equal(problems.length, 1);
      assert.match(String(problems[0].message), /rule "grant-to-public" must be "off", "info", "warning" or "error"/);
      assert.equal(problems[0].range.start.line, 0);
      assert.equal(problems[0].range.start.character, 13);
      // A syntax error is the JSON language's to report (the editor's JSON support does);
      // pgwarden does not repeat it, and forgets the bad severity it reported before.
      c.change(cfg, '{ "rules": { "grant-to-public": "loud" }');
      await until(async () => ((await c.pull(cfg)).length === 0 ? true : undefined), 'no pgwarden diagnostic for a JSON syntax error');
    });
  });

  describe('projects side by side in one workspace', () => {
    let c: LspClient;
    let root: string;
    const DEFINER = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ select 1 $$;\n';
    before(async () => {
      root = join(dir, 'mono');
      const fs = require('node:fs');
      for (const p of ['a', 'b']) fs.mkdirSync(join(root, p, 'db'), { recursive: true });
      // Each folder is a project (package.json): a's revoke and a's pgwarden.json are a's alone.
      writeFileSync(join(root, 'a', 'package.json'), '{}');
      writeFileSync(join(root, 'b', 'package.json'), '{}');
      writeFileSync(join(root, 'a', 'db', '1_revoke.sql'), 'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\n');
      writeFileSync(join(root, 'a', 'pgwarden.json'), JSON.stringify({ rules: { 'grant-to-public': 'off' } }));
      c = await LspClient.start({ mode: 'pull', rootUri: pathToFileURL(root).toString() });
    });
    after(() => c.stop());

    it('keeps each project\'s facts and pgwarden.json to itself', async () => {
      const inA = pathToFileURL(join(root, 'a', 'db', '2_f.sql')).toString();
      const inB = pathToFileURL(join(root, 'b', 'db', '2_f.sql')).toString();
      c.open(inA, 'sql', DEFINER + 'GRANT SELECT ON t TO PUBLIC;\n');
      c.open(inB, 'sql', DEFINER + 'GRANT SELECT ON t TO PUBLIC;\n');
      const inBFound = await until(async () => {
        const d = await c.pull(inB);
        return d.length ? d : undefined;
      }, 'diagnostics for b');
      assert.deepEqual(summary(inBFound), ['definer-public-execute@0:16-0:17', 'grant-to-public@1:21-1:27']);
      assert.deepEqual(summary(await c.pull(inA)), []);
    });

    it("reports a nested project's broken pgwarden.json on that file, and keeps it to its project", async () => {
      const cfgA = pathToFileURL(join(root, 'a', 'pgwarden.json')).toString();
      const inB = pathToFileURL(join(root, 'b', 'db', '3_g.sql')).toString();
      const cfgRoot = pathToFileURL(join(root, 'pgwarden.json')).toString();
      c.open(inB, 'sql', 'GRANT SELECT ON t TO PUBLIC;\n');
      c.open(cfgRoot, 'json', '{ "rules": { "grant-all": "loud" } }');
      c.open(cfgA, 'json', '{ "rules": { "grant-to-public": "off", "superuser-role": "loud" } }');
      const problems = await until(async () => {
        const d = await c.pull(cfgA);
        return d.length ? d : undefined;
      }, "a diagnostic on a's pgwarden.json");
      assert.deepEqual(
        problems.map((p) => `${p.range.start.line}:${p.range.start.character} ${p.message}`),
        ['0:39 rule "superuser-role" must be "off", "info", "warning" or "error"'],
      );
      // Both files open: each reports its own problems.
      const rootProblems = await c.pull(cfgRoot);
      assert.deepEqual(rootProblems.map((p) => `${p.range.start.line}:${p.range.start.character}`), ['0:13']);
            // a's configuration, open and edited, still does not reach b.
      assert.deepEqual(summary(await c.pull(inB)), ['grant-to-public@0:21-0:27']);
      c.change(cfgA, '{ "rules": { "grant-to-public": "off" } }');
      await until(async () => ((await c.pull(cfgA)).length === 0 ? true : undefined), "a's pgwarden.json fixed");
      // Closing a's file leaves the workspace's open (unsaved) text in force.
      c.close(cfgA);
      assert.equal((await c.pull(cfgRoot)).length, 1);
      c.close(cfgRoot);
    });
  });

  describe('files the workspace model leaves out', () => {
    let c: LspClient;
    let root: string;
    before(async () => {
      root = join(dir, 'excluded');
      const fs = require('node:fs');
      for (const d of ['db', 'vendor', 'generated']) fs.mkdirSync(join(root, d), { recursive: true });
      writeFileSync(join(root, 'db', 'tables.sql'), 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n');
      // Each of these would enable RLS on one table, but neither file is part of the workspace model.
      writeFileSync(join(root, 'vendor', 'rls.sql'), 'ALTER TABLE a ENABLE ROW LEVEL SECURITY;\n');
      writeFileSync(join(root, 'generated', 'rls.sql'), 'ALTER TABLE b ENABLE ROW LEVEL SECURITY;\n');
      writeFileSync(join(root, 'pgwarden.json'), JSON.stringify({ ignore: ['generated/**'], rls: { schemas: ['public'] } }));
      c = await LspClient.start({ mode: 'pull', rootUri: pathToFileURL(root).toString(), settings: { 'files.exclude': { '**/vendor': true, '**/.git': true } } });
    });
    after(() => c.stop());

    it('honours files.exclude and the ignore globs of pgwarden.json', async () => {
      const uri = pathToFileURL(join(root, 'db', 'tables.sql')).toString();
      c.open(uri, 'sql', 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n');
      assert.deepEqual(summary(await c.pull(uri)), ['missing-rls@0:13-0:14', 'missing-rls@1:13-1:14']);
      // An ignored file opened in the editor is not linted either.
      const ignored = pathToFileURL(join(root, 'generated', 'rls.sql')).toString();
      c.open(ignored, 'sql', 'GRANT SELECT ON b TO PUBLIC;\n');
      assert.deepEqual(await c.pull(ignored), []);
    });
  });
});
