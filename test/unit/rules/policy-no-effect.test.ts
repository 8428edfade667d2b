import { ruleTester } from './harness';

const T = 'CREATE TABLE app.docs (id int, tenant int, owner text);\nALTER TABLE app.docs ENABLE ROW LEVEL SECURITY;\n';
const OWN = 'CREATE POLICY own ON app.docs TO app_user USING (owner = current_user);\n';

ruleTester('policy-no-effect', {
  valid: [
    { code: `${T}${OWN}CREATE POLICY floor ON app.docs AS RESTRICTIVE TO app_user USING (tenant = current_setting('app.tenant')::int);`, name: 'a restrictive floor with a condition' },
    { code: `${T}${OWN}CREATE POLICY ins ON app.docs FOR INSERT TO app_user WITH CHECK (owner = current_user);`, name: 'INSERT with WITH CHECK' },
    { code: `${T}${OWN}CREATE POLICY upd ON app.docs FOR UPDATE TO app_user USING (owner = current_user);`, name: 'UPDATE without WITH CHECK: PostgreSQL checks new rows against USING' },
    { code: `${T}CREATE POLICY deny ON app.docs FOR DELETE TO app_user USING (false);\nCREATE POLICY sel ON app.docs FOR SELECT TO app_user USING (owner = current_user);`, name: 'a permissive false no policy for its command overrides denies what it means to' },
    { code: `${T}CREATE POLICY nobody ON app.docs USING (false);`, name: 'a lone permissive false denies what would be denied anyway' },
    { code: `${T}CREATE POLICY other ON app.docs FOR DELETE TO admin USING (true);\nCREATE POLICY deny ON app.docs FOR DELETE TO app_user USING (false);`, name: 'another policy for other roles does not override it' },
    { code: `${T}${OWN}CREATE POLICY r ON app.docs AS RESTRICTIVE FOR SELECT USING (true);\nALTER POLICY r ON app.docs USING (tenant = 1);`, name: 'fixed by a later ALTER POLICY' },
    { code: `${T}${OWN}CREATE POLICY r ON app.docs AS RESTRICTIVE FOR SELECT USING (true);\nDROP POLICY r ON app.docs;`, name: 'dropped later' },
    { code: 'CREATE TABLE app.docs (id int);\nCREATE POLICY r ON app.docs AS RESTRICTIVE USING (true);', name: 'RLS off: missing-rls reports the dormant policies' },
  ],
  invalid: [
    {
      code: `${T}${OWN}CREATE POLICY tenant_floor ON app.docs AS RESTRICTIVE TO app_user USING (true);`,
      name: 'a restrictive true holds nothing back (pgrls SEC031)',
      errors: [{ line: 4, column: 15, endColumn: 27, severity: 'warning', message: 'Policy "tenant_floor" on app.docs is RESTRICTIVE but is constant true: restrictive policies are ANDed with the rest, so it holds back no row' }],
    },
    {
      code: `${T}${OWN}CREATE POLICY floor ON app.docs AS RESTRICTIVE FOR INSERT TO app_user;`,
      name: 'a restrictive INSERT policy without WITH CHECK',
      errors: [{ line: 4, column: 15, endColumn: 20, severity: 'warning', message: 'is RESTRICTIVE but has no WITH CHECK' }],
    },
    {
      code: `${T}${OWN}CREATE POLICY no_delete ON app.docs FOR DELETE TO app_user USING (false);`,
      name: 'a permissive false does not deny what another permissive policy grants (pgrls SEC010)',
      errors: [{ line: 4, column: 15, endColumn: 24, severity: 'warning', message: 'is constant false, which denies nothing: permissive policies are ORed, and "own" still grants' }],
    },
    {
      code: `${T}${OWN}CREATE POLICY ins ON app.docs FOR INSERT TO app_user;`,
      name: 'a permissive INSERT policy without WITH CHECK admits nothing (checked on PostgreSQL in test/db)',
      errors: [{ line: 4, column: 15, endColumn: 18, severity: 'info', message: 'is FOR INSERT without WITH CHECK: PostgreSQL then admits no new row through it' }],
    },
    {
      code: `${T}CREATE POLICY a ON app.docs AS RESTRICTIVE USING (tenant = 1);\nCREATE POLICY b ON app.docs AS RESTRICTIVE USING (owner = current_user);`,
      name: 'only restrictive policies: reported once, on the first (pgrls SEC012)',
      errors: [{ line: 3, column: 15, endColumn: 16, severity: 'info', message: 'is RESTRICTIVE and the table has no permissive policy' }],
    },
    {
      code: `${T}${OWN}CREATE POLICY r ON app.docs AS RESTRICTIVE FOR SELECT USING (tenant = 1);\nALTER POLICY r ON app.docs USING (true);`,
      name: 'the ALTER POLICY that made it so',
      errors: [{ line: 5, column: 14, endColumn: 15, severity: 'warning' }],
    },
  ],
});
