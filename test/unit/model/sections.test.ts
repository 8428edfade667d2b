// Migration-tool sections and templated SQL through the whole SQL pipeline: where statements
// end at goose/dbmate markers, which statements are Down (checked, but no facts), and how
// placeholders parse with positions kept and show in messages as written.

import assert from 'node:assert/strict';
import { defaultConfig, PgwardenConfig } from '../../../server/src/core/config';
import { analyzeSql, lintAnalyzedSql } from '../../../server/src/core/lint';
import { classifyFile } from '../../../server/src/core/model/layout';
import { loadParser } from '../../../server/src/core/sql/parser';
import { compilePlaceholders, restoreWritten, standIn } from '../../../server/src/core/sql/placeholders';
import { splitSql } from '../../../server/src/core/sql/split';
import { LineIndex } from '../../../server/src/core/text';
import { Workspace } from '../../../server/src/core/workspace';
import { ParseOptions } from '../../../server/src/core/sql/document';

/** Every finding of a file linted alone, as [rule, line:col, message]. */
function lintAlone(text: string, options?: ParseOptions, uri = 'file:///p/test.sql', config: Partial<PgwardenConfig> = {}): Array<[string, string, string]> {
  const a = analyzeSql(uri, text, undefined, options);
  const ws = new Workspace();
  ws.setFile(uri, a.facts);
  const lines = new LineIndex(text);
  return lintAnalyzedSql(a, ws, { ...defaultConfig(), ...config }).map((f) => {
    const p = lines.positionAt(f.start);
    return [f.ruleId, `${p.line + 1}:${p.character + 1}`, f.message];
  });
}

const rules = (text: string, options?: ParseOptions) => lintAlone(text, options).map(([r, at]) => `${r}@${at}`);

