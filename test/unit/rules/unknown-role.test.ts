// unknown-role only fires while a live catalog is present, which the shared ruleTester
// cannot set up, so this table runs the same pipeline (analyzeSql -> workspace ->
// lintAnalyzedSql) with a catalog and checks exact 1-based positions the same way.

import assert from 'node:assert/strict';
import { defaultConfig } from '../../../server/src/core/config';
import { analyzeSql, lintAnalyzedSql } from '../../../server/src/core/lint';
import { RULES_BY_ID } from '../../../server/src/core/registry';
import { loadParser } from '../../../server/src/core/sql/parser';
import { LineIndex } from '../../../server/src/core/text';
import { CatalogFacts, Workspace } from '../../../server/src/core/workspace';

const CATALOG: CatalogFacts = {
  superusers: ['postgres'],
  roles: ['postgres', 'app_readonly', 'Mixed Case', 'pg_read_all_data'],
  rlsEnabled: [],
  rlsForced: [],
  policies: [],
};

interface Case {
  code: string;
  files?: Record<string, string>;
  catalog?: CatalogFacts | null;
  /** [line, column, endColumn, message substring] of each expected finding, 1-based. */
  errors?: Array<[number, number, number, string?]>;
}

function findings(c: Case) {
  const ws = new Workspace();
  if (c.catalog !== null) ws.setCatalog(c.catalog ?? CATALOG);
  for (const [name, text] of Object.entries(c.files ?? {})) ws.setFile(`file:///${name}`, analyzeSql(`file:///${name}`, text).facts);
  const a = analyzeSql('file:///test.sql', c.code);
  ws.setFile('file:///test.sql', a.facts);
  assert.deepEqual(a.doc.syntaxErrors, [], 'test SQL must parse');
  const lines = new LineIndex(c.code);
  return lintAnalyzedSql(a, ws, defaultConfig(), (id, err) => {
    throw new Error(`rule ${id} threw: ${err}`);
  })
    .filter((f) => f.ruleId === 'unknown-role')
    .map((f) => {
      const s = lines.positionAt(f.start);
      const e = lines.positionAt(f.end);
      assert.equal(s.line, e.line);
      return { pos: [s.line + 1, s.character + 1, e.character + 1] as [number, number, number], message: f.message, text: c.code.slice(f.start, f.end) };
    });
}

const valid: Case[] = [
  { code: 'GRANT SELECT ON t TO app_readonly;' },
  { code: 'GRANT SELECT ON t TO APP_READONLY;' },
  { code: 'GRANT SELECT ON t TO "Mixed Case";' },
  { code: 'GRANT SELECT ON t TO PUBLIC, CURRENT_USER, SESSION_USER, CURRENT_ROLE;' },
  { code: 'GRANT pg_read_all_data TO app_readonly;' },
  { code: 'CREATE ROLE auditors NOLOGIN;\nGRANT SELECT ON t TO auditors;' },
  { code: 'GRANT SELECT ON t TO auditors;', files: { '001_roles.sql': 'CREATE ROLE auditors;' } },
  { code: 'GRANT SELECT ON t TO ghost;', catalog: null },
  { code: 'REVOKE SELECT ON t FROM ghost;' },
  { code: 'REVOKE ghost FROM app_readonly;' },
  { code: 'GRANT SELECT ON t TO :target;' },
  { code: 'ALTER DEFAULT PRIVILEGES REVOKE SELECT ON TABLES FROM ghost;' },
  { code: "SELECT 'GRANT SELECT ON t TO ghost';" },
];

const invalid: Case[] = [
  { code: 'GRANT SELECT ON t TO ghost;', errors: [[1, 22, 27, 'Role "ghost" exists neither']] },
  { code: 'GRANT SELECT ON t TO app_readonly, "Ghost";', errors: [[1, 36, 43, 'Role "Ghost"']] },
  { code: 'grant select on t to "mixed case";', errors: [[1, 22, 34, '"mixed case"']] },
  { code: "SELECT 'é🙂';\nGRANT USAGE ON SCHEMA s TO nobody;", errors: [[2, 28, 34]] },
  { code: 'ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO readers;', errors: [[1, 66, 73]] },
  {
    code: 'GRANT admins, app_readonly TO ghost WITH ADMIN OPTION;',
    errors: [
      [1, 7, 13, 'Granted role "admins"'],
      [1, 31, 36, 'Role "ghost"'],
    ],
  },
  { code: 'GRANT ghost TO ghost2;', errors: [[1, 7, 12], [1, 16, 22]] },
];

describe('rule unknown-role', () => {
  before(() => loadParser());

  it('is registered, not fixable, and silent without a catalog', () => {
    const meta = RULES_BY_ID.get('unknown-role');
    assert.ok(meta);
    assert.equal(meta.fixable, false);
    assert.equal(meta.language, 'sql');
  });

  valid.forEach((c, i) => {
    it(`valid #${i + 1}: ${c.code.replace(/\s+/g, ' ')}`, () => {
      assert.deepEqual(findings(c), []);
    });
  });

  invalid.forEach((c, i) => {
    it(`invalid #${i + 1}: ${c.code.replace(/\s+/g, ' ')}`, () => {
      const got = findings(c);
      assert.deepEqual(
        got.map((g) => g.pos),
        c.errors!.map((e) => [e[0], e[1], e[2]]),
        JSON.stringify(got),
      );
      c.errors!.forEach((e, k) => {
        if (e[3]) assert.ok(got[k].message.includes(e[3]), `"${got[k].message}" lacks "${e[3]}"`);
        assert.ok(got[k].message.includes('neither in the workspace nor in the connected database'));
      });
    });
  });
});
