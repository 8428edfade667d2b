// The postgresql.conf TextMate grammar, run by vscode-textmate with vscode-oniguruma (the
// engine VS Code uses): sample lines are tokenized, carrying the rule stack from line to
// line, and each token's exact range and full scope list are asserted.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IGrammar } from 'vscode-textmate';
import { compileWithOniguruma, grammarRegexes, loadGrammar, tokenizeLine, tokenizeLines, type Tok } from './textmate';

const S = 'meta.setting.pg-conf';
const D = 'meta.directive.include.pg-conf';
const PARAM = 'variable.other.parameter.pg-conf';
const EQ = 'keyword.operator.assignment.pg-conf';
const NUM = 'constant.numeric.pg-conf';
const UNIT = 'keyword.other.unit.pg-conf';
const STR = 'string.quoted.single.pg-conf';
const S_BEGIN = `${STR} punctuation.definition.string.begin.pg-conf`;
const S_END = `${STR} punctuation.definition.string.end.pg-conf`;
const COMMENT = 'comment.line.number-sign.pg-conf';
const COMMENT_START = `${COMMENT} punctuation.definition.comment.pg-conf`;

/** The tokens of a line that are not only whitespace (whose ranges are then exact too). */
const words = (tokens: Tok[]): Tok[] => tokens.filter((t) => t[2].trim() !== '');

let grammar: IGrammar;
const line = (text: string): Tok[] => words(tokenizeLine(grammar, text));

