import { ruleTester } from './harness';

ruleTester('policy-always-true', {
  valid: [
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
  ],
  invalid: [
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
