// `pgwarden lint --diff`: the unified diff of fix edits, checked against what diff(1) prints.
import * as assert from 'node:assert/strict';
import { unifiedDiff } from '../../../server/src/cli/diff';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}\n`).join('');

describe('unifiedDiff', () => {
  it('is empty without edits, or when the edits change nothing', () => {
    assert.equal(unifiedDiff('a.sql', 'x\n', []), '');
    assert.equal(unifiedDiff('a.sql', 'x\n', [{ start: 0, end: 1, newText: 'x' }]), '');
  });

  it('prints separate hunks with three lines of context for edits far apart', () => {
    const text = lines(20);
    const at = (s: string) => text.indexOf(s);
    const d = unifiedDiff('a.sql', text, [
      { start: at('line 2\n'), end: at('line 2\n') + 6, newText: 'LINE 2' },
      { start: at('line 18\n'), end: at('line 19\n'), newText: '' },
    ]);
    assert.equal(
      d,
      '--- a/a.sql\n+++ b/a.sql\n' +
        '@@ -1,5 +1,5 @@\n line 1\n-line 2\n+LINE 2\n line 3\n line 4\n line 5\n' +
        '@@ -15,6 +15,5 @@\n line 15\n line 16\n line 17\n-line 18\n line 19\n line 20\n',
    );
  });

  it('marks a last line without a line break, and counts an insertion at the end', () => {
    const d = unifiedDiff('c.conf', 'ssl = off', [{ start: 6, end: 9, newText: 'on' }]);
    assert.equal(d, '--- a/c.conf\n+++ b/c.conf\n@@ -1 +1 @@\n-ssl = off\n\\ No newline at end of file\n+ssl = on\n\\ No newline at end of file\n');
    const added = unifiedDiff('t.sql', 'a;\n', [{ start: 3, end: 3, newText: 'b;\n' }]);
    assert.equal(added, '--- a/t.sql\n+++ b/t.sql\n@@ -1 +1,2 @@\n a;\n+b;\n');
  });
});
