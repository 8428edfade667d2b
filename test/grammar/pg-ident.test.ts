// The pg_ident.conf TextMate grammar, run by vscode-textmate with vscode-oniguruma (the
// engine VS Code uses): each token's exact range and innermost scope are asserted.

import assert from 'node:assert/strict';
import type { IGrammar } from 'vscode-textmate';
import { compileWithOniguruma, grammarRegexes, loadGrammar, tokenizeLine, tokenizeLines, type Tok } from './textmate';

const M = 'entity.name.map.pg-ident';
const SYS = 'variable.other.system-user.pg-ident';
const SYS_RE = 'string.regexp.system-user.pg-ident';
const PG = 'variable.other.pg-user.pg-ident';
const COMMENT = 'comment.line.number-sign.pg-ident';

let grammar: IGrammar;
/** Non-blank tokens as [start, end, text, innermost scope]. */
const line = (text: string): Array<[number, number, string, string]> =>
  tokenizeLine(grammar, text)
    .filter((t: Tok) => t[2].trim() !== '')
    .map((t: Tok) => [t[0], t[1], t[2], t[3].split(' ').pop()!]);

describe('pg-ident grammar (vscode-textmate + Oniguruma)', () => {
  before(async () => {
    grammar = await loadGrammar('source.pg-ident');
  });

  it('is source.pg-ident and every regex in it compiles in Oniguruma', async () => {
    const regexes = grammarRegexes('source.pg-ident');
    assert.ok(regexes.length >= 8, `only ${regexes.length} regexes`);
    for (const src of regexes) await assert.doesNotReject(compileWithOniguruma(src), src);
  });

  it('scopes a mapping field by field', () => {
    assert.deepEqual(line('admins alice postgres # ops'), [
      [0, 6, 'admins', M],
      [7, 12, 'alice', SYS],
      [13, 21, 'postgres', PG],
      [22, 23, '#', 'punctuation.definition.comment.pg-ident'],
      [23, 27, ' ops', COMMENT],
    ]);
  });

  it('marks a system-user regex, and \\1 in the PostgreSQL user', () => {
    assert.deepEqual(line('krb /^(.*)@EXAMPLE\\.COM$ \\1'), [
      [0, 3, 'krb', M],
      [4, 24, '/^(.*)@EXAMPLE\\.COM$', SYS_RE],
      [25, 27, '\\1', 'constant.character.escape.backreference.pg-ident'],
    ]);
  });

  it('marks all, +group and a regex as the PostgreSQL user (16+), and quoted names', () => {
    assert.deepEqual(line('m alice all')[2], [8, 11, 'all', 'constant.language.all.pg-ident']);
    assert.deepEqual(line('m alice +admins')[2], [8, 15, '+admins', 'variable.other.group.pg-ident']);
    assert.deepEqual(line('m alice /^app_')[2], [8, 14, '/^app_', 'string.regexp.pg-user.pg-ident']);
    assert.deepEqual(line('m alice "all"').slice(2).map((t) => t[3]), [
      'punctuation.definition.string.begin.pg-ident',
      'string.quoted.double.pg-ident',
      'punctuation.definition.string.end.pg-ident',
    ]);
  });

  it('reads include directives and comments, and carries a continued comment to the next line', () => {
    assert.deepEqual(line('include_if_exists ident.d/extra.conf'), [
      [0, 17, 'include_if_exists', 'keyword.control.import.pg-ident'],
      [18, 36, 'ident.d/extra.conf', 'string.unquoted.path.pg-ident'],
    ]);
    const [first, second] = tokenizeLines(grammar, ['# note \\', 'still comment']);
    assert.ok(first.every((t) => t[3].includes(COMMENT)));
    assert.ok(second.every((t) => t[3].includes(COMMENT)), JSON.stringify(second));
  });
});
