// The pg_hba.conf TextMate grammar: sample lines tokenized with the grammar's own
// regexes (test/grammar/tmlite.ts), asserting the scope of each part of a record.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { scopesOf, TmLite } from './tmlite';

const grammar = TmLite.load(join(__dirname, '../../syntaxes/pg-hba.tmLanguage.json'));
const line = (text: string) => scopesOf(grammar.tokenize(text)[0]);

describe('pg-hba grammar', () => {
  it('is source.pg-hba and every regex compiles in both engines\' common syntax', () => {
    assert.equal(grammar.grammar.scopeName, 'source.pg-hba');
    assert.ok(grammar.allRegexes().length > 20);
  });

  it('scopes a host record field by field', () => {
    assert.deepEqual(line('hostssl all +admins 10.0.0.0/8 scram-sha-256 clientcert=verify-full # ops'), [
      'hostssl:storage.type.connection.pg-hba',
      'all:constant.language.database.pg-hba',
      '+admins:variable.other.group.pg-hba',
      '10.0.0.0/8:constant.numeric.ip.pg-hba',
      'scram-sha-256:keyword.other.method.pg-hba',
      'clientcert:entity.other.attribute-name.option.pg-hba',
      '=:keyword.operator.assignment.pg-hba',
      'verify-full:string.unquoted.value.pg-hba',
      '#:punctuation.definition.comment.pg-hba',
      ' ops:comment.line.number-sign.pg-hba',
    ]);
  });

  it('scopes a local record, names, quoted strings and lists', () => {
    assert.deepEqual(line('local "my db",app @admins.txt peer map=omicron'), [
      'local:storage.type.connection.pg-hba',
      '":punctuation.definition.string.begin.pg-hba',
      'my db:string.quoted.double.pg-hba',
      '":punctuation.definition.string.end.pg-hba',
      ',:punctuation.separator.list.pg-hba',
      'app:entity.name.pg-hba',
      '@admins.txt:string.unquoted.file-reference.pg-hba',
      'peer:keyword.other.method.pg-hba',
      'map:entity.other.attribute-name.option.pg-hba',
      '=:keyword.operator.assignment.pg-hba',
      'omicron:string.unquoted.value.pg-hba',
    ]);
  });

  it('scopes an address with a separate mask, host names and address keywords', () => {
    assert.deepEqual(line('host all all 192.168.0.0 255.255.0.0 md5').slice(3, 5), [
      '192.168.0.0:constant.numeric.ip.pg-hba',
      '255.255.0.0:constant.numeric.netmask.pg-hba',
    ]);
    assert.equal(line('host all all .example.com md5')[3], '.example.com:entity.name.host.pg-hba');
    assert.equal(line('host all all samenet md5')[3], 'samenet:constant.language.address.pg-hba');
    assert.equal(line('host all all ::1/128 md5')[3], '::1/128:constant.numeric.ip.pg-hba');
    assert.equal(line('host /^app_.*$ all ::1/128 md5')[1], '/^app_.*$:string.regexp.pg-hba');
  });

  it('keeps a continued record in its scope on the next line', () => {
    const lines = grammar.tokenize('host all all \\\n  10.0.0.0/8 md5 \\\n  ldaptls=1\nlocal all all peer');
    assert.deepEqual(scopesOf(lines[0]).slice(-1), ['\\:punctuation.separator.continuation.line.pg-hba']);
    assert.deepEqual(scopesOf(lines[1]), [
      '10.0.0.0/8:constant.numeric.ip.pg-hba',
      'md5:keyword.other.method.pg-hba',
      '\\:punctuation.separator.continuation.line.pg-hba',
    ]);
    assert.ok(lines[1].every((t) => t.scopes.includes('meta.record.host.pg-hba')));
    assert.equal(scopesOf(lines[2])[0], 'ldaptls:entity.other.attribute-name.option.pg-hba');
    assert.equal(scopesOf(lines[3])[0], 'local:storage.type.connection.pg-hba');
  });

  it('continues a comment that ends in a backslash, as the server does', () => {
    const lines = grammar.tokenize('# note \\\nhost all all all trust\nlocal all all peer');
    assert.ok(lines[1].every((t) => t.scopes.includes('comment.line.number-sign.pg-hba')));
    assert.equal(scopesOf(lines[2])[0], 'local:storage.type.connection.pg-hba');
  });

  it('scopes include directives and marks an unknown record type', () => {
    assert.deepEqual(line('include_dir conf.d'), ['include_dir:keyword.control.import.pg-hba', 'conf.d:string.unquoted.path.pg-hba']);
    assert.equal(line('hosts all all all md5')[0], 'hosts:invalid.illegal.connection-type.pg-hba');
    assert.equal(line('HOST all all all md5')[0], 'HOST:invalid.illegal.connection-type.pg-hba');
  });
});
