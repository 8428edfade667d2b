import { confRuleTester } from '../conf/harness';

confRuleTester('conf-pgaudit', {
  valid: [
    "shared_preload_libraries = 'pgaudit'\npgaudit.log = 'ddl, write, role'\n",
    { code: "shared_preload_libraries = '$libdir/pgaudit.so'\npgaudit.log = 'all, -misc'\n", name: 'all minus a class' },
    { code: "pgaudit.log = 'none'\n", name: 'pgaudit is not loaded: its setting does nothing' },
    { code: "shared_preload_libraries = 'pgaudit'\n", files: { 'postgresql.auto.conf': "pgaudit.log = 'write,ddl'\n" }, name: 'set by ALTER SYSTEM' },
  ],
  invalid: [
    {
      code: "shared_preload_libraries = 'pgaudit, passwordcheck'\n",
      name: 'pgaudit.log defaults to none: placed on the preload line',
      errors: [{ line: 1, column: 28, severity: 'warning', message: "pgaudit is loaded but pgaudit.log 'none' does not log ddl or write: schema and role changes and data changes leave no audit record" }],
    },
    {
      code: "shared_preload_libraries = 'pgaudit.so,pg_stat_statements.so'\npgaudit.log = 'write, role'\n",
      errors: [{ line: 2, column: 15, severity: 'warning', message: 'does not log ddl: schema and role changes leave no audit record' }],
      output: "shared_preload_libraries = 'pgaudit.so,pg_stat_statements.so'\npgaudit.log = 'write, role, ddl'\n",
    },
    {
      code: "shared_preload_libraries = 'pgaudit'\npgaudit.log = 'all,-write'\n",
      errors: [{ line: 2, column: 15, message: 'does not log write: data changes leave no audit record' }],
      output: "shared_preload_libraries = 'pgaudit'\npgaudit.log = 'all,-write, write'\n",
    },
    {
      code: "shared_preload_libraries = 'pgaudit'\npgaudit.log = none\n",
      errors: [{ line: 2, column: 15 }],
      output: "shared_preload_libraries = 'pgaudit'\npgaudit.log = 'ddl, write'\n",
    },
  ],
});
