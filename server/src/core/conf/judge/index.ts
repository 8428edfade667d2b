// Every settings judgement, in one list. The conf-* rules place each on the postgresql.conf
// line it is about; db-settings reports the same judgements of pg_settings.

import { judgeAccess } from './access';
import { judgeLogFiles, judgeLogging } from './logging';
import { judgePermissions } from './permissions';
import { judgePreload } from './preload';
import { judgeReplication } from './replication';
import { judgeTls } from './tls';
import { Judgement, Reader, SettingsView } from './view';

export type { Judgement, JudgementFix, SettingsView } from './view';
export { linesView, CUSTOM_DEFAULTS } from './view';

/** Judges the settings a view shows; a setting the view cannot tell is skipped, never guessed. */
export function judgeSettings(view: SettingsView): Judgement[] {
  const r = new Reader(view);
  return [...judgeAccess(r), ...judgeTls(r), ...judgeLogging(r), ...judgeLogFiles(r), ...judgeReplication(r), ...judgePermissions(r), ...judgePreload(r)];
}

/** The settings the judgements read: what the live rule needs from pg_settings. */
export const JUDGED_SETTINGS: readonly string[] = [
  'password_encryption', 'listen_addresses', 'idle_in_transaction_session_timeout', 'authentication_timeout',
  'ssl', 'ssl_min_protocol_version', 'ssl_ciphers', 'ssl_passphrase_command',
  'log_connections', 'log_disconnections', 'log_statement', 'log_line_prefix', 'log_destination', 'log_min_messages',
  'log_min_error_statement', 'debug_print_parse', 'debug_print_rewritten', 'debug_print_plan', 'log_error_verbosity',
  'log_hostname', 'log_replication_commands', 'logging_collector', 'log_file_mode', 'log_directory', 'data_directory',
  'primary_conninfo', 'unix_socket_permissions', 'data_directory_mode', 'data_checksums', 'shared_preload_libraries', 'pgaudit.log',
];
