// hardcoded-password: a password or other credential written into SQL. Whoever reads the
// file, its history or a log with the statement has it. Covered: PASSWORD 'literal' on
// CREATE/ALTER ROLE or USER, `password` in user mapping options, `password=` in a
// subscription's connection string and in dblink connection strings, a literal inserted
// or assigned into a column named like a password, secret, token or API key, and any
// literal holding a connection URI with a password, a JSON Web Token or a provider's API
// key. Not flagged: PASSWORD NULL, psql variables (`:'pw'`), SCRAM verifiers, md5 hashes
// (weak-password-hash reports those), placeholders, and role passwords and column data in
// test files.

import { fix, replace } from '../../fix';
import { Finding } from '../../rules';
import { formatName, rangeVarName, roleSpec, walk } from '../ast';
import { isCredentialColumn, isPlaceholder, looksHashed, looksLikeRealSecret, secretsIn } from '../credentials';
import { SqlStmt } from '../document';
import { fileKind } from '../file-kind';
import { Range, shownName, shownRole, tokenAfter, tokenEndAt } from '../locate';
import { SqlRule } from '../rule';

export type PasswordKind = 'null' | 'empty' | 'variable' | 'md5' | 'scram' | 'placeholder' | 'plain';

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
    else if (isPlaceholder(value)) kind = 'placeholder';
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
  const password = conninfoPassword(conninfo);
  return password !== undefined && !isPlaceholder(password);
}

