import { confRuleTester } from '../conf/harness';

const FULL = "'%m [%p] user=%u db=%d app=%a host=%h '";

confRuleTester('conf-logging', {
  valid: [
    `log_connections = on\nlog_disconnections = on\nlog_statement = ddl\nlog_line_prefix = ${FULL}\n`,
    { code: "log_connections = 'all'\n", config: { postgresVersion: 18 } },
    { code: "log_connections = 'authorization'\n", config: { postgresVersion: 18 } },
    "log_line_prefix = '%t [%-6p] %-10u %d %a %h'\n",
    { code: "log_line_prefix = '%n %p user=%u db=%d app=%a client=%r '\n", name: '%r names the host and its port, %n is a time' },
    { code: "log_destination = 'csvlog'\nlog_line_prefix = '%m '\n", name: 'CSV logs have their own user, database and host columns' },
    { code: "log_destination = 'jsonlog, csvlog'\nlog_line_prefix = ''\n", config: { postgresVersion: 15 } },
    { code: "log_destination = 'syslog'\nlog_line_prefix = 'user=%u db=%d app=%a host=%h '\n", name: 'syslog stamps time and process itself' },
    'log_statement = mod\n',
    { code: 'log_connections = off\nlog_connections = on\n', name: 'only the effective line counts' },
    'log_min_messages = warning\nlog_min_messages = notice\n',
    'log_min_error_statement = error\n',
    { code: 'log_min_error_statement = warning\n', name: 'logs more failing statements than the default' },
    'debug_print_parse = off\ndebug_print_plan = off\n',
    'log_error_verbosity = default\nlog_error_verbosity = verbose\n',
    'log_hostname = off\nlog_replication_commands = on\n',
    { code: 'log_min_messages = panic\n', files: { 'postgresql.auto.conf': "log_min_messages = 'warning'\n" }, name: 'ALTER SYSTEM put it back' },
  ],
  invalid: [
    { code: 'log_connections = off\n', errors: [{ line: 1, column: 19, message: 'log_connections is off' }], output: 'log_connections = on\n' },
    { code: "log_disconnections = 'no'\n", errors: [{ line: 1, column: 22 }], output: "log_disconnections = 'on'\n" },
    { code: "log_connections = ''\n", config: { postgresVersion: 18 }, errors: [{ line: 1, column: 19 }], output: "log_connections = 'on'\n" },
    { code: 'log_statement = none\n', errors: [{ line: 1, column: 17, endColumn: 21 }], output: 'log_statement = ddl\n' },
    {
      code: "log_line_prefix = '%m [%p] '\n",
      errors: [{ line: 1, column: 19, severity: 'warning', message: 'lacks %u (the user name), %d (the database), %a (the application name), %h (the client host)' }],
      output: `log_line_prefix = ${FULL}\n`,
    },
    {
      code: "log_line_prefix = '%m [%p] %u %d %h '\n",
      name: 'only the application name missing is advice',
      errors: [{ line: 1, column: 19, severity: 'info', message: 'lacks %a (the application name): log lines do not say which program' }],
      output: "log_line_prefix = '%m [%p] %u %d %h app=%a '\n",
    },
    {
      code: "log_line_prefix = '%m %%u %d'\n",
      name: '%% is a literal percent sign',
      errors: [{ line: 1, column: 19, message: 'lacks %p (the process id), %u (the user name), %a (the application name), %h (the client host)' }],
      output: "log_line_prefix = '%m %%u %d [%p] user=%u app=%a host=%h '\n",
    },
    { code: "log_line_prefix = ''\n", errors: [{ line: 1, column: 19 }], output: `log_line_prefix = ${FULL}\n` },
    { code: 'log_line_prefix = pid\n', errors: [{ line: 1, column: 19 }], output: "log_line_prefix = '%m pid [%p] user=%u db=%d app=%a host=%h '\n" },
    {
      code: "log_destination = 'csvlog,stderr'\nlog_line_prefix = '%m '\n",
      name: 'stderr logs use the prefix',
      errors: [{ line: 2, column: 19 }],
      output: `log_destination = 'csvlog,stderr'\nlog_line_prefix = ${FULL}\n`,
    },
    {
      code: "log_destination = 'syslog'\nlog_line_prefix = '%u %d %a'\n",
      name: 'syslog lines still need who and from where',
      errors: [{ line: 2, column: 19, message: 'lacks %h (the client host)' }],
      output: "log_destination = 'syslog'\nlog_line_prefix = '%u %d %a host=%h '\n",
    },
    { code: 'log_min_messages = error\n', errors: [{ line: 1, column: 20, severity: 'warning', message: 'log_min_messages error leaves warnings out' }], output: 'log_min_messages = warning\n' },
    { code: 'log_min_messages = DEBUG1\n', errors: [{ line: 1, column: 20, severity: 'info', message: 'log_min_messages debug1 writes debugging detail' }], output: 'log_min_messages = warning\n' },
    { code: "log_min_messages = 'debug'\n", errors: [{ line: 1, column: 20, severity: 'info' }], output: "log_min_messages = 'warning'\n" },
    { code: 'log_min_error_statement = fatal\n', errors: [{ line: 1, column: 27, severity: 'warning', message: 'statements that fail with an error are not logged' }], output: 'log_min_error_statement = error\n' },
    {
      code: 'debug_print_parse = on\ndebug_print_rewritten = off\ndebug_print_plan = yes\n',
      errors: [
        { line: 1, column: 21, severity: 'info', message: 'debug_print_parse is on' },
        { line: 3, column: 20, severity: 'info', message: 'debug_print_plan is on' },
      ],
      output: 'debug_print_parse = off\ndebug_print_rewritten = off\ndebug_print_plan = off\n',
    },
    { code: 'log_error_verbosity = terse\n', errors: [{ line: 1, column: 23, severity: 'info', message: 'terse drops the DETAIL' }], output: 'log_error_verbosity = default\n' },
    { code: 'log_hostname = on\n', errors: [{ line: 1, column: 16, severity: 'info', message: 'reverse DNS lookup' }], output: 'log_hostname = off\n' },
    { code: 'log_replication_commands = off\n', errors: [{ line: 1, column: 28, severity: 'info', message: 'replication connections' }], output: 'log_replication_commands = on\n' },
  ],
});
