// pgwarden.json: one file read by the editor and the CLI alike. Parsing never throws:
// a broken file yields the defaults plus problems, which the server shows as diagnostics
// on the config file and the CLI prints as a one-line reason.

import { SeveritySetting } from './rules';
import { FILE_KINDS, FileKind, MigrationsConfig } from './model/layout';
import { compilePlaceholders, PlaceholderSetting } from './sql/placeholders';

export interface PgwardenConfig {
  /** Per-rule severity overrides. */
  rules: Record<string, SeveritySetting>;
  /** Schemas whose tables need RLS; null means every schema. */
  rlsSchemas: string[] | null;
  /** Role names treated as superusers in addition to `postgres` and SUPERUSER roles. */
  superusers: string[];
  /** The PostgreSQL major version the files are written for (13 to 18). */
  postgresVersion: number;
  /** Globs (relative to the config's folder) of files never linted. */
  ignore: string[];
  /** Template placeholders (regular expressions) linted as neutral names, literals or blanks. */
  placeholders: PlaceholderSetting[];
  /** Overrides of the recognised migration order and file kinds, and extra migration roots. */
  migrations: MigrationsConfig;
  /** The Sessions view's judgement (the editor's Sessions node and `pgwarden sessions`). */
  sessions: { idleInTransactionSeconds: number };
  /** How drift between the migrations and a database is judged. */
  drift: DriftConfig;
}

export interface DriftConfig {
  /** Roles a platform creates and manages (Supabase's, say): neither they nor their memberships are drift. */
  platformRoles: string[];
  /** The role the migrations run as (their CURRENT_USER); unset, the database's owner. */
  migrationRole?: string;
}

/** The top-level keys of pgwarden.json (the JSON schema in schemas/ lists the same). */
export const CONFIG_KEYS = ['$schema', 'rules', 'rls', 'superusers', 'postgresVersion', 'ignore', 'placeholders', 'migrations', 'sessions', 'drift'] as const;

export interface ConfigProblem {
  message: string;
  /** UTF-16 offsets into the config file's text. */
  start: number;
  end: number;
  /** The text is not JSON: an editor's JSON support reports that itself (see server.ts). */
  syntax?: boolean;
}

export const DEFAULT_POSTGRES_VERSION = 17;
/** How long a session may sit idle in a transaction before the Sessions view flags it. */
export const DEFAULT_IDLE_IN_TRANSACTION_SECONDS = 300;
const SEVERITIES = new Set(['off', 'info', 'warning', 'error', 'hint']);

export function defaultConfig(): PgwardenConfig {
  return { rules: {}, rlsSchemas: null, superusers: [], postgresVersion: DEFAULT_POSTGRES_VERSION, ignore: [], placeholders: [], migrations: { order: [], kinds: {}, roots: [] }, sessions: { idleInTransactionSeconds: DEFAULT_IDLE_IN_TRANSACTION_SECONDS }, drift: { platformRoles: [] } };
}

