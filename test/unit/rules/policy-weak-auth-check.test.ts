import { ruleTester } from './harness';

const T = 'CREATE TABLE app.notes (id int, owner uuid, email text, deleted_at timestamptz);\nALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;\n';

ruleTester('policy-weak-auth-check', {
  valid: [
    { code: `${T}CREATE POLICY own ON app.notes TO authenticated USING (owner = auth.uid());`, name: "Supabase's usual policy" },
    { code: `${T}CREATE POLICY live ON app.notes TO authenticated USING (deleted_at IS NULL OR owner = auth.uid());`, name: 'IS NULL on a column of the row is about the row' },
    { code: `${T}CREATE POLICY anon ON app.notes TO anon USING (auth.uid() IS NULL AND email IS NULL);`, name: 'IS NULL in a conjunction narrows, it does not open' },
    { code: `${T}CREATE POLICY t ON app.notes USING (owner::text = current_setting('app.user_id', true));`, name: 'a prefixed custom setting' },
    { code: `${T}CREATE POLICY r ON app.notes TO app USING (current_setting('role') = 'admin');`, name: "the session's role is not the client's to choose" },
    { code: `${T}CREATE POLICY e ON app.notes TO authenticated USING (email = auth.email());`, name: 'compared with =' },
    { code: `${T}CREATE POLICY e ON app.notes TO authenticated USING (email LIKE '%@example.com');`, name: 'a constant pattern' },
    { code: `${T}CREATE POLICY e ON app.notes TO authenticated USING (auth.email() LIKE email);`, name: "the row's column as the pattern is the row's business" },
    { code: `${T}CREATE POLICY n ON app.notes TO authenticated USING ((SELECT m.uid FROM app.members m LIMIT 1) IS NULL OR owner = auth.uid());`, name: 'a subquery that reads a table is not judged' },
    { code: `${T}CREATE POLICY own ON app.notes USING (auth.uid() IS NULL OR owner = auth.uid());\nALTER POLICY own ON app.notes USING (owner = auth.uid());`, name: 'fixed by a later ALTER POLICY' },
  ],
  invalid: [
    {
      code: `${T}CREATE POLICY own ON app.notes USING (auth.uid() IS NULL OR owner = auth.uid());`,
      name: 'pgrls SEC004 / splinter 0030: an IS NULL branch on the caller',
      errors: [
        {
          line: 3,
          column: 15,
          endColumn: 18,
          message:
            'Policy "own" on app.notes: its USING passes every row when auth.uid() IS NULL: a caller without that identity (an anonymous request, a session that never set it) gets them all. Drop the IS NULL branch, or give the anonymous case its own policy for the roles that need it.',
        },
      ],
    },
    {
      code: `${T}CREATE POLICY own ON app.notes TO authenticated USING ((SELECT auth.uid()) IS NULL OR owner = (SELECT auth.uid()));`,
      name: "Supabase's (SELECT auth.uid()) reads no table: still the caller's",
      errors: [{ line: 3, column: 15, endColumn: 18, message: 'its USING passes every row when auth.uid() IS NULL' }],
    },
    {
      code: `${T}CREATE POLICY t ON app.notes FOR INSERT WITH CHECK (owner = current_setting('app.user_id', true)::uuid OR current_setting('app.user_id', true) IS NULL);`,
      name: 'a tenant setting never set, in WITH CHECK',
      errors: [{ line: 3, column: 15, endColumn: 16, message: "its WITH CHECK passes every row when current_setting('app.user_id') IS NULL" }],
    },
    {
      code: `${T}CREATE POLICY a ON app.notes TO app USING (owner::text = current_setting('application_name'));`,
      name: 'pgrls SEC024: a built-in setting the client chooses',
      errors: [{ line: 3, column: 15, endColumn: 16, message: "its USING reads current_setting('application_name'), a built-in setting" }],
    },
    {
      code: `${T}CREATE POLICY e ON app.notes TO authenticated USING (email ILIKE auth.email());\nCREATE POLICY r ON app.notes TO authenticated USING (email ~ current_setting('app.email'));`,
      name: "pgrls SEC026: the caller's value as a pattern",
      errors: [
        { line: 3, column: 15, endColumn: 16, message: "its USING uses auth.email() as a LIKE or regular-expression pattern" },
        { line: 4, column: 15, endColumn: 16, message: "its USING uses current_setting('app.email') as a LIKE or regular-expression pattern" },
      ],
    },
    {
      code: `${T}CREATE POLICY own ON app.notes TO authenticated USING (owner = auth.uid());\nALTER POLICY own ON app.notes USING (auth.uid() IS NULL OR owner = auth.uid());`,
      name: 'the ALTER that made it so is where it is reported',
      errors: [{ line: 4, column: 14, endColumn: 17, message: 'when auth.uid() IS NULL' }],
    },
  ],
});
