import type { LiveServer, SnapshotSetting } from '../../../server/src/core/live/settings';
import { confRuleTester } from '../conf/harness';

function row(name: string, setting: string, extra: Partial<SnapshotSetting> = {}): SnapshotSetting {
  return { name, setting, unit: null, source: 'configuration file', sourcefile: '/etc/postgresql/17/main/postgresql.conf', sourceline: 1, pendingRestart: false, ...extra };
}

function server(rows: SnapshotSetting[], sourceHidden = false, major = 17): LiveServer[] {
  return [{ description: 'postgres@db:5432/app', major, settings: { rows, sourceHidden } }];
}

const AUTO = '/var/lib/postgresql/17/main/postgresql.auto.conf';

confRuleTester('conf-server-differs', {
  valid: [
    { code: 'ssl = off\n', name: 'no connection: nothing to compare' },
    { code: 'ssl = on\n', servers: server([row('ssl', 'on')]) },
    { code: "authentication_timeout = '1min'\nlog_line_prefix = '%m [%p] '\n", servers: server([row('authentication_timeout', '60', { unit: 's' }), row('log_line_prefix', '%m [%p] ')]), name: 'units and blanks the server ignores' },
    { code: 'ssl = yes\nlog_statement = DDL\n', servers: server([row('ssl', 'on'), row('log_statement', 'ddl')]), name: 'boolean and enum spellings' },
    { code: "shared_preload_libraries = 'a, b'\n", servers: server([row('shared_preload_libraries', 'a,b')]) },
    { code: 'ssl = off\n', servers: server([]), name: 'a row the role may not see is not compared' },
    { code: 'log_statement = none\n', servers: server([row('log_statement', 'all', { source: 'user' })]), name: "ALTER ROLE ... SET is the session's value, not the server's" },
    { code: 'ssl = off\nssl = on\n', servers: server([row('ssl', 'on')]), name: 'the overridden line is conf-overridden' },
  ],
  invalid: [
    {
      code: 'ssl = off\n',
      servers: server([row('ssl', 'on', { sourcefile: AUTO, sourceline: 3 })]),
      errors: [{ line: 1, column: 7, endColumn: 10, severity: 'info', message: `The file says ssl = off, the server postgres@db:5432/app runs on: ALTER SYSTEM overrides the file (${AUTO} line 3).` }],
    },
    {
      code: "authentication_timeout = '5min'\n",
      servers: server([row('authentication_timeout', '60', { unit: 's', source: 'default', sourcefile: null, sourceline: null })]),
      errors: [{ line: 1, column: 26, message: "The file says authentication_timeout = '5min', the server postgres@db:5432/app runs 60s: the server did not read this line" }],
    },
    {
      code: 'unix_socket_permissions = 0770\n',
      servers: server([row('unix_socket_permissions', '0777', { pendingRestart: true })]),
      errors: [{ line: 1, column: 27, message: "runs 0777: the file's value takes effect at the next restart (pending_restart)." }],
    },
    {
      code: 'work_mem = 4MB\n',
      servers: server([row('work_mem', '8192', { unit: 'kB', source: 'command line', sourcefile: null, sourceline: null })]),
      errors: [{ line: 1, column: 12, message: "runs 8192kB: the server's command line (-c) overrides every file." }],
    },
    {
      code: 'log_min_messages = warning\n',
      servers: server([row('log_min_messages', 'error', { sourcefile: null, sourceline: null })], true, 16),
      name: 'file hidden from the role: said, not guessed',
      errors: [{ line: 1, column: 20, message: 'the server postgres@db:5432/app (PostgreSQL 16) runs error: another configuration file (ALTER SYSTEM\'s postgresql.auto.conf, say) wins, or the server was not reloaded since this line changed; which file set it is visible only to superusers and pg_read_all_settings.' }],
    },
    {
      code: "primary_conninfo = 'host=a password=one'\n",
      servers: server([row('primary_conninfo', 'host=b password=two', { sourcefile: AUTO })]),
      name: 'secrets are not shown',
      errors: [{ line: 1, column: 20, message: "The file's primary_conninfo is not the one the server postgres@db:5432/app runs (values not shown: they may hold secrets): ALTER SYSTEM overrides the file" }],
    },
    {
      code: "pgaudit.log = 'ddl'\n",
      servers: server([row('pgaudit.log', 'none', { sourcefile: '/etc/postgresql/17/main/conf.d/audit.conf', sourceline: 2 })]),
      errors: [{ line: 1, column: 15, message: "runs 'none': the server took it from /etc/postgresql/17/main/conf.d/audit.conf line 2: another file wins" }],
    },
  ],
});
