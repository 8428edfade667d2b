// policy-unknown-column against a real PostgreSQL: for each migration history, the server
// refuses the final policy statement exactly when the rule flags it, so the model of the
// table's columns (CREATE TABLE, ADD, DROP and RENAME COLUMN) is the server's.

import assert from 'node:assert/strict';
import { loadParser } from '../../server/src/core/sql/parser';
import { startCluster, TestCluster } from '../support/postgres';
import { findingsOf } from '../unit/rules/harness';

const T = 'CREATE SCHEMA app;\nCREATE TABLE app.notes (id int, owner text, body text);\nALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;\n';

/** A history, then the policy statement judged; `refused` names the column the server reports. */
const CASES: Array<{ name: string; history: string; policy: string; refused?: string }> = [
  { name: 'a column the table has', history: T, policy: 'CREATE POLICY own ON app.notes USING (owner = current_user);' },
  { name: 'a column it lacks', history: T, policy: 'CREATE POLICY own ON app.notes USING (owner_id = current_user);', refused: 'owner_id' },
  { name: 'a column added before', history: `${T}ALTER TABLE app.notes ADD COLUMN tenant text;\n`, policy: 'CREATE POLICY t ON app.notes USING (tenant = current_user);' },
  { name: 'a column added only later', history: T, policy: 'CREATE POLICY t ON app.notes USING (tenant = current_user);', refused: 'tenant' },
  { name: 'a renamed column under its new name', history: `${T}ALTER TABLE app.notes RENAME COLUMN owner TO author;\n`, policy: 'CREATE POLICY own ON app.notes USING (notes.author = current_user);' },
  {
    name: 'a renamed column under its old name, in WITH CHECK',
    history: `${T}ALTER TABLE app.notes RENAME COLUMN owner TO author;\n`,
    policy: 'CREATE POLICY own ON app.notes FOR INSERT WITH CHECK (notes.owner = current_user);',
    refused: 'owner',
  },
  {
    name: 'a dropped column in ALTER POLICY',
    history: `${T}CREATE POLICY b ON app.notes USING (owner = current_user);\nALTER TABLE app.notes DROP COLUMN body;\n`,
    policy: "ALTER POLICY b ON app.notes USING (body <> '');",
    refused: 'body',
  },
  { name: 'a system column and a whole-row reference', history: T, policy: 'CREATE POLICY s ON app.notes USING (tableoid > 0 AND notes IS NOT NULL);' },
  {
    name: 'a subquery naming the outer column (not judged, accepted)',
    history: `${T}CREATE TABLE app.members (team int);\n`,
    policy: 'CREATE POLICY m ON app.notes USING (EXISTS (SELECT 1 FROM app.members m WHERE m.team = id));',
  },
];

describe('policy-unknown-column on a real PostgreSQL', function () {
  this.timeout(60_000);
  let pg: TestCluster;
  let db = 0;

  before(async () => {
    await loadParser();
    pg = await startCluster();
  });
  after(() => pg?.stop());

  for (const c of CASES) {
    it(`${c.name}: ${c.refused ? 'refused and flagged' : 'accepted and not flagged'}`, () => {
      const flagged = findingsOf('policy-unknown-column', { code: `${c.history}${c.policy}` });
      assert.deepEqual(
        flagged.map((f) => f.message.match(/names column "([^"]+)"/)?.[1]),
        c.refused ? [c.refused] : [],
      );
      const name = `p${++db}`;
      pg.psql(`CREATE DATABASE ${name};`);
      pg.psql(c.history, name);
      let error = '';
      try {
        pg.psql(c.policy, name);
      } catch (e) {
        error = String((e as Error).message);
      }
      if (c.refused) assert.match(error, new RegExp(`column (\\w+\\.)?"?${c.refused}"? does not exist`));
      else assert.equal(error, '');
    });
  }
});
