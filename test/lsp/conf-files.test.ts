// pg_hba.conf and postgresql.conf through the language server: diagnostics with the
// Unnecessary tag for dead records, quick fixes, and the editor features (hover,
// completion, formatting, outline) that run in the analysis worker.

import assert from 'node:assert/strict';
import { CompletionItem, Diagnostic, DocumentSymbol, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from '../support/lsp';

const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`).sort();
const pos = (line: number, character: number) => ({ line, character });

describe('configuration files over LSP', function () {
  this.timeout(30_000);
  let c: LspClient;
  before(async () => {
    c = await LspClient.start({ mode: 'pull' });
  });
  after(() => c.stop());

  const HBA = 'host all all 0.0.0.0/0 md5\nhost all all 10.0.0.0/8 md5\nlocal all all peer\n';

  it('lints pg_hba.conf, tags the shadowed record Unnecessary and fixes md5', async () => {
    const uri = 'file:///virtual/pg_hba.conf';
    c.open(uri, 'pg-hba', HBA);
    const ds = await c.pull(uri);
    // The shadowed second record can never match a connection: it gets only hba-shadowed.
    assert.deepEqual(codes(ds), [
      'hba-md5@0:23',
      'hba-no-ssl@0:0',
      'hba-open-address@0:13',
      'hba-shadowed@1:0',
      'hba-superuser-remote@0:9',
    ]);
    const shadowed = ds.find((d) => d.code === 'hba-shadowed')!;
    assert.deepEqual(shadowed.tags, [1]);
    const md5 = ds.find((d) => d.code === 'hba-md5' && d.range.start.line === 0)!;
    // Switching md5 to scram-sha-256 locks out md5-hashed roles: offered, said so, never preferred.
    const actions = await c.codeActions(uri, md5.range, [md5]);
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred ?? false]),
      [
        ['Use scram-sha-256 (unsafe: locks out roles whose stored password hash is md5 until their passwords are set again)', false],
        ['Disable hba-md5 for this line', false],
      ],
    );
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'pg-hba', 1, HBA), actions[0].edit!.changes![uri]);
    assert.equal(fixed.split('\n')[0], 'host all all 0.0.0.0/0 scram-sha-256');
    // Deleting the record no connection reaches is safe: preferred, and the only thing fixAll does.
    const del = await c.codeActions(uri, shadowed.range, [shadowed]);
    assert.deepEqual(del.map((a) => [a.title, a.isPreferred ?? false])[0], ['Delete this record', true]);
    const all = await c.fixAll(uri);
    assert.equal(all.length, 1);
    assert.equal(TextDocument.applyEdits(TextDocument.create(uri, 'pg-hba', 1, HBA), all[0].edit!.changes![uri]), 'host all all 0.0.0.0/0 md5\nlocal all all peer\n');
  });

  it('answers hover, completion, formatting and outline for pg_hba.conf', async () => {
    const uri = 'file:///virtual/editor/pg_hba.conf';
    c.open(uri, 'pg-hba', HBA);
    await c.pull(uri);
    const hover = (await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: pos(0, 24) })) as Hover | null;
    assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents);
    assert.match((hover!.contents as { value: string }).value, /md5/i);
    const items = (await c.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: pos(3, 0) })) as CompletionItem[];
    assert.ok(items.some((i) => i.label === 'hostssl'), `completion lacks hostssl: ${items.map((i) => i.label).join(',')}`);
    const edits = (await c.conn.sendRequest('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } })) as TextEdit[];
    const formatted = TextDocument.applyEdits(TextDocument.create(uri, 'pg-hba', 1, HBA), edits);
    assert.notEqual(formatted, HBA);
    assert.deepEqual(formatted.split('\n').map((l) => l.split(/\s+/).filter(Boolean)), HBA.split('\n').map((l) => l.split(/\s+/).filter(Boolean)), 'formatting changes only blanks');
    const symbols = (await c.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
    assert.equal(symbols.length, 3);
    assert.deepEqual(symbols.map((s) => s.range.start.line), [0, 1, 2]);
  });

  it('lints postgresql.conf, marks an overridden line and answers hover and completion', async () => {
    const uri = 'file:///virtual/postgresql.conf';
    const text = "ssl = on\nssl = off\npassword_encryption = 'md5'\n";
    c.open(uri, 'pg-conf', text);
    const ds = await c.pull(uri);
    assert.deepEqual(codes(ds), ['conf-overridden@0:0', 'conf-password-encryption@2:22', 'conf-ssl@1:6']);
    assert.deepEqual(ds.find((d) => d.code === 'conf-overridden')!.tags, [1]);
    const hover = (await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: pos(2, 3) })) as Hover | null;
    assert.match((hover!.contents as { value: string }).value, /password_encryption/);
    c.change(uri, text + 'log_conn');
    await c.pull(uri);
    const items = (await c.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: pos(3, 8) })) as CompletionItem[];
    assert.ok(items.some((i) => i.label === 'log_connections'));
  });

  it('lints pg_ident.conf (language pg-ident), and judges pg_hba.conf records with map= through the open map as edited', async () => {
    const hba = 'file:///virtual/ident/pg_hba.conf';
    const ident = 'file:///virtual/ident/pg_ident.conf';
    c.open(ident, 'pg-ident', 'clients /^(.*)@example\\.com$ app_\\1\nops /admin bob\n');
    assert.deepEqual(codes(await c.pull(ident)), ['ident-regex-unanchored@1:4']);
    c.open(hba, 'pg-hba', 'hostssl app all 203.0.113.0/24 cert map=clients\n');
    // The map never yields a superuser, so user all is no remote superuser login.
    assert.deepEqual(codes(await c.pull(hba)), []);
    c.change(ident, 'clients /.* postgres\n');
    assert.deepEqual(codes(await c.pull(ident)), ['ident-any-superuser@0:8']);
    assert.deepEqual(codes(await c.pull(hba)), ['hba-superuser-remote@0:12']);
    c.close(ident);
    c.close(hba);
  });
});
