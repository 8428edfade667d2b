// The demo workspace is what a new user tries first: it must not change their files behind
// their back. Fix-all on save is the user's choice, never the demo's.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

describe('demo workspace', () => {
  it('does not turn on fix-all (or any code action) on save', () => {
    const settings = JSON.parse(readFileSync(join(ROOT, 'demo', '.vscode', 'settings.json'), 'utf8'));
    assert.equal(settings['editor.codeActionsOnSave'], undefined);
    assert.doesNotMatch(readFileSync(join(ROOT, 'scripts', 'demo.mjs'), 'utf8'), /codeActionsOnSave|source\.fixAll/);
  });
});
