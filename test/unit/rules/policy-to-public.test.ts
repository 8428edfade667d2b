import { ruleTester } from './harness';

const T = 'CREATE TABLE app.chats (id int, owner text, sharing text);\nALTER TABLE app.chats ENABLE ROW LEVEL SECURITY;\n';

ruleTester('policy-to-public', {
  valid: [
    { code: `${T}CREATE POLICY own ON app.chats USING (owner = current_user);`, name: 'no TO clause, but the condition names the caller' },
    { code: `${T}CREATE POLICY own ON app.chats USING (owner = auth.uid()::text) WITH CHECK (owner = auth.uid()::text);`, name: "Supabase's usual policy: a function of the caller" },
    { code: `${T}CREATE POLICY m ON app.chats USING (EXISTS (SELECT 1 FROM app.members m WHERE m.chat = id));`, name: 'a membership subquery' },
    { code: `${T}CREATE POLICY pub ON app.chats FOR SELECT TO authenticated USING (sharing <> 'private');`, name: 'named roles' },
    { code: `${T}CREATE POLICY t ON app.chats USING (true);`, name: 'constant true is policy-always-true' },
    { code: `${T}CREATE POLICY r ON app.chats AS RESTRICTIVE USING (sharing <> 'private');`, name: 'a restrictive policy grants nothing' },
    { code: 'CREATE TABLE app.chats (id int, sharing text);\nCREATE POLICY pub ON app.chats FOR SELECT USING (sharing <> \'private\');', name: 'RLS off: dormant policies are missing-rls' },
    { code: `${T}CREATE POLICY pub ON app.chats FOR SELECT USING (sharing <> 'private');\nDROP POLICY pub ON app.chats;`, name: 'dropped later' },
    { code: `${T}CREATE POLICY pub ON app.chats FOR SELECT USING (sharing <> 'private');\nALTER POLICY pub ON app.chats TO authenticated;`, name: 'restricted to a role later' },
    { code: `${T}BEGIN;\nSELECT plan(1);\nCREATE POLICY pub ON app.chats FOR SELECT USING (sharing <> 'private');`, name: 'a pgTAP scenario' },
  ],
  invalid: [
    {
      code: `${T}CREATE POLICY "view non-private" ON app.chats FOR SELECT USING (sharing <> 'private');`,
      name: 'reading for every role is info',
      errors: [{ line: 3, column: 15, endColumn: 33, severity: 'info', message: 'Policy "view non-private" on app.chats has no TO clause, so it is for PUBLIC, and its USING condition does not depend on who asks: every role, including anonymous ones and roles created later, may read the rows it admits' }],
    },
    {
      code: `${T}CREATE POLICY upd ON app.chats FOR UPDATE TO PUBLIC USING (sharing = 'open');`,
      name: 'writing for every role is a warning',
      errors: [{ line: 3, column: 15, endColumn: 18, severity: 'warning', message: 'is for PUBLIC and its USING condition' }],
    },
    {
      code: `${T}CREATE POLICY p ON app.chats TO authenticated USING (owner = current_user);\nALTER POLICY p ON app.chats TO PUBLIC USING (sharing = 'open');`,
      name: 'the ALTER that made it so is where it is reported',
      errors: [{ line: 4, column: 14, endColumn: 15, severity: 'warning', message: 'may read and change the rows' }],
    },
    {
      code: 'CREATE POLICY ins ON storage.objects FOR INSERT WITH CHECK (bucket_id = \'avatars\');',
      name: 'a table the files never create (Supabase storage.objects) is judged as enabled',
      errors: [{ line: 1, column: 15, endColumn: 18, message: 'its WITH CHECK condition' }],
    },
  ],
});