describe('postgresql.conf grammar (vscode-textmate + Oniguruma)', () => {
  before(async () => {
    grammar = await loadGrammar('source.pg-conf');
  });

  it('is source.pg-conf and every regex in it compiles in Oniguruma', async () => {
    const raw = JSON.parse(readFileSync(join(__dirname, '../../syntaxes/pg-conf.tmLanguage.json'), 'utf8')) as { scopeName: string };
    assert.equal(raw.scopeName, 'source.pg-conf');
    const regexes = grammarRegexes('source.pg-conf');
    assert.ok(regexes.length >= 12, `only ${regexes.length} regexes`);
    for (const src of regexes) await assert.doesNotReject(compileWithOniguruma(src), src);
  });

  it('scopes a parameter, the equals sign, a number and its unit, and a comment, every character included', () => {
    assert.deepEqual(tokenizeLine(grammar, 'work_mem = 4MB # per sort'), [
      [0, 8, 'work_mem', `${S} ${PARAM}`],
      [8, 9, ' ', S],
      [9, 10, '=', `${S} ${EQ}`],
      [10, 11, ' ', S],
      [11, 12, '4', `${S} ${NUM}`],
      [12, 14, 'MB', `${S} ${UNIT}`],
      [14, 15, ' ', S],
      [15, 16, '#', `${S} ${COMMENT_START}`],
      [16, 25, ' per sort', `${S} ${COMMENT}`],
    ]);
    assert.deepEqual(tokenizeLine(grammar, '  listen_addresses = \'*\'    # what').slice(0, 2), [
      [0, 2, '  ', S],
      [2, 18, 'listen_addresses', `${S} ${PARAM}`],
    ]);
  });

  it('scopes time units, reals, exponents, hex and negative numbers', () => {
    assert.deepEqual(line('statement_timeout 30min'), [
      [0, 17, 'statement_timeout', `${S} ${PARAM}`],
      [18, 20, '30', `${S} ${NUM}`],
      [20, 23, 'min', `${S} ${UNIT}`],
    ]);
    assert.deepEqual(line('random_page_cost = 1.1')[2], [19, 22, '1.1', `${S} ${NUM}`]);
    assert.deepEqual(line('x = 1e3')[2], [4, 7, '1e3', `${S} ${NUM}`]);
    assert.deepEqual(line('x = 0x1F')[2], [4, 8, '0x1F', `${S} ${NUM}`]);
    assert.deepEqual(line('x = -1')[2], [4, 6, '-1', `${S} ${NUM}`]);
    assert.deepEqual(
      line('x = 4mb').slice(2),
      [
        [3, 5, ' 4', S],
        [5, 7, 'mb', `${S} string.unquoted.pg-conf`],
      ],
      'a wrong-case unit is not a unit',
    );
  });

  it('scopes booleans, but not words that only start like one', () => {
    assert.deepEqual(line('ssl = on')[2], [6, 8, 'on', `${S} constant.language.boolean.pg-conf`]);
    assert.deepEqual(line('ssl = OFF')[2], [6, 9, 'OFF', `${S} constant.language.boolean.pg-conf`]);
    assert.deepEqual(line('log_statement = none')[2], [16, 20, 'none', `${S} string.unquoted.pg-conf`]);
    assert.deepEqual(line('x = onward')[2], [4, 10, 'onward', `${S} string.unquoted.pg-conf`]);
  });

  it("scopes quoted strings with '' and backslash escapes, and quoted numbers with units", () => {
    assert.deepEqual(line("application_name = 'it''s \\'x\\''").slice(2), [
      [19, 20, "'", `${S} ${S_BEGIN}`],
      [20, 22, 'it', `${S} ${STR}`],
      [22, 24, "''", `${S} ${STR} constant.character.escape.quote.pg-conf`],
      [24, 26, 's ', `${S} ${STR}`],
      [26, 28, "\\'", `${S} ${STR} constant.character.escape.backslash.pg-conf`],
      [28, 29, 'x', `${S} ${STR}`],
      [29, 31, "\\'", `${S} ${STR} constant.character.escape.backslash.pg-conf`],
      [31, 32, "'", `${S} ${S_END}`],
    ]);
    assert.deepEqual(line("a = '\\101\\n'").slice(3, 5), [
      [5, 9, '\\101', `${S} ${STR} constant.character.escape.backslash.pg-conf`],
      [9, 11, '\\n', `${S} ${STR} constant.character.escape.backslash.pg-conf`],
    ]);
    assert.deepEqual(line("shared_buffers = '1.5GB'").slice(3, 5), [
      [18, 21, '1.5', `${S} ${STR} ${NUM}`],
      [21, 23, 'GB', `${S} ${STR} ${UNIT}`],
    ]);
    assert.deepEqual(line("checkpoint_timeout='10 min'").slice(1), [
      [18, 19, '=', `${S} ${EQ}`],
      [19, 20, "'", `${S} ${S_BEGIN}`],
      [20, 22, '10', `${S} ${STR} ${NUM}`],
      [23, 26, 'min', `${S} ${STR} ${UNIT}`],
      [26, 27, "'", `${S} ${S_END}`],
    ]);
    assert.deepEqual(line("log_line_prefix = '%m [%p] # not a comment '")[3], [19, 43, '%m [%p] # not a comment ', `${S} ${STR}`]);
  });

  it('scopes include directives and their paths', () => {
    assert.deepEqual(line("include_dir 'conf.d'"), [
      [0, 11, 'include_dir', `${D} keyword.control.import.pg-conf`],
      [12, 13, "'", `${D} ${S_BEGIN}`],
      [13, 19, 'conf.d', `${D} ${STR}`],
      [19, 20, "'", `${D} ${S_END}`],
    ]);
    assert.deepEqual(line('include_if_exists = extra.conf'), [
      [0, 17, 'include_if_exists', `${D} keyword.control.import.pg-conf`],
      [18, 19, '=', `${D} ${EQ}`],
      [20, 30, 'extra.conf', `${D} string.unquoted.path.pg-conf`],
    ]);
    assert.deepEqual(line("include 'a.conf' # c").slice(-2), [
      [17, 18, '#', `${D} ${COMMENT_START}`],
      [18, 20, ' c', `${D} ${COMMENT}`],
    ]);
    assert.deepEqual(line('include_files = 1')[0], [0, 13, 'include_files', `${S} ${PARAM}`], 'a name that starts like a directive');
  });

  it('scopes custom parameters, comment-only lines and lines the server rejects', () => {
    assert.deepEqual(line("pgaudit.log = 'ddl, role'")[0], [0, 11, 'pgaudit.log', `${S} ${PARAM}`]);
    assert.deepEqual(line('#work_mem = 4MB'), [
      [0, 1, '#', COMMENT_START],
      [1, 15, 'work_mem = 4MB', COMMENT],
    ]);
    assert.deepEqual(line('= 4MB'), [[0, 5, '= 4MB', 'invalid.illegal.line.pg-conf']]);
  });

  it('ends every line on its own: an unterminated string or a bare directive does not run into the next line', () => {
    const [l1, l2, l3, l4, l5] = tokenizeLines(grammar, ["x = 'abc", 'y = 1', 'include', "include 'q", 'z on']).map(words);
    assert.deepEqual(l1.slice(-1), [[5, 8, 'abc', `${S} ${STR}`]]);
    assert.deepEqual(l2, [
      [0, 1, 'y', `${S} ${PARAM}`],
      [2, 3, '=', `${S} ${EQ}`],
      [4, 5, '1', `${S} ${NUM}`],
    ]);
    assert.deepEqual(l3, [[0, 7, 'include', `${D} keyword.control.import.pg-conf`]]);
    assert.deepEqual(l4.slice(-1), [[9, 10, 'q', `${D} ${STR}`]]);
    assert.deepEqual(l5, [
      [0, 1, 'z', `${S} ${PARAM}`],
      [2, 4, 'on', `${S} constant.language.boolean.pg-conf`],
    ]);
  });
});
