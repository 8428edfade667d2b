import assert from 'node:assert/strict';
import { defaultConfig } from '../../../../server/src/core/config';
import { runLiveAudit } from '../../../../server/src/core/live/audit';
import { SnapshotSetting } from '../../../../server/src/core/live/settings';
import { emptySnapshot, liveRuleTester } from './harness';

const on = { rules: { 'db-settings-review': 'info' as const } };
const row = (name: string, value: string, source = 'default'): SnapshotSetting => ({ name, setting: value, unit: null, source, sourcefile: null, sourceline: null, pendingRestart: false });
const settings = (...rows: SnapshotSetting[]) => ({ settings: { rows, sourceHidden: true } });
/** A server left at its defaults where CIS asks for nothing. */
const quiet = [row('log_error_verbosity', 'verbose'), row('log_filename', 'postgresql-%Y-%m-%d_%H%M%S.log'), row('log_destination', 'stderr'), row('debug_pretty_print', 'on'), row('log_timezone', 'Etc/UTC', 'configuration file')];

describe('db-settings-review default', () => {
  it('is off unless pgwarden.json turns it on', () => {
    const found = runLiveAudit({ ...emptySnapshot(), ...settings(row('debug_pretty_print', 'off')) }, defaultConfig());
    assert.deepEqual(found.filter((f) => f.ruleId === 'db-settings-review'), []);
  });
});

liveRuleTester('db-settings-review', {
  kind: 'setting',
  valid: [
    { name: 'defaults, log_timezone UTC (set by initdb, so from the file, but no parameter CIS 6.x reviews)', snapshot: settings(...quiet.slice(0, 4), row('log_timezone', 'UTC')) },
    { name: 'syslog settings are not judged while the server does not log to syslog', snapshot: settings(...quiet.slice(0, 4), row('syslog_sequence_numbers', 'off'), row('log_timezone', 'UTC')) },
    { name: "a session's own SET and the server's overrides are not configuration", snapshot: settings(...quiet.slice(0, 4), row('log_timezone', 'UTC'), row('work_mem', '65536', 'session'), row('data_checksums', 'on', 'override')) },
    { name: 'no settings read', snapshot: {} },
    { name: 'log_error_verbosity terse is conf-logging\'s finding, not this one\'s', snapshot: settings(...quiet.slice(1, 4), row('log_timezone', 'UTC'), row('log_error_verbosity', 'terse')) },
  ].map((c) => ({ ...c, config: on })),
  invalid: [
    {
      name: 'the collector off (CIS 3.1.3; db-settings flags it only when csvlog or jsonlog need it)',
      snapshot: settings(row('logging_collector', 'off'), row('log_error_verbosity', 'verbose')),
      config: on,
      findings: [{ object: 'logging_collector', message: /^logging_collector is off: .*\(CIS 3\.1\.3\)\.$/ }],
    },
    {
      name: 'each review item, in order',
      snapshot: settings(
        row('logging_collector', 'on', 'configuration file'),
        row('log_error_verbosity', 'default'),
        row('log_filename', 'postgresql.log', 'configuration file'),
        row('log_destination', 'stderr,syslog', 'configuration file'),
        row('syslog_facility', 'local0'),
        row('syslog_ident', 'postgres'),
        row('syslog_sequence_numbers', 'off', 'configuration file'),
        row('syslog_split_messages', 'off', 'configuration file'),
        row('debug_pretty_print', 'off', 'configuration file'),
        row('log_timezone', 'Europe/Paris', 'configuration file'),
        row('listen_addresses', '*', 'configuration file'),
        row('max_connections', '200', 'command line'),
        row('work_mem', '65536', 'database'),
      ),
      config: on,
      findings: [
        { object: 'log_error_verbosity', message: /^log_error_verbosity is default: .*\(CIS 3\.1\.22\)\.$/ },
        { object: 'log_filename', message: /^log_filename is "postgresql\.log", a name without a time escape: .* \(CIS 3\.1\.5\)\.$/ },
        { object: 'syslog_facility', message: /^PostgreSQL logs to syslog as facility local0 with ident "postgres": .* \(CIS 3\.1\.10, 3\.1\.13\)\.$/ },
        { object: 'syslog_sequence_numbers', message: /\(CIS 3\.1\.11\)\.$/ },
        { object: 'syslog_split_messages', message: /\(CIS 3\.1\.12\)\.$/ },
        { object: 'debug_pretty_print', message: /\(CIS 3\.1\.19\)\.$/ },
        { object: 'log_timezone', message: /^log_timezone is Europe\/Paris: .* \(CIS 3\.1\.26\)\.$/ },
        { object: 'postmaster parameters', message: /^3 postmaster parameters are set away from the built-in default \(a change takes a restart\): listen_addresses, logging_collector, max_connections\. Review each .* \(CIS 6\.3\)/ },
        { object: 'SIGHUP parameters', message: /^5 SIGHUP parameters .*: log_destination, log_filename, log_timezone, syslog_sequence_numbers, syslog_split_messages\. .*\(CIS 6\.4\)/ },
        { object: 'user parameters', message: /^2 user parameters are set away from the built-in default \(any role may change them in its session\): debug_pretty_print, work_mem\. .*\(CIS 6\.6\)/ },
      ],
    },
  ],
});
