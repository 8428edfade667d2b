import assert from 'node:assert/strict';
import { loadParser } from '../../../server/src/core/sql/parser';
import { defaultConfig, PgwardenConfig } from '../../../server/src/core/config';
import { analyzeSql, lintAnalyzedSql } from '../../../server/src/core/lint';
import { Workspace } from '../../../server/src/core/workspace';
import { ruleTester } from './harness';

ruleTester('rls-not-forced', {
  valid: [
    'ALTER TABLE t ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;',
    'ALTER TABLE t ENABLE ROW LEVEL SECURITY;\nALTER TABLE t FORCE ROW LEVEL SECURITY;',
    { code: 'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;', files: { 'force.sql': 'ALTER TABLE app.t FORCE ROW LEVEL SECURITY;' }, name: 'forced in another file' },
    { code: 'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;', files: { 'force.sql': 'ALTER TABLE t FORCE ROW LEVEL SECURITY;' }, name: 'unqualified FORCE matches' },
    'ALTER TABLE t NO FORCE ROW LEVEL SECURITY;',
    'ALTER TABLE t DISABLE ROW LEVEL SECURITY;',
    '/* ALTER TABLE t ENABLE ROW LEVEL SECURITY; */ SELECT 1;',
  ],
  invalid: [
    {
      code: 'ALTER TABLE t ENABLE ROW LEVEL SECURITY;',
      errors: [{ line: 1, column: 15, endColumn: 40, message: 'FORCE ROW LEVEL SECURITY' }],
      output: 'ALTER TABLE t ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;',
    },
    {
      code: 'ALTER TABLE "Éléments" ENABLE ROW LEVEL SECURITY, ADD COLUMN x int;',
      name: 'non-ASCII quoted name and a second subcommand',
      errors: [{ line: 1, column: 24, endColumn: 49, message: 'Éléments' }],
      output: 'ALTER TABLE "Éléments" ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY, ADD COLUMN x int;',
    },
    {
      code: 'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;',
      files: { 'force.sql': 'ALTER TABLE billing.t FORCE ROW LEVEL SECURITY;' },
      name: 'FORCE on another schema\'s table does not count',
      errors: [{ line: 1, column: 19 }],
      output: 'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;',
    },
    {
      code: 'ALTER TABLE t ENABLE ROW LEVEL SECURITY;\nALTER TABLE t NO FORCE ROW LEVEL SECURITY;',
      name: 'NO FORCE is not FORCE',
      errors: [{ line: 1, column: 15 }],
      output: 'ALTER TABLE t ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;\nALTER TABLE t NO FORCE ROW LEVEL SECURITY;',
    },
  ],
});

describe('rule rls-not-forced by default', () => {
  before(() => loadParser());
  const lint = (rules: PgwardenConfig['rules']) => {
    const a = analyzeSql('file:///t.sql', 'ALTER TABLE t ENABLE ROW LEVEL SECURITY;');
    const ws = new Workspace();
    ws.setFile('file:///t.sql', a.facts);
    return lintAnalyzedSql(a, ws, { ...defaultConfig(), rules }).map((f) => `${f.ruleId} ${f.severity}`);
  };
  it('is off with the default configuration', () => {
    assert.deepEqual(lint({}).filter((f) => f.startsWith('rls-not-forced')), []);
  });
  it('runs with the severity pgwarden.json gives it', () => {
    assert.deepEqual(lint({ 'rls-not-forced': 'warning' }).filter((f) => f.startsWith('rls-not-forced')), ['rls-not-forced warning']);
  });
});
