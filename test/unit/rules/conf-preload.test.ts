import { confRuleTester } from '../conf/harness';

const ON = { rules: { 'conf-preload': 'info' as const } };

confRuleTester('conf-preload', {
  valid: [
    { code: "shared_preload_libraries = 'pg_stat_statements'\n", name: 'off unless pgwarden.json turns it on' },
    { code: "shared_preload_libraries = 'pgaudit,passwordcheck,auth_delay'\n", config: ON },
    { code: "shared_preload_libraries = '$libdir/pgaudit.so, \"credcheck\", auth_delay.so'\n", config: ON, name: 'paths, suffixes, quotes and credcheck' },
    { code: 'work_mem = 4MB\n', config: ON, name: 'no line to put it on: the live audit reports what the server loads' },
  ],
  invalid: [
    {
      code: "shared_preload_libraries = 'pg_stat_statements.so'\n",
      config: ON,
      errors: [{ line: 1, column: 28, severity: 'info', message: 'loads none of pgaudit (an audit log of who ran which statement); passwordcheck or credcheck (refuses weak passwords set in SQL); auth_delay' }],
    },
    {
      code: "shared_preload_libraries = ''\n",
      config: ON,
      errors: [{ line: 1, column: 28, message: 'shared_preload_libraries is empty and loads none of pgaudit' }],
    },
    {
      code: "shared_preload_libraries = 'pgaudit.so,credcheck'\n",
      config: ON,
      errors: [{ line: 1, column: 28, message: "shared_preload_libraries 'pgaudit.so,credcheck' loads none of auth_delay (slows down password guessing)." }],
    },
  ],
});
