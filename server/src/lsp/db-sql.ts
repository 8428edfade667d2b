// GRANT and REVOKE text for the role tree's "Open REVOKE/GRANT statement" actions. The
// text is only ever shown to the user in an untitled editor; nothing here runs it.
// Every identifier is quoted with node-postgres' escapeIdentifier; names that arrive
// already quoted by the catalog (quote_ident output such as `app."Order"`) are split back
// into their parts and re-quoted, so a hostile name like `r"; drop table x; --` can never
// end an identifier early. Comments never carry a raw line break from a name.

import { escapeIdentifier } from 'pg';
import type { DbGenerateSqlParams, DbSqlTarget } from '../protocol';

const PRIVILEGES = new Set([
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN',
  'USAGE', 'CREATE', 'CONNECT', 'TEMPORARY', 'TEMP', 'EXECUTE', 'SET', 'ALTER SYSTEM', 'ALL',
]);

export class SqlGenerationError extends Error {}

/** A role name or PUBLIC, as SQL. */
function grantee(name: string): string {
  return name === 'PUBLIC' ? 'PUBLIC' : escapeIdentifier(name);
}

/** Text safe inside a `--` comment: no line breaks or other control characters. */
export function commentSafe(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, '?');
}

function privilege(p: string): string {
  const up = p.trim().toUpperCase();
  if (!PRIVILEGES.has(up)) throw new SqlGenerationError(`unknown privilege "${commentSafe(p)}"`);
  return up;
}

/**
 * Splits a dotted name as PostgreSQL's quote_ident writes it (`a."B c"."d""e"`) into its
 * parts; returns the parts and the index where parsing stopped (at `(` for functions).
 */
export function splitQualified(text: string): { parts: string[]; rest: string } {
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    let part = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new SqlGenerationError('unterminated quoted identifier');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += text[i++];
      }
    } else {
      const m = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(text.slice(i));
      if (!m) throw new SqlGenerationError(`not a name: ${commentSafe(text)}`);
      // quote_ident leaves only lower-case plain identifiers unquoted, so this is the name itself.
      part = m[0];
      i += m[0].length;
    }
    parts.push(part);
    if (text[i] !== '.') break;
    i++;
  }
  return { parts, rest: text.slice(i) };
}

function qualified(parts: string[]): string {
  return parts.map(escapeIdentifier).join('.');
}

/**
 * A function's identity arguments as pg_get_function_identity_arguments prints them:
 * accepted only when it is one parenthesised list without statement separators or
 * comments outside quoted names, since it is copied as written.
 */
function functionArgs(rest: string): string {
  if (!rest.startsWith('(') || !rest.endsWith(')')) throw new SqlGenerationError('a function needs its argument list');
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (quoted) {
      if (c === '"') quoted = rest[i + 1] === '"' ? (i++, true) : false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0 && i !== rest.length - 1) throw new SqlGenerationError('unexpected text after the argument list');
    } else if (c === ';' || c === "'" || c === '\\' || /[\u0000-\u001f]/.test(c) || (c === '-' && rest[i + 1] === '-') || (c === '/' && rest[i + 1] === '*')) {
      throw new SqlGenerationError('the argument list holds characters pgwarden will not copy');
    }
  }
  if (depth !== 0 || quoted) throw new SqlGenerationError('unbalanced argument list');
  return rest;
}

const OBJECT_KEYWORD: Record<string, string> = {
  database: 'DATABASE',
  schema: 'SCHEMA',
  table: 'TABLE',
  sequence: 'SEQUENCE',
  function: 'FUNCTION',
  language: 'LANGUAGE',
};

/** `ON TABLE app."Order"` or, for a column, the column list and the table. */
function objectClause(objectType: string, object: string): { columns?: string; on: string } {
  if (objectType === 'column') {
    const { parts, rest } = splitQualified(object);
    if (rest !== '' || parts.length < 2) throw new SqlGenerationError('a column needs table and column names');
    const column = parts[parts.length - 1];
    return { columns: ` (${escapeIdentifier(column)})`, on: `ON TABLE ${qualified(parts.slice(0, -1))}` };
  }
  const keyword = OBJECT_KEYWORD[objectType];
  if (!keyword) throw new SqlGenerationError(`cannot name a ${commentSafe(objectType)} object`);
  const { parts, rest } = splitQualified(object);
  if (objectType === 'function') return { on: `ON FUNCTION ${qualified(parts)}${functionArgs(rest)}` };
  if (rest !== '') throw new SqlGenerationError(`unexpected text after ${commentSafe(object)}`);
  return { on: `ON ${keyword} ${qualified(parts)}` };
}

const DEFAULT_KINDS: Record<string, string> = { tables: 'TABLES', sequences: 'SEQUENCES', functions: 'FUNCTIONS', types: 'TYPES', schemas: 'SCHEMAS' };

