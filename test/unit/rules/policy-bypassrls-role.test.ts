import { ruleTester } from './harness';

const T = 'CREATE TABLE app.docs (id int, tenant int);\nALTER TABLE app.docs ENABLE ROW LEVEL SECURITY;\n';

ruleTester('policy-bypassrls-role', {
  valid: [
    { code: `${T}CREATE POLICY p ON app.docs TO app_user USING (tenant = 1);`, name: 'an ordinary role' },
    { code: `${T}CREATE POLICY p ON app.docs TO service_role USING (true) WITH CHECK (true);`, name: "Supabase's service_role with USING (true): the policy says what the role has anyway" },
    { code: `CREATE ROLE etl BYPASSRLS;\n${T}CREATE POLICY p ON app.docs TO etl USING (tenant = 1);\nALTER ROLE etl NOBYPASSRLS;`, name: 'the role loses BYPASSRLS later' },
    { code: `CREATE ROLE service_role NOLOGIN;\n${T}CREATE POLICY p ON app.docs TO service_role USING (tenant = 1);`, name: 'a service_role the files create is ordinary' },
    { code: `${T}CREATE POLICY p ON app.docs USING (tenant = 1);`, name: 'PUBLIC is not a bypassing role' },
  ],
  invalid: [
    {
      code: `CREATE ROLE etl LOGIN BYPASSRLS;\n${T}CREATE POLICY etl_tenant ON app.docs TO etl USING (tenant = 1);`,
      name: 'a BYPASSRLS role declared in the files (pgrls SEC023)',
      errors: [{ line: 4, column: 15, endColumn: 25, message: 'Policy "etl_tenant" on app.docs is for "etl", which bypasses row-level security: PostgreSQL never applies the policy to it, so its condition restricts nothing' }],
    },
    {
      code: `${T}CREATE POLICY p ON app.docs TO app_user, service_role USING (tenant = 1);`,
      name: 'one of several roles',
      errors: [{ line: 3, column: 15, endColumn: 16, message: 'its condition restricts only the other roles. Drop "service_role" from its TO clause' }],
    },
    {
      code: `${T}CREATE POLICY p ON app.docs TO dba USING (tenant = 1);`,
      config: { superusers: ['dba'] },
      name: 'a configured superuser',
      errors: [{ line: 3, column: 15, endColumn: 16 }],
    },
  ],
});
