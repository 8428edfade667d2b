// Faults inside the analysis: a document that hangs the parser or aborts its WASM gets
// one "not analysed" diagnostic; the worker is replaced, every other document keeps its
// findings, and editing the document analyses it again. Oversized documents are refused
// with one clear diagnostic. Rapid edits never publish diagnostics of an older version.

import assert from 'node:assert/strict';
import { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, until } from '../support/lsp';

const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);

describe('language server faults', function () {
  this.timeout(60_000);

  for (const kind of ['hang', 'abort'] as const) {
    it(`replaces the worker after a ${kind} and keeps other documents' findings`, async () => {
      const c = await LspClient.start({ mode: 'pull', env: { PGWARDEN_TEST_HOOKS: '1' } });
      try {
        const a = 'file:///virtual/a.sql';
        const b = 'file:///virtual/b.sql';
        c.open(a, 'sql', 'CREATE ROLE a SUPERUSER;');
        c.open(b, 'sql', 'GRANT SELECT ON t TO PUBLIC;');
        assert.deepEqual(codes(await c.pull(a)), ['superuser-role@0:14']);
        assert.deepEqual(codes(await c.pull(b)), ['grant-to-public@0:21']);

        await c.conn.sendRequest('pgwarden/test/simulate', { uri: a, kind });
        assert.equal(await c.conn.sendRequest('pgwarden/test/restarts'), 1);
        const failed = await c.pull(a);
        assert.deepEqual(codes(failed), ['not-analysed@0:0']);
        assert.match(String(failed[0].message), kind === 'hang' ? /did not analyse this file: analysis took longer than 2 s/ : /did not analyse this file: the parser failed \(Aborted\(simulated\)\)/);
        // The other document was replayed into the new worker.
        assert.deepEqual(codes(await c.pull(b)), ['grant-to-public@0:21']);
        // Editing the failed document analyses it again.
        c.change(a, 'CREATE ROLE a SUPERUSER;\n');
        assert.deepEqual(codes(await c.pull(a)), ['superuser-role@0:14']);
      } finally {
        await c.stop();
      }
    });
  }

  it('refuses a document over the size cap with one diagnostic, and stays responsive', async () => {
    const c = await LspClient.start({ mode: 'pull' });
    try {
      const big = 'file:///virtual/big.sql';
      c.open(big, 'sql', '-- x\n'.repeat(2_200_000));
      const ds = await c.pull(big);
      assert.deepEqual(codes(ds), ['not-analysed@0:0']);
      assert.match(String(ds[0].message), /larger than 10 MB/);
      const small = 'file:///virtual/small.sql';
      c.open(small, 'sql', 'CREATE ROLE r SUPERUSER;');
      assert.deepEqual(codes(await c.pull(small)), ['superuser-role@0:14']);
    } finally {
      await c.stop();
    }
  });

  it('never pushes diagnostics for a version older than one already pushed', async () => {
    const c = await LspClient.start({ mode: 'push' });
    try {
      const uri = 'file:///virtual/rapid.sql';
      const body = Array.from({ length: 2000 }, (_, i) => `GRANT SELECT ON t${i} TO app;`).join('\n');
      c.open(uri, 'sql', body);
      let last = 1;
      for (let i = 0; i < 30; i++) last = c.change(uri, `${body}\nCREATE ROLE r${i} SUPERUSER;`);
      const final = await c.waitForPush(uri, last);
      assert.deepEqual(codes(final), ['superuser-role@2000:16']);
      const versions = (c.pushed.get(uri) ?? []).map((p) => p.version ?? 0);
      assert.deepEqual(versions, [...versions].sort((x, y) => x - y), `pushes out of order: ${versions.join(',')}`);
      // Let any straggler arrive, then check nothing older came after the final push.
      await until(() => (c.pushed.get(uri)!.at(-1)!.version === last ? true : undefined), 'the final push to stay last', 2000);
    } finally {
      await c.stop();
    }
  });
});
