// Where a live finding is placed in the workspace: the statement that creates its object, and
// for a finding about one policy, that policy's CREATE POLICY (where the SQL rule judging the same
// policy reports, so the editor shows the problem once).

import assert from 'node:assert/strict';
import { locateQuery, placeFirst } from '../../../server/src/core/live/locate';
import { loadParser } from '../../../server/src/core/sql/parser';

const SCHEMA = ['CREATE TABLE app.accounts (id int, owner text);', 'ALTER TABLE app.accounts ENABLE ROW LEVEL SECURITY;'].join('\n');
const POLICIES = ['CREATE POLICY mine ON app.accounts USING (owner = current_user);', 'CREATE POLICY open ON app.accounts USING (true);'].join('\n');
const FILES = [
  { uri: 'file:///w/001_schema.sql', text: SCHEMA },
  { uri: 'file:///w/002_policies.sql', text: POLICIES },
];
const at = (l: ReturnType<typeof placeFirst>[number]) => (l ? `${l.uri.slice(10)}:${l.range.start.line}:${l.range.start.character}-${l.range.end.line}:${l.range.end.character} ${l.kind}` : undefined);

describe('placing live findings in the workspace', () => {
  before(() => loadParser());

  it('puts a finding about one policy on its CREATE POLICY, and a table finding on CREATE TABLE', () => {
    const queries = [
      locateQuery({ objectKind: 'table', object: 'app.accounts', policy: 'open' })!,
      locateQuery({ objectKind: 'table', object: 'app.accounts' })!,
    ];
    assert.deepEqual(placeFirst(FILES, queries).map(at), ['002_policies.sql:1:0-1:47 CREATE POLICY', '001_schema.sql:0:0-0:46 CREATE TABLE']);
  });

  it('falls back to the table when the workspace never creates the policy, and to nothing without the table', () => {
    const queries = [
      locateQuery({ objectKind: 'table', object: 'app.accounts', policy: 'made_by_hand' })!,
      locateQuery({ objectKind: 'table', object: 'app.other', policy: 'open' })!,
    ];
    assert.deepEqual(placeFirst(FILES, queries).map(at), ['001_schema.sql:0:0-0:46 CREATE TABLE', undefined]);
  });

  it('does not take a policy of the same name on another table', () => {
    const files = [{ uri: 'file:///w/003.sql', text: 'CREATE TABLE app.b (id int);\nCREATE POLICY open ON app.b USING (true);' }];
    assert.deepEqual(placeFirst(files, [locateQuery({ objectKind: 'table', object: 'app.accounts', policy: 'open' })!]).map(at), [undefined]);
  });
});