describe('migration sections', () => {
  before(() => loadParser());

  it('ends a goose Up statement without a semicolon at the Down marker (no false syntax error)', () => {
    const text = '-- +goose Up\nCREATE TABLE a (id int)\n-- +goose Down\nDROP TABLE a;\n';
    assert.deepEqual(
      splitSql(text).statements.map((s) => [text.slice(s.start, s.end), s.semicolon]),
      [
        ['CREATE TABLE a (id int)', -1],
        ['DROP TABLE a', 64],
      ],
    );
    assert.deepEqual(analyzeSql('file:///m.sql', text).doc.syntaxErrors, []);
  });

  it('ends statements at dbmate and sql-migrate markers too, and StatementBegin/End keep bodies whole', () => {
    const text = '-- migrate:up\nselect 1\n-- migrate:down\nselect 2\n-- +migrate Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ select 1; $$;\n-- +goose StatementEnd\n';
    assert.deepEqual(
      splitSql(text).statements.map((s) => text.slice(s.start, s.end)),
      ['select 1', 'select 2', 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ select 1; $$'],
    );
  });

  it('marks statements of Down sections and down files as down, and takes no facts from them', () => {
    const text = '-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nALTER TABLE a ENABLE ROW LEVEL SECURITY;\nCREATE ROLE boss SUPERUSER;\n';
    const a = analyzeSql('file:///m.sql', text);
    assert.deepEqual(
      a.doc.statements.map((s) => [s.type, s.down]),
      [
        ['CreateStmt', false],
        ['AlterTableStmt', true],
        ['CreateRoleStmt', true],
      ],
    );
    assert.deepEqual([a.facts.tables.map((t) => t.name), a.facts.rlsEnabled, a.facts.superusers], [['a'], [], []]);
    const down = analyzeSql('file:///m/1_a.down.sql', 'CREATE ROLE boss SUPERUSER;', undefined, { layout: classifyFile('m/1_a.down.sql') });
    assert.deepEqual([down.doc.statements[0].down, down.facts.superusers], [true, []]);
  });

  it('still reports direct dangers in a Down section', () => {
    const text = '-- migrate:up\nselect 1;\n-- migrate:down\nGRANT SELECT ON t TO PUBLIC;\n';
    assert.deepEqual(rules(text), ['grant-to-public@4:22']);
  });
});

describe('placeholders', () => {
  before(() => loadParser());

  it('parses extension scripts with @extschema@, @extowner@ and @MODULE_PATHNAME@ with no configuration', () => {
    const text = [
      '\\echo Use "CREATE EXTENSION x" to load this file. \\quit',
      'CREATE TABLE @extschema@.items (id int);',
      "CREATE FUNCTION @extschema@.f() RETURNS int AS '@MODULE_PATHNAME@', 'f' LANGUAGE C;",
      'GRANT USAGE ON SCHEMA @extschema:other@ TO @extowner@;',
      "CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql SET search_path = @extschema@ AS $$ BEGIN RETURN (SELECT count(*) FROM @extschema@.items); END $$;",
    ].join('\n');
    const a = analyzeSql('file:///x--1.0.sql', text);
    assert.deepEqual(a.doc.syntaxErrors, []);
    assert.deepEqual(
      a.doc.statements.map((s) => s.type),
      ['CreateStmt', 'CreateFunctionStmt', 'GrantStmt', 'CreateFunctionStmt'],
    );
    assert.equal(a.doc.statements[0].text, 'CREATE TABLE _extschema_.items (id int)');
    assert.deepEqual(a.facts.tables.map((t) => [t.schema, t.name]), [['_extschema_', 'items']]);
    // rls.schemas makes missing-rls judge the table (named through its placeholder) in a project without RLS.
    const rls = lintAlone(text, undefined, undefined, { rlsSchemas: ['_extschema_'] }).filter(([r]) => r === 'missing-rls');
    assert.deepEqual(rls.map(([, at]) => at), ['2:14']);
    assert.match(rls[0][2], /^Table @extschema@\.items has no row-level security/);
  });

  it('shows placeholders and psql variables in messages as written', () => {
    const found = lintAlone('GRANT ALL ON TABLE @extschema@.items TO PUBLIC;');
    assert.deepEqual(found.map(([r, at]) => [r, at]).sort(), [
      ['grant-all', '1:7'],
      ['grant-to-public', '1:41'],
    ]);
    for (const [, , m] of found) assert.doesNotMatch(m, /_extschema_/);
    const psql = lintAlone('CREATE TABLE :SCHEMA.tasks (id int);', undefined, undefined, { rlsSchemas: ['_schema'] });
    assert.deepEqual(psql.map(([r, at]) => [r, at]), [['missing-rls', '1:14']]);
    assert.match(psql[0][2], /Table :SCHEMA\.tasks has no row-level security/);
    assert.doesNotMatch(psql[0][2], /_schema/i);
  });

  it('lints a Go, Jinja or Flyway template once its placeholders are declared', () => {
    const text = "{% if grants %}\nGRANT SELECT ON {{ .Schema }}.t TO PUBLIC;\nCREATE ROLE ${role} LOGIN PASSWORD {{ .Password }};\n{% endif %}\n";
    assert.deepEqual(rules(text).filter((r) => r.startsWith('syntax-error')), ['syntax-error@1:1', 'syntax-error@3:13', 'syntax-error@4:1']);
    const { rules: declared, problems } = compilePlaceholders([
      // The literal form first: the generic {{ }} name would take the password otherwise.
      { pattern: '\\{\\{ \\.Password \\}\\}', as: 'literal' },
      { pattern: '\\{%.*?%\\}', as: 'blank' },
      '\\{\\{.*?\\}\\}',
      '\\$\\{\\w+\\}',
    ]);
    assert.deepEqual(problems, []);
    const a = analyzeSql('file:///t.sql', text, undefined, { placeholders: declared });
    assert.deepEqual(a.doc.syntaxErrors, []);
    assert.deepEqual(
      a.doc.statements.map((s) => s.text),
      ['GRANT SELECT ON _Schema______.t TO PUBLIC', "CREATE ROLE _role__ LOGIN PASSWORD 'Password     '"],
    );
    const found = lintAlone(text, { placeholders: declared });
    assert.deepEqual(found.map(([r, at]) => `${r}@${at}`), ['grant-to-public@2:36']);
  });

  it('builds stand-ins of the same length: names, literals, blanks for a template line opening a statement', () => {
    assert.equal(standIn('x @extschema@.t', 2, 13, 'identifier'), '_extschema_');
    assert.equal(standIn('PASSWORD ${pw}', 9, 14, 'literal'), "'pw '");
    assert.equal(standIn("PASSWORD '${pw}'", 10, 15, 'literal'), '_pw__');
    assert.equal(standIn('{% if x %}\nselect 1', 0, 10, 'identifier'), '          ');
    assert.equal(standIn('select {{ .A }}', 7, 15, 'blank'), '        ');
  });

  it('rejects a bad or empty-matching expression with a message', () => {
    assert.deepEqual(compilePlaceholders(['(', 'a*']).problems.map((p) => p.replace(/: .*/, '')), [
      'placeholder "(" is not a valid regular expression',
      'placeholder "a*" matches the empty string',
    ]);
  });

  it('restores stand-ins only as whole words', () => {
    const vars = [{ kind: 'raw', name: 'SCHEMA' }, { kind: 'placeholder', name: '@extschema@', replacement: '_extschema_' }];
    assert.equal(restoreWritten('on _schema.tasks and _extschema_.x, not my_schema or _schemas', vars), 'on :SCHEMA.tasks and @extschema@.x, not my_schema or _schemas');
  });
});
