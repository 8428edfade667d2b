import { confRuleTester } from '../conf/harness';

confRuleTester('conf-log-files', {
  valid: [
    { code: "log_destination = 'stderr'\nlogging_collector = off\n", name: 'stderr without the collector: the service manager keeps it (containers, systemd)' },
    "logging_collector = on\nlog_destination = 'csvlog'\nlog_file_mode = 0600\nlog_directory = '/var/log/postgresql'\n",
    { code: 'log_file_mode = 0644\n', name: 'the mode of files the collector (off by default) never writes' },
    { code: "log_directory = 'log'\n", name: 'the directory of a collector that is off' },
    { code: "logging_collector = on\nlog_directory = '/srv/pg/log'\ndata_directory = '/srv/pg/data'\n", name: 'an absolute path beside the data directory' },
  ],
  invalid: [
    {
      code: "log_destination = 'csvlog'\nlogging_collector = off\n",
      errors: [{ line: 2, column: 21, severity: 'info', message: 'log_destination has csvlog, which only the logging collector writes' }],
      output: "log_destination = 'csvlog'\nlogging_collector = on\n",
    },
    {
      code: "log_destination = 'stderr,jsonlog'\n",
      config: { postgresVersion: 15 },
      name: 'the collector is off by default: placed on log_destination',
      errors: [{ line: 1, column: 19, message: 'jsonlog' }],
    },
    {
      code: 'logging_collector = on\nlog_file_mode = 0644\n',
      errors: [{ line: 2, column: 17, severity: 'warning', message: 'log_file_mode 0644 lets every user of the machine read the server log' }],
      output: 'logging_collector = on\nlog_file_mode = 0600\n',
    },
    {
      code: 'logging_collector = on\nlog_file_mode = 416\n',
      name: 'a decimal mode (0640)',
      errors: [{ line: 2, column: 17, severity: 'info', message: "log_file_mode 0640 lets the server's OS group read" }],
      output: 'logging_collector = on\nlog_file_mode = 0600\n',
    },
    {
      code: "logging_collector = on\nlog_directory = 'pg_log'\n",
      errors: [{ line: 2, column: 17, severity: 'info', message: "log_directory 'pg_log' is inside the data directory" }],
    },
    {
      code: "logging_collector = on\ndata_directory = '/srv/pg/data/'\nlog_directory = '/srv/pg/data/log'\n",
      errors: [{ line: 3, column: 17, severity: 'info' }],
    },
  ],
});