export function parseConfig(text: string, knownRules?: ReadonlySet<string>): { config: PgwardenConfig; problems: ConfigProblem[] } {
  const config = defaultConfig();
  const problems: ConfigProblem[] = [];
  const at = (needle: string): { start: number; end: number } => {
    const i = text.indexOf(needle);
    return i < 0 ? { start: 0, end: Math.min(1, text.length) } : { start: i, end: i + needle.length };
  };
  let raw: unknown;
  try {
    // Editors on Windows may save the file with a byte order mark, which JSON.parse rejects;
    // replacing it by a blank keeps every offset the same.
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text);
  } catch (err: any) {
    const m = /position (\d+)/.exec(String(err?.message));
    // An error at the very end (an unclosed brace) underlines the last character, so the
    // diagnostic is visible rather than an empty range after the text.
    const pos = Math.max(0, Math.min(m ? Number(m[1]) : 0, text.length - 1));
    problems.push({ message: `pgwarden.json is not valid JSON: ${err?.message ?? err}`, start: pos, end: Math.min(text.length, pos + 1), syntax: true });
    return { config, problems };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({ message: 'pgwarden.json must hold a JSON object', start: 0, end: Math.min(1, text.length) });
    return { config, problems };
  }
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      problems.push({ message: `unknown setting "${key}"`, ...at(`"${key}"`) });
    }
  }
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== 'object' || obj.rules === null || Array.isArray(obj.rules)) {
      problems.push({ message: '"rules" must be an object of rule id to "off", "info", "warning" or "error"', ...at('"rules"') });
    } else {
      for (const [id, sev] of Object.entries(obj.rules as Record<string, unknown>)) {
        if (knownRules && !knownRules.has(id)) {
          problems.push({ message: `unknown rule "${id}"`, ...at(`"${id}"`) });
        } else if (typeof sev !== 'string' || !SEVERITIES.has(sev)) {
          problems.push({ message: `rule "${id}" must be "off", "info", "warning" or "error"`, ...at(`"${id}"`) });
        } else {
          config.rules[id] = sev as SeveritySetting;
        }
      }
    }
  }
  if (obj.rls !== undefined) {
    const rls = obj.rls as Record<string, unknown> | null;
    const schemas = rls && typeof rls === 'object' && !Array.isArray(rls) ? rls.schemas : undefined;
    if (rls === null || typeof rls !== 'object' || Array.isArray(rls)) {
      // Silently ignoring a malformed "rls" would lint every schema while the user thinks otherwise.
      problems.push({ message: '"rls" must be an object such as {"schemas": ["public"]}', ...at('"rls"') });
    } else if (schemas !== undefined && !isStringArray(schemas)) {
      problems.push({ message: '"rls.schemas" must be an array of schema names', ...at('"schemas"') });
    } else if (schemas !== undefined) {
      config.rlsSchemas = schemas;
    }
  }
  if (obj.superusers !== undefined) {
    if (!isStringArray(obj.superusers)) problems.push({ message: '"superusers" must be an array of role names', ...at('"superusers"') });
    else config.superusers = obj.superusers;
  }
  if (obj.postgresVersion !== undefined) {
    const v = obj.postgresVersion;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 13 || v > 18) {
      problems.push({ message: '"postgresVersion" must be a whole number from 13 to 18', ...at('"postgresVersion"') });
    } else config.postgresVersion = v;
  }
  if (obj.ignore !== undefined) {
    if (!isStringArray(obj.ignore)) problems.push({ message: '"ignore" must be an array of glob patterns', ...at('"ignore"') });
    else config.ignore = obj.ignore;
  }
  if (obj.placeholders !== undefined) parsePlaceholders(obj.placeholders, config, (message) => problems.push({ message, ...at('"placeholders"') }));
  if (obj.migrations !== undefined) parseMigrations(obj.migrations, config, (message, key) => problems.push({ message, ...at(`"${key}"`) }));
  if (obj.sessions !== undefined) parseSessions(obj.sessions, config, (message, key) => problems.push({ message, ...at(`"${key}"`) }));
  if (obj.drift !== undefined) parseDrift(obj.drift, config, (message, key) => problems.push({ message, ...at(`"${key}"`) }));
  return { config, problems };
}

