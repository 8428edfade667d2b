// What a settings judgement reads and what it returns. One judgement serves both the
// postgresql.conf rules (conf-*) and the live rule db-settings: the file and the server
// are two views of the same settings, so they can never disagree about what is weak.

import type { Severity } from '../../rules';
import { lookupParam, ParamInfo } from '../catalog';
import { checkValue, enumMatch, parseBool, parseNumber } from '../value';

export interface SettingsView {
  /** The PostgreSQL major whose defaults and value syntax apply. */
  version: number;
  /**
   * The value the server uses, as postgresql.conf or pg_settings.setting writes it (the
   * default when nothing sets it). Undefined when it cannot be known: hidden from the
   * connected role, set in a file pgwarden cannot read, or a value the server rejects.
   */
  value(key: string): string | undefined;
}

export interface JudgementFix {
  /** The new value of the judgement's first setting (`at[0]`). */
  value: string;
  /** The fix cannot change what the running system accepts (see Fix.safe). */
  safe?: boolean;
  /** For an unsafe fix: what it can break. */
  consequence?: string;
  title?: string;
}

export interface Judgement {
  /**
   * The postgresql.conf rule that makes this judgement. Undefined for settings no file can
   * set (data_checksums is chosen by initdb): only the live rule reports those.
   */
  ruleId?: string;
  /** The settings the judgement is about, best place first: a file puts it on the first its lines set. */
  at: string[];
  /** Overrides the rule's default severity (hardening advice is info, a real weakness a warning). */
  severity?: Severity;
  message: string;
  fix?: JudgementFix;
}

/** Custom settings the judgements read, with the default their module gives them. */
export const CUSTOM_DEFAULTS: Record<string, string> = { 'pgaudit.log': 'none' };

/** A typed reader over a view: each getter is undefined when the value is unknown or invalid. */
export class Reader {
  constructor(readonly view: SettingsView) {}

  param(key: string): ParamInfo | undefined {
    return lookupParam(key, this.view.version);
  }

  raw(key: string): string | undefined {
    return this.view.value(key);
  }

  bool(key: string): boolean | undefined {
    const v = this.raw(key);
    return v === undefined ? undefined : parseBool(v);
  }

  /** A number in the parameter's base unit (seconds for authentication_timeout, ...). */
  number(key: string): number | undefined {
    const v = this.raw(key);
    const p = this.param(key);
    if (v === undefined || !p) return undefined;
    const r = parseNumber(v, p.type === 'integer', p.unit);
    return r.ok ? r.value : undefined;
  }

  /** The enum value as pg_settings lists it. */
  enum(key: string): string | undefined {
    const v = this.raw(key);
    const p = this.param(key);
    return v === undefined || !p ? undefined : enumMatch(p, v);
  }
}

/** A file mode as the server shows it: 0600. */
export function octal(mode: number): string {
  return '0' + mode.toString(8).padStart(3, '0');
}

/**
 * The view of a set of lines: `winner(key)` is the value the last line sets (undefined
 * when no line does). Absent names take the version's default; a rejected value, an
 * internal parameter (fixed by initdb) and any name when includes went unread are unknown.
 */
export function linesView(version: number, winner: (key: string) => string | undefined, includesUnread = false): SettingsView {
  return {
    version,
    value(key) {
      const p = lookupParam(key, version);
      const set = winner(key);
      if (set !== undefined) return p && checkValue(p, set) ? undefined : set;
      if (includesUnread) return undefined;
      if (p) return p.context === 'internal' ? undefined : p.boot;
      return CUSTOM_DEFAULTS[key];
    },
  };
}
