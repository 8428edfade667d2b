// The shape of a pg_ident.conf rule, and what the rules share: the parsed file, the
// superusers, and how a map's regular expressions and role fields read.

import { PgwardenConfig } from '../config';
import { Finding, RuleMeta } from '../rules';
export { finding } from '../hba/rule';
import { Workspace } from '../workspace';
import { HbaToken } from '../hba/tokenize';
import { HbaParseOptions } from '../hba/parse';
import { IdentMapping, IdentParse, parseIdent } from './parse';

export interface IdentRuleContext {
  text: string;
  parse: IdentParse;
  config: PgwardenConfig;
  workspace: Workspace;
  /** Superuser names: postgres, the config's list, SQL facts and the live catalog. */
  superusers: readonly string[];
}

export interface IdentRule {
  meta: RuleMeta;
  check(ctx: IdentRuleContext): Finding[];
}

/** The document's own mappings that the server loads. */
export function ownMappings(ctx: IdentRuleContext): IdentMapping[] {
  return ctx.parse.mappings.filter((m) => m.inDocument && !m.error && m.mapToken);
}

/** Where a finding on a token goes: the token on the line's first physical line, else the line's start. */
export function tokenRange(m: IdentMapping, t: HbaToken | undefined): { start: number; end: number } {
  if (t && !t.fromFile && t.start >= m.line.start && t.start < m.line.firstLineEnd) return { start: t.start, end: t.end };
  return { start: m.line.start, end: Math.max(m.line.start, m.line.firstLineEnd) };
}

/** The fields of a mapping as plain data: what the workspace shares with pg_hba.conf rules and the live audit. */
export interface IdentFact {
  map: string;
  system: { value: string; quoted: boolean };
  pg: { value: string; quoted: boolean };
}

export function factOf(m: IdentMapping): IdentFact {
  return {
    map: m.mapToken!.value,
    system: { value: m.systemToken!.value, quoted: m.systemToken!.quoted },
    pg: { value: m.pgToken!.value, quoted: m.pgToken!.quoted },
  };
}

/**
 * The maps a pg_ident.conf gives the server, or undefined when any line (included files
 * too) is invalid: the server then loads none of them at start-up and keeps the old ones
 * on reload, so what the maps are is unknown.
 */
export function identFacts(text: string, opts: HbaParseOptions): IdentFact[] | undefined {
  const p = parseIdent(text, opts);
  if (p.mappings.some((m) => m.error) || p.entries.some((e) => e.error)) return undefined;
  return p.mappings.map(factOf);
}

/**
 * A PostgreSQL regular expression (the text after '/') as a JavaScript one, for the
 * expressions maps use: POSIX bracket classes are spelled out; anything JavaScript cannot
 * read gives undefined, and the caller then draws no conclusion.
 */
export function jsRegex(source: string): RegExp | undefined {
  const classes: Record<string, string> = {
    alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z', space: '\\s', xdigit: '0-9A-Fa-f', punct: '!-/:-@\\[-`{-~', word: '\\w',
  };
  const s = source.replace(/\[:([a-z]+):\]/g, (all, name: string) => classes[name] ?? all);
  try {
    return new RegExp(s, 'u');
  } catch {
    try {
      return new RegExp(s);
    } catch {
      return undefined;
    }
  }
}

/**
 * System user names of every shape an attacker can choose: an operating-system account, a
 * Kerberos principal, a certificate's common name or distinguished name. A regex that
 * matches all of them matches any system user.
 */
const PROBES = ['a', 'mallory', 'nobody', 'www-data', 'Eve.Attacker', 'eve@EVIL.EXAMPLE', 'CN=evil,O=Other Org', '0', 'x y'];

export function matchesAnySystemUser(systemUser: string): boolean {
  if (systemUser[0] !== '/') return false;
  const re = jsRegex(systemUser.slice(1));
  return !!re && PROBES.every((p) => re.test(p));
}

/** What the PostgreSQL-user field of a mapping can yield, as the server reads it for a version. */
export type PgTarget =
  | { kind: 'name'; name: string }
  | { kind: 'all' }
  | { kind: 'group'; group: string }
  | { kind: 'regex'; source: string }
  /** `\1`: the system user's captured text, so whatever the system user chooses. */
  | { kind: 'captured'; template: string };

export function pgTarget(f: IdentFact, version: number): PgTarget {
  const t = f.pg;
  if (version >= 16) {
    if (t.value[0] === '/') return { kind: 'regex', source: t.value.slice(1) };
    if (!t.quoted && t.value[0] === '+') return { kind: 'group', group: t.value.slice(1) };
    if (!t.quoted && t.value === 'all') return { kind: 'all' };
  }
  if (f.system.value[0] === '/' && t.value.includes('\\1')) return { kind: 'captured', template: t.value };
  return { kind: 'name', name: t.value };
}

/** The superusers a mapping's PostgreSQL user can be, for its version ('all' for every one). */
export function superusersOf(f: IdentFact, version: number, superusers: readonly string[]): string[] {
  const target = pgTarget(f, version);
  switch (target.kind) {
    case 'all':
      return [...superusers];
    case 'name':
      return superusers.includes(target.name) ? [target.name] : [];
    case 'regex': {
      const re = jsRegex(target.source);
      return re ? superusers.filter((s) => re.test(s)) : [];
    }
    case 'captured': {
      // The capture is text of the system user's name; whether a superuser's name can come
      // out depends on the expression, so test each superuser against the template.
      return superusers.filter((s) => templateCanYield(target.template, f.system.value.slice(1), s));
    }
    case 'group':
      // Superusers match +group only as explicit members, as in pg_hba.conf.
      return [];
  }
}

/** Whether `template` with \1 replaced by some capture of the system regex can equal `name`. */
function templateCanYield(template: string, systemRegex: string, name: string): boolean {
  const at = template.indexOf('\\1');
  const before = template.slice(0, at);
  const after = template.slice(at + 2);
  if (!name.startsWith(before) || !name.endsWith(after) || name.length < before.length + after.length) return false;
  const captured = name.slice(before.length, name.length - after.length);
  // The capture must be something the first group can match: test the group's own text.
  const group = firstGroup(systemRegex);
  if (group === undefined) return true;
  const re = jsRegex(`^(?:${group})$`);
  return re ? re.test(captured) : true;
}

/** The source of the first capturing group of a regex, or undefined. */
function firstGroup(src: string): string | undefined {
  for (let i = 0; i < src.length; i++) {
    if (src[i] === '\\') {
      i++;
      continue;
    }
    if (src[i] === '(' && src[i + 1] !== '?') {
      let depth = 0;
      for (let j = i; j < src.length; j++) {
        if (src[j] === '\\') {
          j++;
          continue;
        }
        if (src[j] === '(') depth++;
        if (src[j] === ')' && --depth === 0) return src.slice(i + 1, j);
      }
      return undefined;
    }
  }
  return undefined;
}
