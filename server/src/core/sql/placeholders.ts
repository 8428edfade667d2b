// Template placeholders: text that a tool replaces before PostgreSQL sees the file, such as
// CREATE EXTENSION's `@extschema@` or a Go/Jinja/Flyway template's `{{ .Schema }}` and
// `${schema}`. The parser gets a neutral stand-in of the same length (so every position
// holds), and messages and fixes show the placeholder as written.

export type PlaceholderForm = 'identifier' | 'literal' | 'blank';

export interface PlaceholderRule {
  /** A global regular expression; each match is one placeholder. */
  pattern: RegExp;
  /** What the parser sees: a name (default), a string literal where the match is not already quoted, or blanks (template control lines). */
  as: PlaceholderForm;
}

/**
 * What CREATE EXTENSION and extension build systems substitute, always on: `@extschema@`,
 * `@extschema:name@`, `@extowner@`, `@MODULE_PATHNAME@` and any other `@NAME@`
 * (timescaledb's `@LOADER_PATHNAME@`, `@PROJECT_VERSION_MOD@`). No SQL operator is written
 * `@name@` with no blank, so nothing PostgreSQL accepts is mistaken for one.
 * (`MODULE_PATHNAME` alone is a plain name or sits inside a literal: it parses as it is.)
 */
export const EXTENSION_PLACEHOLDERS: readonly PlaceholderRule[] = [{ pattern: /@[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z_][A-Za-z0-9_]*)?@/g, as: 'identifier' }];

/** A placeholder as declared in pgwarden.json: a regular expression, or one with its form. */
export type PlaceholderSetting = string | { pattern: string; as?: PlaceholderForm };

/** Compiles pgwarden.json "placeholders"; a bad expression is a problem, never a throw. */
export function compilePlaceholders(settings: readonly PlaceholderSetting[]): { rules: PlaceholderRule[]; problems: string[] } {
  const rules: PlaceholderRule[] = [];
  const problems: string[] = [];
  for (const s of settings) {
    const source = typeof s === 'string' ? s : s.pattern;
    const as = typeof s === 'string' ? 'identifier' : s.as ?? 'identifier';
    let pattern: RegExp;
    try {
      pattern = new RegExp(source, 'g');
    } catch (err) {
      problems.push(`placeholder ${JSON.stringify(source)} is not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    // An expression matching the empty string would stand for nothing and never advance.
    if (pattern.test('')) {
      problems.push(`placeholder ${JSON.stringify(source)} matches the empty string`);
      continue;
    }
    rules.push({ pattern, as });
  }
  return { rules, problems };
}

/**
 * The stand-in for a placeholder at [start, end) of `text`, same length: blanks for the
 * "blank" form, and for a placeholder that opens its statement on a line of its own (a
 * template's `{% if %}` line before a statement is no SQL at all); else a name made of its
 * letters (`@extschema@` -> `_extschema_`), or a string literal where the match is not
 * already inside quotes.
 */
export function standIn(text: string, start: number, end: number, as: PlaceholderForm, bounds = { start: 0, end: text.length }): string {
  const original = text.slice(start, end);
  const len = original.length;
  // Looks no further than the statement's bounds, so a statement's stand-ins depend on its text alone.
  let le = end;
  while (le < bounds.end && (text[le] === ' ' || text[le] === '\t' || text[le] === '\r')) le++;
  if (as === 'blank' || (start === bounds.start && (le === bounds.end || text[le] === '\n'))) return original.replace(/[^\n]/g, ' ');
  const quoted = start > bounds.start && text[start - 1] === "'" && text[end] === "'";
  const letters = original.replace(/[^A-Za-z0-9_]/g, '');
  if (as === 'literal' && !quoted && len >= 2) return `'${fit(letters, len - 2, ' ')}'`;
  return fit(`_${letters}`, len, '_');
}

function fit(s: string, len: number, pad: string): string {
  return s.length >= len ? s.slice(0, len) : s + pad.repeat(len - s.length);
}

/**
 * A message or fix text with the parser's stand-ins turned back into what was written:
 * psql's `:name` (which the parser saw as `_name`, folded to lower case in names) and
 * template placeholders.
 */
export function restoreWritten(s: string, variables: ReadonlyArray<{ kind: string; name: string; replacement?: string }>): string {
  let out = s;
  for (const v of variables) {
    const standInText = v.kind === 'raw' ? `_${v.name}` : v.kind === 'placeholder' ? v.replacement : undefined;
    if (!standInText || !/[A-Za-z]/.test(standInText) || !/^[A-Za-z0-9_]+$/.test(standInText)) continue;
    const written = v.kind === 'raw' ? `:${v.name}` : v.name;
    const re = new RegExp(`(?<![A-Za-z0-9_$])${standInText}(?![A-Za-z0-9_$])`, 'gi');
    out = out.replace(re, () => written);
  }
  return out;
}
