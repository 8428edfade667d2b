import { ruleTester } from './harness';

ruleTester('rls-no-policy', {
  valid: [
    'ALTER TABLE t ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON t USING (owner = current_user);',
    { code: 'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;', files: { 'policies.sql': 'CREATE POLICY p ON app.t USING (true);' }, name: 'policy in another file' },
    { code: 'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;', files: { 'policies.sql': 'CREATE POLICY p ON t USING (true);' }, name: 'unqualified policy table matches' },
    { code: 'ALTER TABLE "Accounts" ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON "Accounts" USING (true);', name: 'quoted names' },
    'ALTER TABLE t DISABLE ROW LEVEL SECURITY;',
    'ALTER TABLE t FORCE ROW LEVEL SECURITY;',
    'ALTER TABLE t ADD COLUMN owner name;',
    "SELECT 'ALTER TABLE t ENABLE ROW LEVEL SECURITY';",
  ],
  invalid: [
    {
      code: 'ALTER TABLE t ENABLE ROW LEVEL SECURITY;',
      errors: [{ line: 1, column: 15, endColumn: 40, message: 'no policy is created for it' }],
      output: 'ALTER TABLE t ENABLE ROW LEVEL SECURITY;\nCREATE POLICY t_owner ON t FOR ALL TO app_role USING (owner = current_user);',
    },
    {
      code: 'ALTER TABLE app."Order Items"\n  ENABLE  ROW LEVEL\n  SECURITY, FORCE ROW LEVEL SECURITY; -- tenants\n',
      name: 'quoted qualified table, keywords across lines',
      errors: [{ line: 2, column: 3, endLine: 3, endColumn: 11, message: 'app.Order Items' }],
      output:
        'ALTER TABLE app."Order Items"\n  ENABLE  ROW LEVEL\n  SECURITY, FORCE ROW LEVEL SECURITY; -- tenants\nCREATE POLICY "Order Items_owner" ON app."Order Items" FOR ALL TO app_role USING (owner = current_user);\n',
    },
    {
      code: 'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;',
      files: { 'policies.sql': 'CREATE POLICY p ON billing.t USING (true);' },
      name: 'a policy on another schema\'s table does not count',
      errors: [{ line: 1, column: 19 }],
      output: 'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;\nCREATE POLICY t_owner ON app.t FOR ALL TO app_role USING (owner = current_user);',
    },
    {
      code: 'ALTER TABLE "user" ENABLE ROW LEVEL SECURITY',
      name: 'keyword table name, no semicolon',
      errors: [{ line: 1, column: 20 }],
      output: 'ALTER TABLE "user" ENABLE ROW LEVEL SECURITY;\nCREATE POLICY user_owner ON "user" FOR ALL TO app_role USING (owner = current_user);',
    },
  ],
});
