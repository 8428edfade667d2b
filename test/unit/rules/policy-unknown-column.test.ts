import { ruleTester } from './harness';

const T = 'CREATE TABLE app.notes (id int, owner uuid, body text);\nALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;\n';

ruleTester('policy-unknown-column', {
  valid: [
    { code: `${T}CREATE POLICY own ON app.notes USING (owner = auth.uid());`, name: 'a column the table has' },
    { code: `${T}CREATE POLICY own ON app.notes USING (notes.owner = auth.uid() AND tableoid > 0);`, name: "qualified by the table's name, and a system column" },
    { code: `${T}ALTER TABLE app.notes ADD COLUMN tenant uuid;\nCREATE POLICY t ON app.notes USING (tenant = auth.uid());`, name: 'a column added before the policy' },
    { code: `${T}ALTER TABLE app.notes RENAME COLUMN owner TO author;\nCREATE POLICY own ON app.notes USING (author = auth.uid());`, name: 'a renamed column under its new name' },
    { code: `${T}CREATE POLICY m ON app.notes USING (EXISTS (SELECT 1 FROM app.members m WHERE m.team = team_id));`, name: "a subquery's columns come from its own FROM (or the outer table: unsure)" },
    { code: `${T}CREATE POLICY w ON app.notes USING (app.visible(notes));`, name: 'a whole-row reference' },
    { code: 'CREATE TABLE app.base (id int);\nCREATE TABLE app.notes (LIKE app.base, extra int);\nCREATE POLICY p ON app.notes USING (owner = auth.uid());', name: 'LIKE: the columns are not all in the statement' },
    { code: 'CREATE TABLE app.child (extra int) INHERITS (app.parent);\nCREATE POLICY p ON app.child USING (owner = auth.uid());', name: 'INHERITS' },
    { code: 'CREATE TABLE app.notes AS SELECT 1 AS id;\nCREATE POLICY p ON app.notes USING (owner = auth.uid());', name: 'CREATE TABLE AS' },
    { code: 'CREATE POLICY p ON storage.objects USING (bucket_id = 1);', name: 'a table the files never create' },
    { code: `${T}CREATE FUNCTION app.is_mine(app.notes) RETURNS boolean LANGUAGE sql AS 'SELECT true';\nCREATE POLICY f ON app.notes USING (notes.is_mine);`, name: 'functional notation calls a declared function' },
    { code: `CREATE POLICY own ON app.notes USING (tenant = auth.uid());\n${T}ALTER TABLE app.notes ADD COLUMN tenant uuid;`, name: 'a policy before the table is created: the files do not say its columns there' },
  ],
  invalid: [
    {
      code: `${T}CREATE POLICY own ON app.notes USING (owner_id = auth.uid());`,
      name: 'pgrls HYG001: a column the table does not have',
      errors: [
        {
          line: 3,
          column: 39,
          endColumn: 47,
          message:
            'Policy "own" on app.notes: its USING names column "owner_id", which app.notes does not have at this point of the migrations (it has "id", "owner", "body"). PostgreSQL refuses the statement. Name an existing column, or add the column before the policy.',
        },
      ],
    },
    {
      code: `${T}CREATE POLICY t ON app.notes USING (tenant = auth.uid());\nALTER TABLE app.notes ADD COLUMN tenant uuid;`,
      name: 'the column is added only after the policy',
      errors: [{ line: 3, column: 37, endColumn: 43, message: 'its USING names column "tenant"' }],
    },
    {
      code: `${T}ALTER TABLE app.notes RENAME COLUMN owner TO author;\nCREATE POLICY own ON app.notes FOR INSERT WITH CHECK (notes.owner = auth.uid());`,
      name: 'the old name of a renamed column, qualified by the table',
      errors: [{ line: 4, column: 55, endColumn: 66, message: 'its WITH CHECK names column "owner", which app.notes does not have at this point of the migrations (it has "id", "author", "body")' }],
    },
    {
      code: `${T}ALTER TABLE app.notes DROP COLUMN body;\nCREATE POLICY b ON app.notes USING (owner = auth.uid());\nALTER POLICY b ON app.notes USING (body <> '' AND id IN (SELECT id FROM app.other));`,
      name: 'a dropped column in ALTER POLICY, outside the subquery',
      errors: [{ line: 5, column: 36, endColumn: 40, message: 'Policy "b" on app.notes: its USING names column "body"' }],
    },
  ],
});
