// hardcoded-password: a password written into SQL. Whoever reads the file, its history or
// a log with the statement has it. Covered: PASSWORD 'literal' on CREATE/ALTER ROLE or
// USER, `password` in user mapping options, `password=` in a subscription's connection
// string and in dblink connection strings. Not flagged: PASSWORD NULL, psql variables
// (`:'pw'`), SCRAM verifiers, and md5 hashes, which weak-password-hash reports instead.

import { fix, replace } from '../../fix';
import { Finding } from '../../rules';
import { roleSpec, walk } from '../ast';
import { SqlStmt } from '../document';
import { Range, shownName, shownRole, tokenAfter, tokenEndAt } from '../locate';
import { SqlRule } from '../rule';

export type PasswordKind = 'null' | 'empty' | 'variable' | 'md5' | 'scram' | 'plain';

export interface RolePassword {
  role: string;
  /** The role for messages: `"alice"`, `:name` for a psql variable, CURRENT_USER. */
  shown: string;
  /** The literal's range (its E or U& prefix and quotes included). */
  range: Range;
  kind: PasswordKind;
}

/**
 * An md5 hash as PostgreSQL recognises one (get_password_type): `md5` and 32 lower-case
 * hex digits, exactly. Anything else, `MD5...` or upper-case hex included, is taken as a
 * plain-text password and hashed.
 */
export const MD5_HASH = /^md5[0-9a-f]{32}$/;

/** A SCRAM-SHA-256 verifier: `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. */
const SCRAM_VERIFIER = /^SCRAM-SHA-256\$\d+:[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}:[A-Za-z0-9+/]+={0,2}$/;

/** The PASSWORD options of a CREATE/ALTER ROLE or USER, classified. */
export function rolePasswords(stmt: SqlStmt): RolePassword[] {
  if (stmt.type !== 'CreateRoleStmt' && stmt.type !== 'AlterRoleStmt') return [];
  const n = stmt.node;
  const r = stmt.type === 'AlterRoleStmt' ? roleSpec(n.role) : undefined;
  const role: string = stmt.type === 'CreateRoleStmt' ? n.role : r?.kind === 'name' ? r.name! : r?.kind ?? 'role';
  const shown = stmt.type === 'CreateRoleStmt' ? shownName(stmt, String(n.role)) : shownRole(stmt, n.role);
  const out: RolePassword[] = [];
  for (const o of n.options ?? []) {
    const d = o?.DefElem;
    if (d?.defname !== 'password') continue;
    // The location is the PASSWORD keyword, or ENCRYPTED before it; the literal follows PASSWORD.
    const kw = stmt.find(/\bPASSWORD\b/i, stmt.offset(d.location));
    if (!kw) continue;
    const range = tokenAfter(stmt, kw.end);
    const value: unknown = d.arg?.String?.sval;
    let kind: PasswordKind;
    if (d.arg === undefined) kind = 'null';
    else if (stmt.variableAt(range.start)) kind = 'variable';
    else if (typeof value !== 'string' || value === '') kind = 'empty';
    else if (MD5_HASH.test(value)) kind = 'md5';
    else if (SCRAM_VERIFIER.test(value)) kind = 'scram';
    else kind = 'plain';
    out.push({ role, shown, range, kind });
  }
  return out;
}

/** A psql variable name for a role's password: the role's name made safe, plus `_password`. */
export function passwordVariable(role: string): string {
  const safe = role.replace(/[^A-Za-z0-9_\u0080-\uffff]/g, '_');
  return /^[0-9]/.test(safe) ? `_${safe}_password` : `${safe}_password`;
}

/**
 * Whether a libpq connection string (key=value pairs or a postgresql:// URI) sets a
 * non-empty password.
 */
export function conninfoHasPassword(conninfo: string): boolean {
  const s = conninfo.trim();
  if (/^postgres(?:ql)?:\/\//i.test(s)) {
    const rest = s.replace(/^postgres(?:ql)?:\/\//i, '');
    const authority = rest.split(/[/?#]/)[0];
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      const colon = userinfo.indexOf(':');
      if (colon >= 0 && colon < userinfo.length - 1) return true;
    }
    const query = rest.includes('?') ? rest.slice(rest.indexOf('?') + 1).split('#')[0] : '';
    return query.split('&').some((p) => /^password=./i.test(p));
  }
  // key = value, value either 'quoted with \' escapes' or up to the next blank (libpq's conninfo_parse).
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && /\s/.test(s[i])) i++;
    const keyStart = i;
    while (i < n && s[i] !== '=' && !/\s/.test(s[i])) i++;
    const key = s.slice(keyStart, i);
    while (i < n && /\s/.test(s[i])) i++;
    if (s[i] !== '=') return false;
    i++;
    while (i < n && /\s/.test(s[i])) i++;
    let value = '';
    if (s[i] === "'") {
      i++;
      while (i < n && s[i] !== "'") {
        if (s[i] === '\\' && i + 1 < n) i++;
        value += s[i++];
      }
      i++;
    } else {
      while (i < n && !/\s/.test(s[i])) {
        if (s[i] === '\\' && i + 1 < n) i++;
        value += s[i++];
      }
    }
    if (key === 'password' && value !== '') return true;
  }
  return false;
}

/** A string constant, possibly under casts: its value and document range. */
function constantArg(stmt: SqlStmt, node: any): { value: string; start: number } | undefined {
  let cur = node;
  while (cur?.TypeCast) cur = cur.TypeCast.arg;
  const c = cur?.A_Const;
  if (!c?.sval) return undefined;
  return { value: c.sval.sval ?? '', start: stmt.offset(c.location) };
}

