// Finding tokens in a statement's text when the AST carries no location for them (role
// names in GRANT role TO ..., the literal after PASSWORD, a subscription's CONNECTION
// string). Every search runs over the masked code, so comments and the insides of
// literals never match, and every offset is a UTF-16 document offset.

import { QualifiedName, rangeVarName } from './ast';
import { SqlStmt } from './document';

export interface Range {
  start: number;
  end: number;
}

/** The first document offset at or after `from` that is not blank in the masked code. */
export function skipBlanks(stmt: SqlStmt, from: number): number {
  const base = stmt.unit.start;
  const masked = stmt.masked;
  let i = from - base;
  while (i < masked.length && /\s/.test(masked[i])) i++;
  return base + i;
}

/**
 * The end of the token that starts at a document offset: a string literal (with its E, U&,
 * B or X prefix), a dollar-quoted string, a quoted name, a number or a word.
 */
export function tokenEndAt(stmt: SqlStmt, at: number): number {
  const base = stmt.unit.start;
  const text = stmt.unit.parseText;
  const n = text.length;
  let i = at - base;
  if (i >= n) return at;
  // A prefixed literal: E'...', U&'...', B'...', X'...', N'...'.
  const prefix = /^(?:[EeBbXxNn]|[Uu]&)'/.exec(text.slice(i, i + 3));
  if (prefix) return base + quotedEnd(text, i + prefix[0].length - 1, /^[Ee]/.test(prefix[0]));
  const c = text[i];
  if (c === "'" || c === '"') return base + quotedEnd(text, i, false);
  if (c === '$') {
    const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64));
    if (m) {
      const close = text.indexOf(m[0], i + m[0].length);
      return base + (close < 0 ? n : close + m[0].length);
    }
  }
  if (/[0-9.]/.test(c)) {
    const m = /^[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?|^[0-9]+\.?/.exec(text.slice(i));
    if (m) return base + i + m[0].length;
  }
  let j = i;
  while (j < n && /[\w$\u0080-\uffff]/.test(text[j])) j++;
  return base + (j === i ? i + 1 : j);
}

function quotedEnd(text: string, open: number, backslashEscapes: boolean): number {
  const q = text[open];
  let j = open + 1;
  while (j < text.length) {
    if (backslashEscapes && text[j] === '\\') j += 2;
    else if (text[j] === q && text[j + 1] === q) j += 2;
    else if (text[j] === q) return j + 1;
    else j++;
  }
  return text.length;
}

/** The token starting at or after `from` (blanks and comments skipped). */
export function tokenAfter(stmt: SqlStmt, from: number): Range {
  const start = skipBlanks(stmt, from);
  return { start, end: tokenEndAt(stmt, start) };
}

/** The word at `at` followed by the next token: e.g. `LANGUAGE plperlu` from the keyword's offset. */
export function keywordAndValue(stmt: SqlStmt, at: number): Range {
  const keywordEnd = tokenEndAt(stmt, at);
  const value = tokenAfter(stmt, keywordEnd);
  return { start: at, end: value.end };
}

/**
 * Where a name (as the parser returns it, case-folded unless quoted) is written, at or
 * after `from`: unquoted and matching case-insensitively when the name is a lower-case
 * identifier, or as a quoted identifier `"name"`.
 */
export function findName(stmt: SqlStmt, name: string, from: number): Range | undefined {
  const base = stmt.unit.start;
  const text = stmt.unit.parseText;
  // The insides of literals are blank in the masked code, so only quoted names need care.
  const masked = stmt.masked;
  const end = stmt.end - base;
  const quoted = `"${name.replace(/"/g, '""')}"`;
  const bare = /^[a-z_\u0080-\uffff][a-z0-9_$\u0080-\uffff]*$/.test(name);
  for (let i = Math.max(0, from - base); i < end; i++) {
    const c = masked[i];
    if (c === '"') {
      const close = quotedEnd(text, i, false);
      if (text.slice(i, close) === quoted) return { start: base + i, end: base + close };
      i = close - 1;
      continue;
    }
    if (bare && /[A-Za-z_\u0080-\uffff]/.test(c) && (i === 0 || !/[\w$\u0080-\uffff]/.test(masked[i - 1]))) {
      let j = i;
      while (j < end && /[\w$\u0080-\uffff]/.test(masked[j])) j++;
      if (masked.slice(i, j).toLowerCase() === name) return { start: base + i, end: base + j };
      i = j - 1;
    }
  }
  return undefined;
}

