// The pg_hba.conf TextMate grammar, run by vscode-textmate with vscode-oniguruma (the
// engine VS Code uses): sample records are tokenized line by line, carrying the rule stack
// across lines, and each token's exact range and full scope list are asserted.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IGrammar } from 'vscode-textmate';
import { compileWithOniguruma, grammarRegexes, innermost, loadGrammar, tokenizeLine, tokenizeLines, type Tok } from './textmate';

const H = 'meta.record.host.pg-hba';
const L = 'meta.record.local.pg-hba';
const DB = 'meta.field.database.pg-hba';
const USER = 'meta.field.user.pg-hba';
const ADDR = 'meta.field.address.pg-hba';
const METHOD = 'meta.field.method.pg-hba';
const TYPE = 'storage.type.connection.pg-hba';
const CONT = 'punctuation.separator.continuation.line.pg-hba';
const COMMENT = 'comment.line.number-sign.pg-hba';
const COMMENT_START = `${COMMENT} punctuation.definition.comment.pg-hba`;
const QUOTED = 'string.quoted.double.pg-hba';
const Q_BEGIN = `${QUOTED} punctuation.definition.string.begin.pg-hba`;
const Q_END = `${QUOTED} punctuation.definition.string.end.pg-hba`;

/** The tokens of a line that are not only whitespace (whose ranges are then exact too). */
const words = (tokens: Tok[]): Tok[] => tokens.filter((t) => t[2].trim() !== '');

let grammar: IGrammar;
const line = (text: string): Tok[] => words(tokenizeLine(grammar, text));
const lines = (...text: string[]): Tok[][] => tokenizeLines(grammar, text).map(words);

