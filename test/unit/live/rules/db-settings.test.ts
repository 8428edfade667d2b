import { ServerSettings, SnapshotSetting } from '../../../../server/src/core/live/settings';
import { liveRuleTester } from './harness';

/** A hardened server's pg_settings, as a superuser sees it: the judgement finds nothing. */
const HARDENED: Record<string, string> = {
  password_encryption: 'scram-sha-256',
  listen_addresses: 'localhost',
  idle_in_transaction_session_timeout: '600000',
  authentication_timeout: '60',
  ssl: 'on',
  ssl_min_protocol_version: 'TLSv1.2',
  ssl_ciphers: 'HIGH:MEDIUM:+3DES:!aNULL:!kRSA',
  ssl_passphrase_command: '',
  log_connections: 'on',
  log_disconnections: 'on',
  log_statement: 'ddl',
  log_line_prefix: '%m [%p] user=%u db=%d app=%a host=%h ',
  log_destination: 'stderr',
  log_min_messages: 'warning',
  log_min_error_statement: 'error',
  debug_print_parse: 'off',
  debug_print_rewritten: 'off',
  debug_print_plan: 'off',
  log_error_verbosity: 'default',
  log_hostname: 'off',
  log_replication_commands: 'on',
  logging_collector: 'on',
  log_file_mode: '0600',
  log_directory: '/var/log/postgresql',
  data_directory: '/var/lib/postgresql/17/main',
  primary_conninfo: '',
  unix_socket_permissions: '0770',
  data_directory_mode: '0700',
  data_checksums: 'on',
  shared_preload_libraries: 'pgaudit,passwordcheck,auth_delay',
  'pgaudit.log': 'ddl,write',
};

function row(name: string, setting: string, extra: Partial<SnapshotSetting> = {}): SnapshotSetting {
  return { name, setting, unit: null, source: 'configuration file', sourcefile: '/etc/postgresql/17/main/postgresql.conf', sourceline: 10, pendingRestart: false, ...extra };
}

/** The hardened server with some values changed (undefined: the row is hidden from the role). */
function server(changes: Record<string, string | undefined> = {}, extra: Record<string, Partial<SnapshotSetting>> = {}, sourceHidden = false): { settings: ServerSettings } {
  const values: Record<string, string | undefined> = { ...HARDENED, ...changes };
  const rows = Object.entries(values)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => row(k, v, sourceHidden ? { sourcefile: null, sourceline: null, ...extra[k] } : extra[k]));
  return { settings: { rows, sourceHidden } };
}

liveRuleTester('db-settings', {
  kind: 'setting',
  valid: [
    { name: 'a hardened server', snapshot: server() },
    { name: 'no settings read', snapshot: {} },
    { name: 'password_encryption md5 is db-password-encryption', snapshot: { ...server({ password_encryption: 'md5' }), passwordEncryption: 'md5' }, config: { rules: { 'db-password-encryption': 'off' } } },
    { name: 'hidden rows are not judged', snapshot: server({ shared_preload_libraries: undefined, 'pgaudit.log': undefined, primary_conninfo: undefined, ssl_passphrase_command: undefined, data_directory: undefined }, {}, true) },
    { name: 'a conf rule turned off is off here too', snapshot: server({ ssl: 'off' }), config: { rules: { 'conf-ssl': 'off' } } },
    { name: 'conf-preload is off by default', snapshot: server({ shared_preload_libraries: 'pg_stat_statements', 'pgaudit.log': undefined }) },
    { name: 'on 18, log_connections is a list', snapshot: { ...server({ log_connections: 'receipt,authentication,authorization' }), serverMajor: 18 } },
  ],
  invalid: [
    {
      name: 'ssl off, set by ALTER SYSTEM',
      snapshot: server({ ssl: 'off' }, { ssl: { sourcefile: '/var/lib/postgresql/17/main/postgresql.auto.conf', sourceline: 3 } }),
      findings: [{ object: 'ssl', message: /^ssl is off: .* The server's value comes from ALTER SYSTEM \(\/var\/lib\/postgresql\/17\/main\/postgresql\.auto\.conf line 3\)\. \(the conf-ssl judgement\)$/ }],
    },
    {
      name: "a fresh server's defaults: the same judgement as a file",
      snapshot: {
        ...server(
          { ssl: 'off', log_connections: 'off', log_line_prefix: '%m [%p] ', log_statement: 'none', logging_collector: 'off', log_replication_commands: 'off', unix_socket_permissions: '0777', data_checksums: 'off', idle_in_transaction_session_timeout: '0' },
          { ssl: { source: 'default', sourcefile: null, sourceline: null } },
        ),
        serverMajor: 16,
      },
      findings: [
        { object: 'idle_in_transaction_session_timeout', severity: 'info', message: /sessions hold locks/ },
        { object: 'ssl', message: /comes from the built-in default\. \(the conf-ssl judgement\)$/ },
        { object: 'log_connections' },
        { object: 'log_statement' },
        { object: 'log_line_prefix', message: /lacks %u \(the user name\), %d \(the database\), %a \(the application name\), %h \(the client host\)/ },
        { object: 'log_replication_commands', severity: 'info' },
        { object: 'unix_socket_permissions', severity: 'info', message: /^unix_socket_permissions 0777 lets every user/ },
        { object: 'data_checksums', severity: 'info', message: /^data_checksums is off: .*comes from .*\.$/ },
      ],
    },
    {
      name: 'TLS, logging levels, files and replication',
      snapshot: server({
        ssl_ciphers: 'HIGH:MEDIUM:+3DES:!aNULL',
        log_min_error_statement: 'panic',
        log_file_mode: '0644',
        log_directory: 'log',
        primary_conninfo: 'host=10.0.0.1 user=rep password=x sslmode=verify-full',
        authentication_timeout: '600',
        data_directory_mode: '0750',
      }),
      findings: [
        { object: 'authentication_timeout', severity: 'info', message: /600s .* 10 minutes/ },
        { object: 'ssl_ciphers', severity: 'info' },
        { object: 'log_min_error_statement' },
        { object: 'log_file_mode', severity: 'warning' },
        { object: 'log_directory', severity: 'info' },
        { object: 'primary_conninfo', message: /holds the replication password/ },
        { object: 'data_directory_mode', severity: 'info', message: /every member of the server's OS group/ },
      ],
    },
    {
      name: 'pgaudit loaded but logging nothing; a value waiting for a restart; source hidden',
      snapshot: server({ 'pgaudit.log': 'none', ssl: 'off' }, { ssl: { pendingRestart: true } }, true),
      findings: [
        { object: 'ssl', message: /comes from a configuration file \(which one, and whether it is ALTER SYSTEM's, is visible only to superusers and pg_read_all_settings\); a changed value waits for a restart \(pending_restart\)\./ },
        { object: 'pgaudit.log', message: /pgaudit is loaded but pgaudit.log 'none' does not log ddl or write/ },
      ],
    },
    {
      name: 'severities follow the conf rule settings; conf-preload turned on',
      snapshot: server({ ssl: 'off', shared_preload_libraries: 'pg_stat_statements', 'pgaudit.log': undefined }),
      config: { rules: { 'conf-ssl': 'error', 'conf-preload': 'info' } },
      findings: [
        { object: 'ssl', severity: 'error' },
        { object: 'shared_preload_libraries', severity: 'info', message: /loads none of pgaudit/ },
      ],
    },
  ],
});