/** The non-empty password a libpq connection string sets, if any. */
function conninfoPassword(conninfo: string): string | undefined {
  const s = conninfo.trim();
  if (/^postgres(?:ql)?:\/\//i.test(s)) {
    const rest = s.replace(/^postgres(?:ql)?:\/\//i, '');
    const authority = rest.split(/[/?#]/)[0];
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      const colon = userinfo.indexOf(':');
      if (colon >= 0 && colon < userinfo.length - 1) return userinfo.slice(colon + 1);
    }
    const query = rest.includes('?') ? rest.slice(rest.indexOf('?') + 1).split('#')[0] : '';
    const param = query.split('&').find((p) => /^password=./i.test(p));
    return param?.slice('password='.length);
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
    if (s[i] !== '=') return undefined;
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
    if (key === 'password' && value !== '') return value;
  }
  return undefined;
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
    if (d.arg.String.sval === '' || isPlaceholder(d.arg.String.sval)) continue;
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

/**
 * Credentials written as table data: a string literal inserted (INSERT ... VALUES with a
 * column list) or assigned (UPDATE ... SET) into a column named like a password, secret,
 * token or API key. Hashes (crypt() calls are not literals at all; stored hash formats are
 * recognised), empty strings and placeholders are data about a secret, not the secret.
 */
function columnDataFindings(stmt: SqlStmt): Finding[] {
  const n = stmt.node;
  const table = formatName(rangeVarName(n.relation) ?? { name: '?' });
  const pairs: Array<{ column: string; value: any }> = [];
  if (stmt.type === 'InsertStmt') {
    const columns: string[] = (n.cols ?? []).map((c: any) => c?.ResTarget?.name);
    if (!columns.some((c) => typeof c === 'string' && isCredentialColumn(c))) return [];
    for (const row of n.selectStmt?.SelectStmt?.valuesLists ?? []) {
      (row?.List?.items ?? []).forEach((value: any, i: number) => {
        if (typeof columns[i] === 'string') pairs.push({ column: columns[i], value });
      });
    }
  } else if (stmt.type === 'UpdateStmt') {
    for (const t of n.targetList ?? []) if (typeof t?.ResTarget?.name === 'string') pairs.push({ column: t.ResTarget.name, value: t.ResTarget.val });
  }
  const findings: Finding[] = [];
  for (const { column, value } of pairs) {
    if (!isCredentialColumn(column)) continue;
    const c = constantArg(stmt, value);
    if (!c || c.value.trim() === '' || isPlaceholder(c.value) || stmt.variableAt(c.start)) continue;
    // A password column legitimately holds a hash, and any password written out is one. A
    // token or key column holds the secret itself, but demo values ('shhhhh') are not secrets.
    const password = /pass|pwd/i.test(column);
    if (password ? looksHashed(c.value) : !looksLikeRealSecret(c.value)) continue;
    const what = password ? 'password' : 'secret';
    findings.push({
      ruleId: 'hardcoded-password',
      start: c.start,
      end: tokenEndAt(stmt, c.start),
      message:
        `Column "${column}" of ${table} gets a literal ${what} written in the file: whoever reads the file, its history or a dump of the table can use it. ` +
        (what === 'password'
          ? "Store a hash computed when the script runs (crypt(:'password', gen_salt('bf'))) and pass the password in a psql variable."
          : "Load the value when the script runs (a psql variable, or Supabase Vault's vault.create_secret called outside the migrations)."),
    });
  }
  return findings;
}

const MAY_HOLD_SECRET = /:\/\/|eyJ|password\s*=|AKIA|gh[pousr]_|github_pat_|xox[abprs]-|k_live_|sk-/i;

/**
 * String constants that carry a secret whatever they are used for: a connection URI with
 * a password, a key=value connection string with password=, a JSON Web Token, a provider's
 * API key. A routine's or DO block's text is searched as a whole (a service key in a
 * DECLARE is in no statement of its own); the statements nested in it then look only for
 * connection strings in their own literals, so nothing is reported twice.
 */
function literalFindings(stmt: SqlStmt, taken: readonly Finding[]): Finding[] {
  // A cheap test of the statement's text first: the AST walk runs only for the rare
  // statement that could hold such a secret.
  const text = stmt.text;
  if (!MAY_HOLD_SECRET.test(text)) return [];
  const nested = stmt.nesting !== undefined;
  const findings: Finding[] = [];
  const add = (start: number, end: number, what: string) => {
    if (findings.some((f) => f.start === start) || taken.some((t) => t.start <= start && start < t.end)) return;
    findings.push({
      ruleId: 'hardcoded-password',
      start,
      end,
      message: `This literal holds ${what}, written in the file where anyone who reads it or its history can use it. Keep credentials out of SQL: read them from a setting or a secret store when the code runs, or pass them in a psql variable.`,
    });
  };
  walk(stmt.node, (type, v) => {
    if (type !== 'A_Const' || typeof v.sval?.sval !== 'string' || v.sval.sval.length < 8) return;
    const value: string = v.sval.sval;
    const start = stmt.offset(v.location);
    if (stmt.variableAt(start)) return;
    const found = nested ? [] : secretsIn(value);
    if (found.length === 0 && /password\s*=/i.test(value) && conninfoHasPassword(value)) found.push({ what: 'a password in a connection string', match: value });
    for (const f of found) {
      // Inside the literal when the secret is written there verbatim, else the whole literal.
      const at = stmt.unit.parseText.indexOf(f.match, start - stmt.unit.start);
      if (at >= 0 && stmt.unit.start + at < stmt.end) add(stmt.unit.start + at, stmt.unit.start + at + f.match.length, f.what);
      else add(start, tokenEndAt(stmt, start), f.what);
    }
  });
  if (!nested && (stmt.type === 'CreateFunctionStmt' || stmt.type === 'DoStmt')) {
    for (const f of secretsIn(text)) {
      const at = text.indexOf(f.match);
      if (at >= 0) add(stmt.start + at, stmt.start + at + f.match.length, f.what);
    }
  }
  return findings;
}

export const hardcodedPassword: SqlRule = {
  meta: {
    id: 'hardcoded-password',
    language: 'sql',
    defaultSeverity: 'error',
    description:
      'A password or credential written into SQL: PASSWORD on CREATE/ALTER ROLE, user mapping options, subscription and dblink connection strings, literals stored in password, secret, token or API key columns, and connection URIs, JSON Web Tokens or API keys in any literal.',
    fixable: true,
  },
  types: '*',
  check(stmt, ctx) {
    const findings: Finding[] = [];
    // A test's or a demo's throw-away role passwords and rows protect nothing real; a
    // connection string or token there still points at something real, so those stay checked.
    const kind = fileKind(ctx.doc);
    const test = kind.test || kind.example;
    switch (stmt.type) {
      case 'CreateRoleStmt':
      case 'AlterRoleStmt':
        if (test) break;
        for (const p of rolePasswords(stmt)) {
          if (p.kind !== 'plain') continue;
          // A role given as a psql variable (`:name`) names the password variable after the variable.
          const variable = passwordVariable(p.shown.startsWith(':') ? p.shown.replace(/^:"?|"$/g, '') : p.role);
          findings.push({
            ruleId: 'hardcoded-password',
            ...p.range,
            message: `Role ${p.shown} gets a password written in the file: anyone who reads it, its history or a statement log knows it. Pass it in a psql variable (\\set ${variable} ... then PASSWORD :'${variable}') or set it with psql's \\password.`,
            fixes: [fix(`Replace the password with the psql variable :'${variable}'`, [replace(p.range.start, p.range.end, `:'${variable}'`)], {
              consequence: `the script then needs psql -v ${variable}=...; run any other way it fails`,
            })],
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
      case 'InsertStmt':
      case 'UpdateStmt':
        if (!test) findings.push(...columnDataFindings(stmt));
        break;
    }
    // dblink calls may sit in any statement: SELECT, PERFORM-free SQL bodies, INSERT ... SELECT.
    findings.push(...dblinkFindings(stmt));
    findings.push(...literalFindings(stmt, findings));
    return findings;
  },
};
