// pgwarden.json in the editor: each problem is reported once. The JSON schema completes
// and describes but validates nothing, so an unknown rule or a bad severity comes only from
// pgwarden's validator (the same one the CLI uses), and a syntax error only from VS Code's
// JSON support.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { open, waitFor } from './util';

describe('pgwarden.json problems', () => {
  it('reports each problem once: bad settings from pgwarden, a syntax error from JSON', async () => {
    const editor = await open('pgwarden.json');
    const uri = editor.document.uri;
    const replaceAll = (text: string) => editor.edit((b) => b.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), text));
    const by = () => {
      const all = vscode.languages.getDiagnostics(uri);
      return { pgwarden: all.filter((d) => d.source === 'pgwarden'), other: all.filter((d) => d.source !== 'pgwarden'), all };
    };
    try {
      // A syntax error: VS Code's JSON support reports it (which also proves it validates this file).
      await replaceAll('{ "rules": { "grant-all": "off" }\n');
      const syntax = await waitFor('the JSON syntax error', () => (by().other.length > 0 ? by() : undefined));
      assert.deepEqual(syntax.pgwarden.map((d) => d.message), [], 'pgwarden does not repeat the syntax error');
      // Valid JSON with two bad settings: JSON's own diagnostics clear (it re-validated) and
      // pgwarden names each problem; nothing else does.
      await replaceAll('{ "rules": { "no-such-rule": "warning", "grant-all": "loud" } }\n');
      const after = await waitFor('pgwarden\'s two problems and no JSON ones', () => {
        const d = by();
        return d.other.length === 0 && d.pgwarden.length === 2 ? d : undefined;
      });
      assert.deepEqual(
        after.all.map((d) => d.message).sort(),
        ['rule "grant-all" must be "off", "info", "warning" or "error"', 'unknown rule "no-such-rule"'],
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});
