// db-settings-review (off by default): the CIS benchmark's logging and runtime-parameter
// items that are review items rather than weaknesses (pgdsat 3.1.3 and 3.1.22 where
// db-settings does not flag them, 3.1.5, 3.1.10 to 3.1.13,
// 3.1.19, 3.1.26, 6.2 to 6.6). Each is a choice the organisation makes (a syslog facility,
// a log time zone, which parameters the server sets), so on by default it would report the
// same things on every server. db-settings judges the settings that are weak whatever the
// organisation; this rule lists what a CIS assessment asks someone to look at.

import { lookupParam } from '../../conf/catalog';
import { LiveRule, liveMeta } from '../rule';
import { settingRow } from '../settings';

/** The CIS item that reviews each parameter context (pg_settings.context). */
const CONTEXT_ITEMS: ReadonlyArray<{ item: string; contexts: readonly string[]; label: string; when: string }> = [
  { item: '6.2', contexts: ['backend', 'superuser-backend'], label: 'backend', when: 'new sessions pick them up' },
  { item: '6.3', contexts: ['postmaster'], label: 'postmaster', when: 'a change takes a restart' },
  { item: '6.4', contexts: ['sighup'], label: 'SIGHUP', when: 'a reload applies a change' },
  { item: '6.5', contexts: ['superuser'], label: 'superuser', when: 'a superuser may change them in a session' },
  { item: '6.6', contexts: ['user'], label: 'user', when: 'any role may change them in its session' },
];

/** Sources that mean the server was configured so; a session's own SET and the server's overrides are not. */
const CONFIGURED = new Set(['configuration file', 'command line', 'environment variable', 'database', 'user', 'database user', 'global']);

/** How many names a list shows before "and N more". */
const NAMED = 12;

export const dbSettingsReview: LiveRule = {
  meta: liveMeta(
    'db-settings-review',
    'info',
    "The CIS logging and runtime-parameter review items: logging_collector off, log_error_verbosity default, log_filename, the syslog settings, debug_pretty_print, log_timezone, and the parameters set away from their defaults by context (off by default).",
    { defaultOff: true },
  ),
  check(s, ctx) {
    if (!s.settings) return;
    const value = (name: string) => settingRow(s.settings, name)?.setting;
    const report = (object: string, message: string) => ctx.report({ objectKind: 'setting', object, message });
    if (value('logging_collector') === 'off') {
      report('logging_collector', "logging_collector is off: the server writes its log to stderr, kept only as long as what captures stderr (systemd's journal, a container runtime) keeps it. Turn the collector on, or check that the capture keeps logs as long as the policy says (CIS 3.1.3).");
    }
    if (value('log_error_verbosity') === 'default') {
      report('log_error_verbosity', 'log_error_verbosity is default: the log leaves out the SQLSTATE code and the source location of each error. CIS asks for verbose (CIS 3.1.22).');
    }
    const filename = value('log_filename');
    if (value('logging_collector') === 'on' && filename !== undefined && !filename.includes('%')) {
      report('log_filename', `log_filename is "${filename}", a name without a time escape: the collector writes one file that never rotates, so old entries cannot be expired or archived by date. Use a pattern such as postgresql-%a.log with log_truncate_on_rotation (CIS 3.1.5).`);
    }
    if ((value('log_destination') ?? '').split(',').some((d) => d.trim() === 'syslog')) {
      const facility = value('syslog_facility');
      const ident = value('syslog_ident');
      if (facility !== undefined && ident !== undefined) {
        report('syslog_facility', `PostgreSQL logs to syslog as facility ${facility} with ident "${ident}": check that the syslog daemon routes that facility and ident to the log store the organisation keeps (CIS 3.1.10, 3.1.13).`);
      }
      if (value('syslog_sequence_numbers') === 'off') report('syslog_sequence_numbers', 'syslog_sequence_numbers is off: the syslog daemon may fold repeated messages into "last message repeated N times", losing entries. Turn it on (CIS 3.1.11).');
      if (value('syslog_split_messages') === 'off') report('syslog_split_messages', 'syslog_split_messages is off: messages longer than the daemon accepts (about 1 KB for many) are cut, and long statements lose their end. Turn it on unless the daemon takes long messages (CIS 3.1.12).');
    }
    if (value('debug_pretty_print') === 'off') {
      report('debug_pretty_print', 'debug_pretty_print is off: when debug_print_* output is turned on for an investigation it is one unreadable line per tree. Turn it on (CIS 3.1.19).');
    }
    const zone = value('log_timezone');
    if (zone !== undefined && !/^(Etc\/)?(UTC|GMT|UCT|Zulu|Universal)$/i.test(zone)) {
      report('log_timezone', `log_timezone is ${zone}: log timestamps are in local time, which repeats an hour when daylight saving ends and must be converted to match other systems' logs. Use UTC (or GMT), unless the organisation's standard says otherwise (CIS 3.1.26).`);
    }
    for (const c of CONTEXT_ITEMS) {
      const names = s.settings.rows
        .filter((r) => CONFIGURED.has(r.source) && c.contexts.includes(lookupParam(r.name.toLowerCase(), s.serverMajor)?.context ?? ''))
        .map((r) => r.name)
        .sort();
      if (!names.length) continue;
      const shown = names.slice(0, NAMED).join(', ') + (names.length > NAMED ? ` and ${names.length - NAMED} more` : '');
      report(
        `${c.label} parameters`,
        `${names.length} ${c.label} parameter${names.length === 1 ? ' is' : 's are'} set away from the built-in default (${c.when}): ${shown}. Review each against the organisation's policy (CIS ${c.item}); pg_settings shows the values.`,
      );
    }
  },
};
