import { confRuleTester } from '../conf/harness';

confRuleTester('conf-logging', {
  valid: [
    "log_connections = on\nlog_disconnections = on\nlog_statement = ddl\nlog_line_prefix = '%m [%p] %u@%d from %h '\n",
    { code: "log_connections = 'all'\n", config: { postgresVersion: 18 } },
    { code: "log_connections = 'authorization'\n", config: { postgresVersion: 18 } },
    "log_line_prefix = '%-10u %d %h'\n",
    { code: "log_line_prefix = '%m user=%u db=%d client=%r '\n", name: '%r names the host and its port' },
    { code: "log_destination = 'csvlog'\nlog_line_prefix = '%m '\n", name: 'CSV logs have their own user, database and host columns' },
    { code: "log_destination = 'jsonlog, csvlog'\nlog_line_prefix = ''\n", config: { postgresVersion: 15 } },
    'log_statement = mod\n',
    { code: 'log_connections = off\nlog_connections = on\n', name: 'only the effective line counts' },
  ],
  invalid: [
    { code: 'log_connections = off\n', errors: [{ line: 1, column: 19, message: 'log_connections is off' }], output: 'log_connections = on\n' },
    { code: "log_disconnections = 'no'\n", errors: [{ line: 1, column: 22 }], output: "log_disconnections = 'on'\n" },
    { code: "log_connections = ''\n", config: { postgresVersion: 18 }, errors: [{ line: 1, column: 19 }], output: "log_connections = 'on'\n" },
    { code: 'log_statement = none\n', errors: [{ line: 1, column: 17, endColumn: 21 }], output: 'log_statement = ddl\n' },
    {
      code: "log_line_prefix = '%m [%p] '\n",
      errors: [{ line: 1, column: 19, message: 'lacks %u (the user name), %d (the database), %h (the client host)' }],
      output: "log_line_prefix = '%m [%p] user=%u db=%d host=%h '\n",
    },
    {
      code: "log_line_prefix = '%m %%u %d'\n",
      name: '%% is a literal percent sign',
      errors: [{ line: 1, column: 19, message: 'lacks %u (the user name), %h (the client host)' }],
      output: "log_line_prefix = '%m %%u %d user=%u host=%h '\n",
    },
    { code: "log_line_prefix = ''\n", errors: [{ line: 1, column: 19 }], output: "log_line_prefix = 'user=%u db=%d host=%h '\n" },
    { code: 'log_line_prefix = pid\n', errors: [{ line: 1, column: 19 }], output: "log_line_prefix = 'pid user=%u db=%d host=%h '\n" },
    {
      code: "log_destination = 'csvlog,stderr'\nlog_line_prefix = '%m '\n",
      name: 'stderr logs use the prefix',
      errors: [{ line: 2, column: 19 }],
      output: "log_destination = 'csvlog,stderr'\nlog_line_prefix = '%m user=%u db=%d host=%h '\n",
    },
  ],
});
