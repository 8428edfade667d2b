// A live server's settings, as pg_settings shows them to the connected role, and the two
// things pgwarden does with them: judge them with the same judgement as postgresql.conf
// (core/conf/judge, through db-settings), and tell where each value comes from, so a
// finding can say "ALTER SYSTEM set this" rather than guess. Pure.

import type { SettingsView } from '../conf/judge';

/** One row of pg_settings. */
export interface SnapshotSetting {
  /** As pg_settings spells it (DateStyle, pgaudit.log). */
  name: string;
  /** pg_settings.setting: the value in the parameter's base unit, as the server prints it. */
  setting: string;
  unit: string | null;
  /** default, configuration file, command line, environment variable, override, database, user, client, session, ... */
  source: string;
  /**
   * The file and 1-based line that set it. Null when the value does not come from a file,
   * and also when it does but the role is neither superuser nor in pg_read_all_settings:
   * pg_settings hides them then, so `sourceHidden` tells the two apart.
   */
  sourcefile: string | null;
  sourceline: number | null;
  /** A value changed in the file that takes effect only at the next restart. */
  pendingRestart: boolean;
}

export interface ServerSettings {
  rows: SnapshotSetting[];
  /** True when the role may not see sourcefile and sourceline (not superuser, not pg_read_all_settings). */
  sourceHidden: boolean;
}

/** One connected server's settings, as the language server shares them with the linters. */
export interface LiveServer {
  /** user@host:port/database, for messages. */
  description: string;
  major: number;
  settings: ServerSettings;
}

/** The judgement's view of pg_settings: a row the role may not see is unknown, never a default. */
export function liveView(settings: readonly SnapshotSetting[], major: number): SettingsView {
  const byKey = new Map(settings.map((s) => [s.name.toLowerCase(), s]));
  return { version: major, value: (key) => byKey.get(key)?.setting };
}

/** One setting as the role sees it: undefined when the row is hidden from it or the snapshot has no settings. */
export function settingRow(settings: ServerSettings | undefined, name: string): SnapshotSetting | undefined {
  const key = name.toLowerCase();
  return settings?.rows.find((r) => r.name.toLowerCase() === key);
}

/** Whether a file is ALTER SYSTEM's. */
export function isAutoConf(file: string): boolean {
  return /(^|[\\/])postgresql\.auto\.conf$/.test(file);
}

/** Where the server's value comes from, as a phrase: "ALTER SYSTEM (postgresql.auto.conf line 3)". */
export function describeSource(s: SnapshotSetting, sourceHidden: boolean): string {
  switch (s.source) {
    case 'default':
      return 'the built-in default';
    case 'configuration file':
      if (s.sourcefile) {
        const at = `${s.sourcefile}${s.sourceline ? ` line ${s.sourceline}` : ''}`;
        return isAutoConf(s.sourcefile) ? `ALTER SYSTEM (${at})` : at;
      }
      return sourceHidden ? 'a configuration file (which one, and whether it is ALTER SYSTEM\'s, is visible only to superusers and pg_read_all_settings)' : 'a configuration file';
    case 'command line':
      return "the server's command line (-c or postgres options)";
    case 'environment variable':
      return "the server's environment";
    case 'override':
      return 'a value the server forces (override)';
    case 'database':
      return 'ALTER DATABASE ... SET (this database only)';
    case 'user':
      return 'ALTER ROLE ... SET (the connected role only)';
    case 'database user':
      return 'ALTER ROLE ... IN DATABASE ... SET';
    default:
      return `source "${s.source}"`;
  }
}