/** `300`, `90s`, `5min`, `2h` as seconds; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|min|m|h)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  return unit === 'h' ? n * 3600 : unit === 'min' || unit === 'm' ? n * 60 : n;
}

function parseSessions(raw: unknown, config: PgwardenConfig, problem: (message: string, key: string) => void): void {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return problem('"sessions" must be an object such as {"idleInTransaction": "5min"}', 'sessions');
  const s = raw as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (key !== 'idleInTransaction') return problem(`unknown setting "sessions.${key}" (idleInTransaction)`, key);
  }
  const v = s.idleInTransaction;
  if (v === undefined) return;
  // A bare number is seconds, as `pgwarden sessions --idle-limit 300` reads it.
  const seconds = typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : typeof v === 'string' ? parseDuration(v) : undefined;
  if (seconds === undefined) return problem('"sessions.idleInTransaction" must be a duration: seconds as a number, or text such as "90s", "5min", "1h"', 'idleInTransaction');
  config.sessions = { idleInTransactionSeconds: seconds };
}

function parseDrift(raw: unknown, config: PgwardenConfig, problem: (message: string, key: string) => void): void {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return problem('"drift" must be an object such as {"platformRoles": ["authenticator"]}', 'drift');
  const d = raw as Record<string, unknown>;
  for (const key of Object.keys(d)) if (key !== 'platformRoles' && key !== 'migrationRole') return problem(`unknown setting "drift.${key}" (platformRoles, migrationRole)`, key);
  if (d.platformRoles !== undefined && !isStringArray(d.platformRoles)) return problem('"drift.platformRoles" must be an array of role names', 'platformRoles');
  if (d.migrationRole !== undefined && (typeof d.migrationRole !== 'string' || !d.migrationRole)) return problem('"drift.migrationRole" must be a role name', 'migrationRole');
  config.drift = { platformRoles: (d.platformRoles as string[] | undefined) ?? [], ...(d.migrationRole ? { migrationRole: d.migrationRole as string } : {}) };
}

function parsePlaceholders(raw: unknown, config: PgwardenConfig, problem: (message: string) => void): void {
  const shape = '"placeholders" must be an array of regular expressions, or of {"pattern": "...", "as": "identifier" | "literal" | "blank"}';
  if (!Array.isArray(raw)) return problem(shape);
  const settings: PlaceholderSetting[] = [];
  for (const p of raw) {
    if (typeof p === 'string') settings.push(p);
    else if (p && typeof p === 'object' && !Array.isArray(p) && typeof p.pattern === 'string' && (p.as === undefined || ['identifier', 'literal', 'blank'].includes(p.as)) && Object.keys(p).every((k) => k === 'pattern' || k === 'as')) {
      settings.push(p.as === undefined ? { pattern: p.pattern } : { pattern: p.pattern, as: p.as });
    } else return problem(shape);
  }
  const bad = compilePlaceholders(settings).problems;
  if (bad.length) return problem(bad[0]);
  config.placeholders = settings;
}

function parseMigrations(raw: unknown, config: PgwardenConfig, problem: (message: string, key: string) => void): void {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return problem('"migrations" must be an object such as {"order": ["schema/*.sql", "migrations/**"]}', 'migrations');
  const m = raw as Record<string, unknown>;
  const out: MigrationsConfig = { order: [], kinds: {}, roots: [] };
  for (const key of Object.keys(m)) {
    if (!['order', 'kinds', 'roots'].includes(key)) return problem(`unknown setting "migrations.${key}" (order, kinds, roots)`, key);
  }
  for (const key of ['order', 'roots'] as const) {
    if (m[key] === undefined) continue;
    if (!isStringArray(m[key])) return problem(`"migrations.${key}" must be an array of ${key === 'order' ? 'glob patterns' : 'folders'}`, key);
    out[key] = m[key] as string[];
  }
  if (m.kinds !== undefined) {
    const kinds = m.kinds as Record<string, unknown>;
    if (!kinds || typeof kinds !== 'object' || Array.isArray(kinds)) return problem(`"migrations.kinds" must map a kind (${FILE_KINDS.join(', ')}) to glob patterns`, 'kinds');
    for (const [kind, globs] of Object.entries(kinds)) {
      if (!(FILE_KINDS as readonly string[]).includes(kind)) return problem(`unknown file kind "${kind}" (${FILE_KINDS.join(', ')})`, kind);
      if (!isStringArray(globs)) return problem(`"migrations.kinds.${kind}" must be an array of glob patterns`, kind);
      out.kinds[kind as FileKind] = globs;
    }
  }
  config.migrations = out;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}