/**
 * The roles a GRANT role statement grants, each where it is written: the parser keeps no
 * location for them, so each name is found in order after GRANT.
 */
export function grantedRoles(stmt: SqlStmt): Array<Range & { name: string }> {
  const out: Array<Range & { name: string }> = [];
  let from = stmt.start + 'GRANT'.length;
  for (const g of stmt.node.granted_roles ?? []) {
    const name: unknown = g?.AccessPriv?.priv_name;
    if (typeof name !== 'string') continue;
    const at = findName(stmt, name, from);
    if (!at) continue;
    from = at.end;
    out.push({ name, ...at });
  }
  return out;
}

/** The table an ALTER TABLE turns row-level security on for, and where ENABLE ROW LEVEL SECURITY is written. */
export function rlsEnabled(stmt: SqlStmt): { table: QualifiedName; at: Range } | undefined {
  if (!(stmt.node.cmds ?? []).some((c: any) => c?.AlterTableCmd?.subtype === 'AT_EnableRowSecurity')) return undefined;
  const table = rangeVarName(stmt.node.relation);
  const at = table && stmt.find(/\bENABLE\s+ROW\s+LEVEL\s+SECURITY\b/i);
  return table && at ? { table, at } : undefined;
}

/** Whether the token at a range is written in lower case (so a fix can keep the writer's style). */
export function isLowerCase(stmt: SqlStmt, r: Range): boolean {
  const s = stmt.unit.parseText.slice(r.start - stmt.unit.start, r.end - stmt.unit.start);
  return s === s.toLowerCase() && s !== s.toUpperCase();
}

/** The document text of a range as the parser saw it (psql variables as placeholders). */
export function textOf(stmt: SqlStmt, r: Range): string {
  return stmt.unit.parseText.slice(r.start - stmt.unit.start, r.end - stmt.unit.start);
}

/**
 * A name as the writer wrote it, for messages: the splitter hands the parser `:name` as
 * `_name` and `:"name"` as the quoted `":name"`, so those come back as the psql variable;
 * any other name is shown in double quotes.
 */
export function shownName(stmt: SqlStmt, name: string): string {
  for (const v of stmt.unit.variables) {
    if (v.kind === 'raw' && name === `_${v.name}`) return `:${v.name}`;
    if (v.kind === 'identifier' && name === `:${v.name}`) return `:"${v.name}"`;
  }
  return `"${name}"`;
}

/** A RoleSpec node for messages: `"alice"`, `:grantee`, PUBLIC, CURRENT_USER. */
export function shownRole(stmt: SqlStmt, node: any): string {
  const r = node?.RoleSpec ?? node;
  switch (r?.roletype) {
    case 'ROLESPEC_CSTRING':
      return shownName(stmt, String(r.rolename));
    case 'ROLESPEC_PUBLIC':
      return 'PUBLIC';
    case 'ROLESPEC_CURRENT_USER':
      return 'CURRENT_USER';
    case 'ROLESPEC_SESSION_USER':
      return 'SESSION_USER';
    case 'ROLESPEC_CURRENT_ROLE':
      return 'CURRENT_ROLE';
    default:
      return 'the role';
  }
}

/** A list of RoleSpec nodes for messages. */
export function shownRoles(stmt: SqlStmt, nodes: any[] | undefined): string {
  return (nodes ?? []).map((n) => shownRole(stmt, n)).join(', ');
}
