import { ruleTester } from './harness';

ruleTester('rls-no-policy', {
  valid: [
    {
      code: 'CREATE TABLE @extschema@.groups (id uuid);\nGRANT SELECT ON @extschema@.groups TO authenticated;\nALTER TABLE @extschema@.groups ENABLE ROW LEVEL SECURITY;',
      path: 'supabase_rbac--5.2.1.sql',
      name: "an extension's table: the installing database adds the policies (supabase-tenant-rbac)",
    },
    'ALTER TABLE t ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON t USING (owner = current_user);',
    { code: 'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;', files: { 'policies.sql': 'CREATE POLICY p ON app.t USING (true);' }, name: 'policy in another file' },
    { code: 'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;', files: { 'policies.sql': 'CREATE POLICY p ON t USING (true);' }, name: 'unqualified policy table matches' },
    { code: 'ALTER TABLE "Accounts" ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON "Accounts" USING (true);', name: 'quoted names' },
    'ALTER TABLE t DISABLE ROW LEVEL SECURITY;',
    'ALTER TABLE t FORCE ROW LEVEL SECURITY;',
    'ALTER TABLE t ADD COLUMN owner name;',
    "SELECT 'ALTER TABLE t ENABLE ROW LEVEL SECURITY';",
    {
      code: 'CREATE TABLE rbac.group_users (group_id uuid, user_id uuid);\nALTER TABLE rbac.group_users ENABLE ROW LEVEL SECURITY;',
      name: 'a deliberate deny-all table: granted to no one, read through SECURITY DEFINER functions',
    },
    {
      code: 'CREATE TABLE app.t (a int);\nGRANT SELECT ON app.t TO app_user;\nALTER TABLE app.t ENABLE ROW LEVEL SECURITY;\nALTER TABLE app.t DISABLE ROW LEVEL SECURITY;',
      name: 'disabled again later',
    },
    {
      code: 'CREATE TABLE app.t (a int);\nGRANT SELECT ON app.t TO app_user;\nREVOKE SELECT ON app.t FROM app_user;\nALTER TABLE app.t ENABLE ROW LEVEL SECURITY;',
      name: 'the grant is revoked again',
    },
    { code: 'ALTER TABLE ext.t ENABLE ROW LEVEL SECURITY;', name: 'a table the files never create: its grants are unknown' },
    {
      code: 'create table address(id int);\ngrant select on address to anon;\nalter table address enable row level security;',
      path: 'test/sql/issue_409_fkey_rls_nullability.sql',
      name: 'a test of exactly that state',
    },
  ],
  invalid: [
    {
      code: 'ALTER TABLE t ENABLE ROW LEVEL SECURITY;',
      files: { 'a_schema.sql': 'CREATE TABLE t (a int);\nGRANT SELECT ON t TO app_user;' },
      errors: [{ line: 1, column: 15, endColumn: 40, message: 'no policy is created for it, while "app_user" holds privileges on it: it sees no rows' }],
      output: 'ALTER TABLE t ENABLE ROW LEVEL SECURITY;\nCREATE POLICY t_owner ON t FOR ALL TO app_user USING (false);',
    },
    {
      code: 'ALTER TABLE app."Order Items"\n  ENABLE  ROW LEVEL\n  SECURITY, FORCE ROW LEVEL SECURITY; -- tenants\n',
      name: 'quoted qualified table, keywords across lines',
      files: { 'a_schema.sql': 'CREATE TABLE app."Order Items" (a int);\nGRANT SELECT ON app."Order Items" TO PUBLIC, app_user;' },
      errors: [{ line: 2, column: 3, endLine: 3, endColumn: 11, message: 'app.Order Items' }],
      output:
        'ALTER TABLE app."Order Items"\n  ENABLE  ROW LEVEL\n  SECURITY, FORCE ROW LEVEL SECURITY; -- tenants\nCREATE POLICY "Order Items_owner" ON app."Order Items" FOR ALL TO app_user USING (false);\n',
    },
    {
      code: 'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;',
      files: { 'a_schema.sql': 'CREATE TABLE app.t (a int);\nGRANT ALL ON ALL TABLES IN SCHEMA app TO reporting;', 'policies.sql': 'CREATE POLICY p ON billing.t USING (true);' },
      name: 'a policy on another schema\'s table does not count',
      errors: [{ line: 1, column: 19 }],
      output: 'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;\nCREATE POLICY t_owner ON app.t FOR ALL TO reporting USING (false);',
    },
    {
      code: 'ALTER TABLE "user" ENABLE ROW LEVEL SECURITY',
      name: 'keyword table name, no semicolon',
      files: { 'a_schema.sql': 'CREATE TABLE "user" (a int);\nGRANT SELECT ON "user" TO app_user;' },
      errors: [{ line: 1, column: 20 }],
      output: 'ALTER TABLE "user" ENABLE ROW LEVEL SECURITY;\nCREATE POLICY user_owner ON "user" FOR ALL TO app_user USING (false);',
    },
    {
      code: 'CREATE TABLE docs (id int, owner name, body text);\nGRANT SELECT ON docs TO PUBLIC;\nALTER TABLE docs ENABLE ROW LEVEL SECURITY;',
      name: 'the template compares the owner column the table has; PUBLIC is no role to name',
      errors: [{ line: 3, column: 18 }],
      output: 'CREATE TABLE docs (id int, owner name, body text);\nGRANT SELECT ON docs TO PUBLIC;\nALTER TABLE docs ENABLE ROW LEVEL SECURITY;\nCREATE POLICY docs_owner ON docs FOR ALL TO app_role USING (owner = current_user);',
    },
    {
      code: 'CREATE TABLE notes (id int, user_id int, body text);\nGRANT SELECT ON notes TO app_user;\nALTER TABLE notes ENABLE ROW LEVEL SECURITY;',
      name: 'no column holding a role name: the template names no column (false: no row until written)',
      errors: [{ line: 3, column: 19 }],
      output: 'CREATE TABLE notes (id int, user_id int, body text);\nGRANT SELECT ON notes TO app_user;\nALTER TABLE notes ENABLE ROW LEVEL SECURITY;\nCREATE POLICY notes_owner ON notes FOR ALL TO app_user USING (false);',
    },
  ],
});