/** Default privileges as the catalog describes them: `on tables in schema app created by alice`. */
function defaultClause(description: string): { prefix: string; on: string } {
  // Read left to right with splitQualified rather than with one regular expression: a
  // quoted schema name may itself contain " created by ".
  const head = /^on (tables|sequences|functions|types|schemas)/.exec(description);
  if (!head) throw new SqlGenerationError(`cannot read default privileges "${commentSafe(description)}"`);
  let rest = description.slice(head[0].length);
  let schema = '';
  if (rest.startsWith(' in schema ')) {
    const s = splitQualified(rest.slice(' in schema '.length));
    if (s.parts.length !== 1) throw new SqlGenerationError('bad schema name in default privileges');
    schema = ` IN SCHEMA ${escapeIdentifier(s.parts[0])}`;
    rest = s.rest;
  }
  if (!rest.startsWith(' created by ')) throw new SqlGenerationError(`cannot read default privileges "${commentSafe(description)}"`);
  const owner = splitQualified(rest.slice(' created by '.length));
  if (owner.rest !== '' || owner.parts.length !== 1) throw new SqlGenerationError('bad role name in default privileges');
  return { prefix: `ALTER DEFAULT PRIVILEGES FOR ROLE ${escapeIdentifier(owner.parts[0])}${schema} `, on: `ON ${DEFAULT_KINDS[head[1]]}` };
}

function privilegeSql(action: 'grant' | 'revoke', t: Extract<DbSqlTarget, { kind: 'privilege' }>): string {
  const priv = privilege(t.privilege);
  const to = grantee(t.grantee);
  if (t.objectType === 'default') {
    const d = defaultClause(t.object);
    return action === 'revoke'
      ? `${d.prefix}REVOKE ${priv} ${d.on} FROM ${to};`
      : `${d.prefix}GRANT ${priv} ${d.on} TO ${to}${t.grantable ? ' WITH GRANT OPTION' : ''};`;
  }
  const o = objectClause(t.objectType, t.object);
  return action === 'revoke'
    ? `REVOKE ${priv}${o.columns ?? ''} ${o.on} FROM ${to};`
    : `GRANT ${priv}${o.columns ?? ''} ${o.on} TO ${to}${t.grantable ? ' WITH GRANT OPTION' : ''};`;
}

const HEADER = '-- Generated by pgwarden from the live catalog. Review it, then run it yourself: pgwarden never executes it.';

/** The statement text, with a header comment; throws SqlGenerationError for a target it cannot name safely. */
export function generateSql(p: DbGenerateSqlParams): string {
  const t = p.target;
  const lines = [HEADER];
  switch (t.kind) {
    case 'privilege': {
      if (t.grantee === 'PUBLIC' && p.action === 'revoke') {
        lines.push('-- This privilege is granted to PUBLIC: revoking it takes it from every role that does not hold it otherwise.');
      }
      lines.push(privilegeSql(p.action, t));
      break;
    }
    case 'membership': {
      const role = escapeIdentifier(t.role);
      const member = escapeIdentifier(t.member);
      lines.push(p.action === 'revoke' ? `REVOKE ${role} FROM ${member};` : `GRANT ${role} TO ${member}${t.admin ? ' WITH ADMIN OPTION' : ''};`);
      break;
    }
    case 'effective': {
      const priv = privilege(t.privilege);
      const table = qualified([t.schema, t.table]);
      const role = escapeIdentifier(t.role);
      const path = [t.role, ...t.via].map((r) => commentSafe(r)).join(' -> ');
      if (p.action === 'grant') {
        lines.push(`GRANT ${priv} ON TABLE ${table} TO ${role};`);
        break;
      }
      if (t.via.length === 0) {
        lines.push(`-- ${commentSafe(t.role)} holds ${priv} directly (a grant, or as the owner).`);
        lines.push(`REVOKE ${priv} ON TABLE ${table} FROM ${role};`);
      } else if (t.via.length === 1 && t.via[0] === 'PUBLIC') {
        lines.push(`-- ${commentSafe(t.role)} holds ${priv} through PUBLIC: revoking it takes it from every role that does not hold it otherwise.`);
        lines.push(`REVOKE ${priv} ON TABLE ${table} FROM PUBLIC;`);
      } else {
        const holder = t.via[t.via.length - 1];
        lines.push(`-- ${commentSafe(t.role)} holds ${priv} through the membership path ${path}.`);
        lines.push(`-- Either end its membership in ${commentSafe(t.via[0])} (other paths may still grant it):`);
        lines.push(`REVOKE ${escapeIdentifier(t.via[0])} FROM ${role};`);
        lines.push(`-- or revoke the grant from ${commentSafe(holder)}, which affects every member of ${commentSafe(holder)}:`);
        lines.push(commentSafe(`-- REVOKE ${priv} ON TABLE ${table} FROM ${holder === 'PUBLIC' ? 'PUBLIC' : escapeIdentifier(holder)};`));
      }
      break;
    }
    default:
      throw new SqlGenerationError('unknown target');
  }
  return lines.join('\n') + '\n';
}