const DBLINK_FUNCTIONS = new Set(['dblink_connect', 'dblink_connect_u', 'dblink', 'dblink_exec']);

/** Which argument of a dblink call is a connection string (or a connection name). */
function connectionArg(fn: string, args: any[]): any {
  if (fn === 'dblink_connect' || fn === 'dblink_connect_u') {
    // dblink_connect(connstr) or dblink_connect(connname, connstr).
    return args.length === 1 ? args[0] : args.length === 2 ? args[1] : undefined;
  }
  // dblink(connstr, sql [, fail]) and dblink_exec(connstr, sql [, fail]); with one argument,
  // or a boolean second one, the first argument is the SQL sent over the unnamed connection.
  if (args.length < 2) return undefined;
  if (args[1]?.A_Const?.boolval !== undefined) return undefined;
  return args[0];
}

function dblinkFindings(stmt: SqlStmt): Finding[] {
  const findings: Finding[] = [];
  // A cheap test first, so the AST walk runs only for the rare statement that names dblink.
  if (!/dblink/i.test(stmt.unit.parseText)) return findings;
  walk(stmt.node, (type, value) => {
    if (type !== 'FuncCall') return;
    const names: any[] = value.funcname ?? [];
    const fn = names[names.length - 1]?.String?.sval;
    if (typeof fn !== 'string' || !DBLINK_FUNCTIONS.has(fn)) return;
    const arg = constantArg(stmt, connectionArg(fn, value.args ?? []));
    if (!arg || stmt.variableAt(arg.start) || !conninfoHasPassword(arg.value)) return;
    findings.push({
      ruleId: 'hardcoded-password',
      start: arg.start,
      end: tokenEndAt(stmt, arg.start),
      message: `The connection string passed to ${fn} holds a password written in the file, where anyone reading it, its history or the server log sees it. Connect through a foreign server with a user mapping, or pass the connection string in a psql variable.`,
    });
  });
  return findings;
}

function userMappingFindings(stmt: SqlStmt): Finding[] {
  const n = stmt.node;
  const user = shownRole(stmt, n.user);
  const findings: Finding[] = [];
  for (const o of n.options ?? []) {
    const d = o?.DefElem;
    if (d?.defname !== 'password' || d.defaction === 'DEFELEM_DROP' || typeof d.arg?.String?.sval !== 'string') continue;
    if (d.arg.String.sval === '') continue;
    const literal = tokenAfter(stmt, tokenEndAt(stmt, stmt.offset(d.location)));
    if (stmt.variableAt(literal.start)) continue;
    findings.push({
      ruleId: 'hardcoded-password',
      ...literal,
      message: `The user mapping for ${user} on server "${n.servername}" has a password written in the file; it is also readable in pg_user_mappings by that user. Pass it in a psql variable (OPTIONS (password :'remote_password')).`,
    });
  }
  return findings;
}

function subscriptionFindings(stmt: SqlStmt): Finding[] {
  const n = stmt.node;
  if (typeof n.conninfo !== 'string' || !conninfoHasPassword(n.conninfo)) return [];
  const kw = stmt.find(/\bCONNECTION\b/i);
  if (!kw) return [];
  const literal = tokenAfter(stmt, kw.end);
  if (stmt.variableAt(literal.start)) return [];
  return [
    {
      ruleId: 'hardcoded-password',
      ...literal,
      message: `The connection string of subscription "${n.subname}" holds a password written in the file; PostgreSQL also stores it in clear in pg_subscription. Leave password= out and give the subscriber a password file, or pass the string in a psql variable.`,
    },
  ];
}

export const hardcodedPassword: SqlRule = {
  meta: {
    id: 'hardcoded-password',
    language: 'sql',
    defaultSeverity: 'error',
    description:
      'A password written into SQL: PASSWORD on CREATE/ALTER ROLE, user mapping options, subscription and dblink connection strings.',
    fixable: true,
  },
  types: '*',
  check(stmt) {
    const findings: Finding[] = [];
    switch (stmt.type) {
      case 'CreateRoleStmt':
      case 'AlterRoleStmt':
        for (const p of rolePasswords(stmt)) {
          if (p.kind !== 'plain') continue;
          // A role given as a psql variable (`:name`) names the password variable after the variable.
          const variable = passwordVariable(p.shown.startsWith(':') ? p.shown.replace(/^:"?|"$/g, '') : p.role);
          findings.push({
            ruleId: 'hardcoded-password',
            ...p.range,
            message: `Role ${p.shown} gets a password written in the file: anyone who reads it, its history or a statement log knows it. Pass it in a psql variable (\\set ${variable} ... then PASSWORD :'${variable}') or set it with psql's \\password.`,
            fixes: [fix(`Replace the password with the psql variable :'${variable}'`, [replace(p.range.start, p.range.end, `:'${variable}'`)])],
          });
        }
        break;
      case 'CreateUserMappingStmt':
      case 'AlterUserMappingStmt':
        findings.push(...userMappingFindings(stmt));
        break;
      case 'CreateSubscriptionStmt':
      case 'AlterSubscriptionStmt':
        findings.push(...subscriptionFindings(stmt));
        break;
    }
    // dblink calls may sit in any statement: SELECT, PERFORM-free SQL bodies, INSERT ... SELECT.
    findings.push(...dblinkFindings(stmt));
    return findings;
  },
};
