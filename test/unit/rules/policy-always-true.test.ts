import { ruleTester } from './harness';

ruleTester('policy-always-true', {
  valid: [
    { code: 'ALTER POLICY p1 ON document USING (true);    --fail', name: 'expected to fail: only the owner may change a policy (pg_regress)' },
    {
      code: 'CREATE POLICY "Allow select for authenticator and auth admin" ON rbac.user_claims AS PERMISSIVE FOR SELECT TO authenticator, supabase_auth_admin USING (true);',
      name: "Supabase's platform roles reading their own data: PostgREST's login (pre-request hook) and the Auth server",
    },
    { code: 'CREATE POLICY p ON rbac.groups FOR INSERT TO authenticated WITH CHECK (true);', path: 'supabase/tests/07_definer_isolation.test.sql', name: 'a pgTAP test builds the policy it checks' },
    'CREATE POLICY p ON t USING (owner = current_user);',
    'CREATE POLICY p ON t USING (owner = current_user) WITH CHECK (owner = current_user);',
    { code: 'CREATE POLICY p ON t AS RESTRICTIVE USING (true);', name: 'a restrictive true restricts nothing and opens nothing' },
    'CREATE POLICY p ON t USING (false);',
    'CREATE POLICY p ON t USING (true AND owner = current_user);',
    'CREATE POLICY p ON t USING (NOT true);',
    "CREATE POLICY p ON t USING ('f'::boolean);",
    'CREATE POLICY p ON t USING (1 = 2);',
    'CREATE POLICY p ON t USING (a = a);',
    { code: "CREATE POLICY p ON t USING (myschema.bool 't');", name: 'a cast to a user type named bool' },
    'ALTER POLICY p ON t USING (tenant_id = current_setting(\'app.tenant\')::int);',
    'ALTER POLICY p ON t RENAME TO q;',
    { code: 'ALTER POLICY p ON app.t USING (true);', files: { 'a.sql': 'CREATE POLICY p ON app.t AS RESTRICTIVE USING (a > 0);' }, name: 'ALTER of a restrictive policy created elsewhere' },
    "SELECT 'CREATE POLICY p ON t USING (true)';",
    {
      code: 'CREATE POLICY "Service role can manage roles" ON rbac.roles AS PERMISSIVE FOR ALL TO service_role USING (true) WITH CHECK (true);',
      name: "Supabase's service_role bypasses RLS: a policy for it alone changes nothing",
    },
    { code: 'CREATE POLICY p ON t FOR ALL TO postgres, dba USING (true);', config: { superusers: ['dba'] }, name: 'only superusers' },
  ],
  invalid: [
    {
      code: 'CREATE POLICY claims ON user_claims FOR SELECT TO authenticator, authenticated USING (true);',
      name: 'one end-user role among the platform roles is enough',
      errors: [{ line: 1, column: 87, endColumn: 91, severity: 'info' }],
    },
    {
      code: 'CREATE POLICY claims ON user_claims FOR SELECT TO authenticator USING (true);',
      files: { 'roles.sql': 'CREATE ROLE authenticator LOGIN;' },
      name: 'a role the workspace creates under a platform name is judged like any other',
      errors: [{ line: 1, column: 72, endColumn: 76, severity: 'info' }],
    },
    {
      code: 'CREATE POLICY "Plans are public" ON plans FOR SELECT TO anon, authenticated USING (true);',
      name: 'a public read-only catalogue is info',
      errors: [{ line: 1, column: 84, endColumn: 88, severity: 'info', message: 'Right for a public read-only table' }],
    },
    {
      code: 'CREATE POLICY p ON t FOR SELECT USING (true);',
      config: { rules: { 'policy-always-true': 'error' } },
      name: 'a configured severity still wins',
      errors: [{ line: 1, column: 40, severity: 'error' }],
    },
    {
      code: 'CREATE POLICY p ON t FOR ALL TO service_role USING (true);',
      files: { 'roles.sql': 'CREATE ROLE service_role NOLOGIN;' },
      name: 'a service_role the workspace creates itself is an ordinary role',
      errors: [{ line: 1, column: 53, severity: 'warning' }],
    },
    {
      code: 'CREATE POLICY p ON t FOR UPDATE TO service_role, authenticated USING (true);',
      name: 'one role that does not bypass RLS is enough',
      errors: [{ line: 1, column: 71, severity: 'warning' }],
    },
    {
      code: 'ALTER POLICY p ON app.t USING (true);',
      files: { 'a.sql': 'CREATE POLICY p ON billing.t AS RESTRICTIVE USING (a > 0);\nCREATE POLICY q ON app.t AS RESTRICTIVE USING (a > 0);' },
      name: 'restrictive policies of another table or name do not count',
      errors: [{ line: 1, column: 32, endColumn: 36 }],
    },
    {
      code: 'CREATE POLICY p ON t USING (true);',
      errors: [{ line: 1, column: 29, endColumn: 33, message: 'Policy "p" on t has USING (true)' }],
    },
    {
      code: 'CREATE POLICY p ON app.t FOR INSERT TO app_user WITH CHECK ( true );',
      errors: [{ line: 1, column: 62, endColumn: 66, message: 'WITH CHECK (true): it lets its roles write' }],
    },
    {
      code: "CREATE POLICY p ON t AS PERMISSIVE\n  USING ('t'::boolean)\n  WITH CHECK (true AND 1 = 1);",
      name: 'both clauses, cast string and AND of constants',
      errors: [
        { line: 2, column: 10, endColumn: 22, message: 'USING' },
        { line: 3, column: 15, endColumn: 29, message: 'WITH CHECK' },
      ],
    },
    {
      code: 'CREATE POLICY p ON t USING (owner = current_user OR true OR NOT false);',
      name: 'OR with a constant true',
      errors: [{ line: 1, column: 29, endColumn: 70 }],
    },
    {
      code: "SELECT '日本語🙂';\nALTER POLICY p ON t USING (TRUE) WITH CHECK (CAST('yes' AS boolean));",
      name: 'ALTER POLICY after CJK and emoji',
      errors: [{ line: 2, column: 28, endColumn: 32 }, { line: 2, column: 46, endColumn: 68 }],
    },
    {
      code: 'CREATE POLICY "USING" ON t USING (EXISTS (SELECT 1 FROM a JOIN b USING (id))) WITH CHECK (true);',
      name: 'a USING join inside the expression is not the clause',
      errors: [{ line: 1, column: 91, endColumn: 95, message: 'WITH CHECK' }],
    },
  ],
});