describe('pg-hba grammar (vscode-textmate + Oniguruma)', () => {
  before(async () => {
    grammar = await loadGrammar('source.pg-hba');
  });

  it('is source.pg-hba and every regex in it compiles in Oniguruma', async () => {
    const raw = JSON.parse(readFileSync(join(__dirname, '../../syntaxes/pg-hba.tmLanguage.json'), 'utf8')) as { scopeName: string };
    assert.equal(raw.scopeName, 'source.pg-hba');
    const regexes = grammarRegexes('source.pg-hba');
    assert.ok(regexes.length > 20, `only ${regexes.length} regexes`);
    for (const src of regexes) await assert.doesNotReject(compileWithOniguruma(src), src);
    await assert.rejects(compileWithOniguruma('(?<=a+'), 'a broken regex is refused, so the loop above can fail');
  });

  it('scopes a host record field by field, every character of the line included', () => {
    assert.deepEqual(tokenizeLine(grammar, 'hostssl all +admins 10.0.0.0/8 scram-sha-256 clientcert=verify-full # ops'), [
      [0, 7, 'hostssl', `${H} ${TYPE}`],
      [7, 8, ' ', H],
      [8, 11, 'all', `${H} ${DB} constant.language.database.pg-hba`],
      [11, 12, ' ', H],
      [12, 19, '+admins', `${H} ${USER} variable.other.group.pg-hba`],
      [19, 20, ' ', H],
      [20, 30, '10.0.0.0/8', `${H} ${ADDR} constant.numeric.ip.pg-hba`],
      [30, 31, ' ', H],
      [31, 44, 'scram-sha-256', `${H} ${METHOD} keyword.other.method.pg-hba`],
      [44, 45, ' ', H],
      [45, 55, 'clientcert', `${H} entity.other.attribute-name.option.pg-hba`],
      [55, 56, '=', `${H} keyword.operator.assignment.pg-hba`],
      [56, 67, 'verify-full', `${H} string.unquoted.value.pg-hba`],
      [67, 68, ' ', H],
      [68, 69, '#', `${H} ${COMMENT_START}`],
      [69, 73, ' ops', `${H} ${COMMENT}`],
    ]);
  });

  it('scopes a local record, quoted names, comma lists, @file and options', () => {
    assert.deepEqual(line('local "my db",app @admins.txt peer map=omicron'), [
      [0, 5, 'local', `${L} ${TYPE}`],
      [6, 7, '"', `${L} ${DB} ${Q_BEGIN}`],
      [7, 12, 'my db', `${L} ${DB} ${QUOTED}`],
      [12, 13, '"', `${L} ${DB} ${Q_END}`],
      [13, 14, ',', `${L} ${DB} punctuation.separator.list.pg-hba`],
      [14, 17, 'app', `${L} ${DB} entity.name.pg-hba`],
      [18, 29, '@admins.txt', `${L} ${USER} string.unquoted.file-reference.pg-hba`],
      [30, 34, 'peer', `${L} ${METHOD} keyword.other.method.pg-hba`],
      [35, 38, 'map', `${L} entity.other.attribute-name.option.pg-hba`],
      [38, 39, '=', `${L} keyword.operator.assignment.pg-hba`],
      [39, 46, 'omicron', `${L} string.unquoted.value.pg-hba`],
    ]);
  });

  it('scopes a user list with a name, a quoted name with "" escapes and a /regex', () => {
    assert.deepEqual(line('hostnossl db1,db2 alice,"Bob ""B""",/^x$ 10.1.0.0/16 reject').slice(1, 13), [
      [10, 13, 'db1', `${H} ${DB} entity.name.pg-hba`],
      [13, 14, ',', `${H} ${DB} punctuation.separator.list.pg-hba`],
      [14, 17, 'db2', `${H} ${DB} entity.name.pg-hba`],
      [18, 23, 'alice', `${H} ${USER} entity.name.pg-hba`],
      [23, 24, ',', `${H} ${USER} punctuation.separator.list.pg-hba`],
      [24, 25, '"', `${H} ${USER} ${Q_BEGIN}`],
      [25, 29, 'Bob ', `${H} ${USER} ${QUOTED}`],
      [29, 31, '""', `${H} ${USER} ${QUOTED} constant.character.escape.quote.pg-hba`],
      [31, 32, 'B', `${H} ${USER} ${QUOTED}`],
      [32, 34, '""', `${H} ${USER} ${QUOTED} constant.character.escape.quote.pg-hba`],
      [34, 35, '"', `${H} ${USER} ${Q_END}`],
      [35, 36, ',', `${H} ${USER} punctuation.separator.list.pg-hba`],
    ]);
    assert.deepEqual(line('hostnossl db1,db2 alice,"Bob ""B""",/^x$ 10.1.0.0/16 reject').slice(13), [
      [36, 40, '/^x$', `${H} ${USER} string.regexp.pg-hba`],
      [41, 52, '10.1.0.0/16', `${H} ${ADDR} constant.numeric.ip.pg-hba`],
      [53, 59, 'reject', `${H} ${METHOD} keyword.other.method.pg-hba`],
    ]);
    assert.deepEqual(line('local all +g,"x y" peer').slice(2, 7), [
      [10, 12, '+g', `${L} ${USER} variable.other.group.pg-hba`],
      [12, 13, ',', `${L} ${USER} punctuation.separator.list.pg-hba`],
      [13, 14, '"', `${L} ${USER} ${Q_BEGIN}`],
      [14, 17, 'x y', `${L} ${USER} ${QUOTED}`],
      [17, 18, '"', `${L} ${USER} ${Q_END}`],
    ]);
  });

  it('scopes the connection type of every record type, quoted or indented', () => {
    for (const type of ['host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc']) {
      assert.deepEqual(line(`${type} all all all md5`)[0], [0, type.length, type, `${H} ${TYPE}`], type);
      assert.deepEqual(line(`${type} all all all md5`)[4], [type.length + 13, type.length + 16, 'md5', `${H} ${METHOD} keyword.other.method.pg-hba`], type);
    }
    assert.deepEqual(line('  local all all trust')[0], [2, 7, 'local', `${L} ${TYPE}`]);
    assert.deepEqual(tokenizeLine(grammar, '  local all all trust')[0], [0, 2, '  ', L], 'the indentation is part of the record');
    // The server compares the connection type without regard to quotes.
    assert.deepEqual(line('"host" all all all md5')[0], [0, 6, '"host"', `${H} ${TYPE}`]);
  });

  it('scopes quoted keywords as quoted names, and a quoted method inside the method field', () => {
    assert.deepEqual(line('hostnogssenc "all" "all" all "trust"'), [
      [0, 12, 'hostnogssenc', `${H} ${TYPE}`],
      [13, 14, '"', `${H} ${DB} ${Q_BEGIN}`],
      [14, 17, 'all', `${H} ${DB} ${QUOTED}`],
      [17, 18, '"', `${H} ${DB} ${Q_END}`],
      [19, 20, '"', `${H} ${USER} ${Q_BEGIN}`],
      [20, 23, 'all', `${H} ${USER} ${QUOTED}`],
      [23, 24, '"', `${H} ${USER} ${Q_END}`],
      [25, 28, 'all', `${H} ${ADDR} constant.language.address.pg-hba`],
      [29, 30, '"', `${H} ${METHOD} ${Q_BEGIN}`],
      [30, 35, 'trust', `${H} ${METHOD} ${QUOTED}`],
      [35, 36, '"', `${H} ${METHOD} ${Q_END}`],
    ]);
  });

  it('scopes an address with a separate mask, host names and address keywords', () => {
    assert.deepEqual(line('host all all 192.168.0.0 255.255.0.0 md5').slice(3, 5), [
      [13, 24, '192.168.0.0', `${H} ${ADDR} constant.numeric.ip.pg-hba`],
      [25, 36, '255.255.0.0', `${H} constant.numeric.netmask.pg-hba`],
    ]);
    assert.deepEqual(line('host all all .example.com md5')[3], [13, 25, '.example.com', `${H} ${ADDR} entity.name.host.pg-hba`]);
    assert.deepEqual(line('host all all samenet md5')[3], [13, 20, 'samenet', `${H} ${ADDR} constant.language.address.pg-hba`]);
    assert.deepEqual(line('hostgssenc replication all samehost gss')[1], [11, 22, 'replication', `${H} ${DB} constant.language.database.pg-hba`]);
    assert.deepEqual(line('hostgssenc replication all samehost gss')[3], [27, 35, 'samehost', `${H} ${ADDR} constant.language.address.pg-hba`]);
    assert.deepEqual(line('host all all ::1/128 md5')[3], [13, 20, '::1/128', `${H} ${ADDR} constant.numeric.ip.pg-hba`]);
    assert.deepEqual(line('host /^app_.*$ all ::1/128 md5')[1], [5, 14, '/^app_.*$', `${H} ${DB} string.regexp.pg-hba`]);
  });

  it('scopes several options, and a quoted option value', () => {
    assert.deepEqual(innermost(tokenizeLine(grammar, 'hostgssenc all all samehost gss include_realm=0 krb_realm=EXAMPLE.COM').slice(-7)), [
      'include_realm:entity.other.attribute-name.option.pg-hba',
      '=:keyword.operator.assignment.pg-hba',
      '0:string.unquoted.value.pg-hba',
      'krb_realm:entity.other.attribute-name.option.pg-hba',
      '=:keyword.operator.assignment.pg-hba',
      'EXAMPLE.COM:string.unquoted.value.pg-hba',
    ]);
    assert.deepEqual(line('host all all 10.0.0.1 255.255.255.255 ldap ldapurl="ldaps://h/dc=x?uid?sub"').slice(5), [
      [38, 42, 'ldap', `${H} ${METHOD} keyword.other.method.pg-hba`],
      [43, 50, 'ldapurl', `${H} entity.other.attribute-name.option.pg-hba`],
      [50, 51, '=', `${H} keyword.operator.assignment.pg-hba`],
      [51, 52, '"', `${H} string.unquoted.value.pg-hba ${Q_BEGIN}`],
      [52, 74, 'ldaps://h/dc=x?uid?sub', `${H} string.unquoted.value.pg-hba ${QUOTED}`],
      [74, 75, '"', `${H} string.unquoted.value.pg-hba ${Q_END}`],
    ]);
  });

  it('keeps a continued record in its scope on the next lines, and ends it after the last', () => {
    const [l1, l2, l3, l4] = lines('host all all \\', '  10.0.0.0/8 md5 \\', '  ldaptls=1', 'local all all peer');
    assert.deepEqual(l1.slice(-1), [[13, 14, '\\', `${H} ${CONT}`]]);
    assert.deepEqual(l2, [
      [2, 12, '10.0.0.0/8', `${H} constant.numeric.ip.pg-hba`],
      [13, 16, 'md5', `${H} keyword.other.method.pg-hba`],
      [17, 18, '\\', `${H} ${CONT}`],
    ]);
    assert.deepEqual(tokenizeLines(grammar, ['host all all \\', '  10.0.0.0/8 md5 \\'])[1][0], [0, 2, '  ', H]);
    assert.deepEqual(l3, [
      [2, 9, 'ldaptls', `${H} entity.other.attribute-name.option.pg-hba`],
      [9, 10, '=', `${H} keyword.operator.assignment.pg-hba`],
      [10, 11, '1', `${H} string.unquoted.value.pg-hba`],
    ]);
    assert.deepEqual(l4[0], [0, 5, 'local', `${L} ${TYPE}`]);
    // Without the rule stack of the line before, the same text is not a record.
    assert.deepEqual(line('  ldaptls=1')[0], [0, 11, '  ldaptls=1', 'invalid.illegal.connection-type.pg-hba']);
  });

  it('continues a comment that ends in a backslash, as the server does', () => {
    const [l1, l2, l3] = lines('# note \\', 'host all all all trust', 'local all all peer');
    assert.deepEqual(l1, [
      [0, 1, '#', COMMENT_START],
      [1, 8, ' note \\', COMMENT],
    ]);
    assert.deepEqual(l2, [[0, 22, 'host all all all trust', COMMENT]]);
    assert.deepEqual(l3[0], [0, 5, 'local', `${L} ${TYPE}`]);
    // A comment after a record's fields continues too, and the record with it.
    const [r1, r2, r3] = lines('local all all trust # a \\', 'continued', 'local all all peer');
    assert.deepEqual(r1.slice(-2), [
      [20, 21, '#', `${L} ${COMMENT_START}`],
      [21, 25, ' a \\', `${L} ${COMMENT}`],
    ]);
    assert.deepEqual(r2, [[0, 9, 'continued', `${L} ${COMMENT}`]]);
    assert.deepEqual(r3[0], [0, 5, 'local', `${L} ${TYPE}`]);
  });

  it('ends an unterminated quote and its record with the line', () => {
    const [l1, l2] = lines('local "abc', 'local all all peer');
    assert.deepEqual(l1, [
      [0, 5, 'local', `${L} ${TYPE}`],
      [6, 7, '"', `${L} ${DB} ${Q_BEGIN}`],
      [7, 10, 'abc', `${L} ${DB} ${QUOTED}`],
    ]);
    assert.deepEqual(l2[0], [0, 5, 'local', `${L} ${TYPE}`]);
    assert.deepEqual(l2[1], [6, 9, 'all', `${L} ${DB} constant.language.database.pg-hba`]);
    const [o1, o2] = lines('host all all all ldap ldapurl="x', 'host all all all md5');
    assert.deepEqual(o1.slice(-1), [[31, 32, 'x', `${H} string.unquoted.value.pg-hba ${QUOTED}`]]);
    assert.deepEqual(o2[0], [0, 4, 'host', `${H} ${TYPE}`]);
  });

  it('scopes include directives and marks an unknown record type', () => {
    assert.deepEqual(line('include_dir conf.d'), [
      [0, 11, 'include_dir', 'keyword.control.import.pg-hba'],
      [12, 18, 'conf.d', 'string.unquoted.path.pg-hba'],
    ]);
    assert.deepEqual(line('include ../x.conf'), [
      [0, 7, 'include', 'keyword.control.import.pg-hba'],
      [8, 17, '../x.conf', 'string.unquoted.path.pg-hba'],
    ]);
    assert.deepEqual(line('include_if_exists "my file.conf" # c'), [
      [0, 17, 'include_if_exists', 'keyword.control.import.pg-hba'],
      [18, 19, '"', `string.unquoted.path.pg-hba ${Q_BEGIN}`],
      [19, 31, 'my file.conf', `string.unquoted.path.pg-hba ${QUOTED}`],
      [31, 32, '"', `string.unquoted.path.pg-hba ${Q_END}`],
      [33, 34, '#', COMMENT_START],
      [34, 36, ' c', COMMENT],
    ]);
    assert.deepEqual(line('hosts all all all md5')[0], [0, 5, 'hosts', 'invalid.illegal.connection-type.pg-hba']);
    assert.deepEqual(line('HOST all all all md5')[0], [0, 4, 'HOST', 'invalid.illegal.connection-type.pg-hba']);
  });
});
