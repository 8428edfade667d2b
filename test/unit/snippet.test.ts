// Snippet text for placeholder fixes: tab stops numbered in order, choices offered once,
// and the text around them escaped so a `$` or `}` in SQL is inserted as written.

import assert from 'node:assert/strict';
import { snippetEdit, snippetText } from '../../server/src/core/fix';

describe('snippet fixes', () => {
  it('numbers the placeholders, offers each choice once and escapes the text', () => {
    const parts = ['SELECT $1, \'}\' FROM t TO ', { placeholder: 'app_role', kind: 'role' as const, choices: ['app_role', 'a,b', 'x|y'] }, ' USING (', { placeholder: 'false', kind: 'condition' as const }, ');'];
    assert.equal(snippetText(parts), "SELECT \\$1, '\\}' FROM t TO ${1|app_role,a\\,b,x\\|y|} USING (${2:false});");
    assert.equal(snippetText(parts, (p) => (p.kind === 'condition' ? ['owner = current_user', 'false'] : [])), "SELECT \\$1, '\\}' FROM t TO ${1|app_role,a\\,b,x\\|y|} USING (${2|false,owner = current_user|});");
  });

  it('keeps newText the plain text with each placeholder\'s default', () => {
    const e = snippetEdit(3, 9, ['TO ', { placeholder: 'app_role', kind: 'role' }, ';']);
    assert.deepEqual([e.start, e.end, e.newText], [3, 9, 'TO app_role;']);
  });
});
