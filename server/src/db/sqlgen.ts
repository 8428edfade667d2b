// GRANT and REVOKE text the user may copy: the role tree's "Open REVOKE/GRANT statement"
// actions (server/src/lsp/db-sql.ts) and the db API's revokeEffective and
// revokeObjectPrivilege. pgwarden never runs it: the client opens it in an untitled editor.
// Every identifier is double-quoted (core/identifier's quoteIdentAlways); names that arrive
// already quoted by the catalog (quote_ident output such as `app."Order"`) are split back
// into their parts and re-quoted, so a hostile name like `r"; drop table x; --` can never
// end an identifier early. Comments never carry a raw line break from a name.

import { IdentifierError, parseQualified, quoteIdentAlways } from '../core/identifier';
import { EffectivePrivilege, ObjectPrivilege, PrivilegeTarget } from './types';

const PRIVILEGES = new Set([
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN',
  'USAGE', 'CREATE', 'CONNECT', 'TEMPORARY', 'TEMP', 'EXECUTE', 'SET', 'ALTER SYSTEM', 'ALL',
]);

export class SqlGenerationError extends Error {}

/** A role name or PUBLIC, as SQL. */
export function grantee(name: string): string {
  return name === 'PUBLIC' ? 'PUBLIC' : quoteIdentAlways(name);
}

/**
 * Text safe inside a `--` comment: a name may hold a line break, which would end the
 * comment and turn the rest of the name into a statement, so control and line-separator
 * characters become `?`.
 */
export function commentSafe(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, '?');
}

/** A known privilege keyword, upper-cased; anything else is refused rather than copied. */
export function privilege(p: string): string {
  const up = p.trim().toUpperCase();
  if (!PRIVILEGES.has(up)) throw new SqlGenerationError(`unknown privilege "${commentSafe(p)}"`);
  return up;
}

/** parseQualified, with its failures reported as this module's. */
function splitQualified(text: string): { parts: string[]; rest: string } {
  try {
    return parseQualified(text);
  } catch (err) {
    if (err instanceof IdentifierError) throw new SqlGenerationError(commentSafe(err.message));
    throw err;
  }
}

/** Unquoted name parts joined as one quoted, dotted name. */
export function qualified(parts: string[]): string {
  return parts.map(quoteIdentAlways).join('.');
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
    return { columns: ` (${quoteIdentAlways(column)})`, on: `ON TABLE ${qualified(parts.slice(0, -1))}` };
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
    schema = ` IN SCHEMA ${quoteIdentAlways(s.parts[0])}`;
    rest = s.rest;
  }
  if (!rest.startsWith(' created by ')) throw new SqlGenerationError(`cannot read default privileges "${commentSafe(description)}"`);
  const owner = splitQualified(rest.slice(' created by '.length));
  if (owner.rest !== '' || owner.parts.length !== 1) throw new SqlGenerationError('bad role name in default privileges');
  return { prefix: `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdentAlways(owner.parts[0])}${schema} `, on: `ON ${DEFAULT_KINDS[head[1]]}` };
}

/** The one GRANT or REVOKE for `t`; throws SqlGenerationError for a target it cannot name safely. */
export function privilegeStatement(action: 'grant' | 'revoke', t: PrivilegeTarget): string {
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

const comment = (text: string) => `-- ${commentSafe(text)}`;

/**
 * The statements that would take an effective table privilege away from `role`, one
 * alternative per line of attack: revoke the grant from the grantee that holds it (which
 * also affects that grantee's other members), or end the first membership on the path.
 * A superuser's privileges cannot be revoked; the answer says so.
 */
export function revokeEffective(role: string, p: EffectivePrivilege, superuser = false): string[] {
  const table = qualified([p.schema, p.table]);
  const priv = privilege(p.privilege);
  if (superuser) return [`${comment(`${grantee(role)} is a superuser and holds every privilege; remove it with:`)}\nALTER ROLE ${grantee(role)} NOSUPERUSER;`];
  if (p.via.length === 0) return [`REVOKE ${priv} ON ${table} FROM ${grantee(role)};`];
  const holder = p.via[p.via.length - 1];
  const out: string[] = [];
  if (holder.startsWith('pg_') && holder !== 'PUBLIC') {
    out.push(comment(`${grantee(holder)} holds ${priv} on every table.`));
  } else {
    out.push(`${comment(`Takes ${priv} from ${holder === 'PUBLIC' ? 'every role' : `${grantee(holder)} and all its members`}:`)}\nREVOKE ${priv} ON ${table} FROM ${grantee(holder)};`);
  }
  if (p.via[0] !== 'PUBLIC') {
    out.push(`${comment(`Ends ${grantee(role)}'s membership in ${grantee(p.via[0])} (and everything it inherits from there):`)}\nREVOKE ${grantee(p.via[0])} FROM ${grantee(role)};`);
  }
  return out;
}

/**
 * The REVOKE for a privilege listed under a role (from roleDetails), with the object's
 * name split from its quote_ident form and re-quoted; undefined for default privileges
 * and for an object the shared checks refuse to name.
 */
export function revokeObjectPrivilege(role: string, p: ObjectPrivilege): string | undefined {
  if (p.objectType === 'default') return undefined;
  try {
    return privilegeStatement('revoke', { ...p, grantee: p.viaPublic ? 'PUBLIC' : role });
  } catch (e) {
    if (e instanceof SqlGenerationError) return undefined;
    throw e;
  }
}
