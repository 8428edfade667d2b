// weak-setting: a server setting switched to an insecure value by ALTER SYSTEM, SET,
// ALTER ROLE/DATABASE ... SET, or a function's SET clause. Values are read the way the
// server reads them: enum names case-insensitively, booleans as on/off, true/false,
// yes/no, 1/0 and their unambiguous prefixes.

import { fix, replace } from '../../fix';
import { Finding } from '../../rules';
import { SqlStmt } from '../document';
import { shownRole, textOf, tokenEndAt } from '../locate';
import { SqlRule } from '../rule';

/** PostgreSQL's parse_bool: whether a setting's text means false (undefined when it is not a boolean). */
export function parseBool(text: string): boolean | undefined {
  const v = text.trim().toLowerCase();
  if (v === '') return undefined;
  const prefixOf = (word: string, min = 1) => v.length >= min && word.startsWith(v);
  if (prefixOf('true') || prefixOf('yes') || prefixOf('on', 2) || v === '1') return true;
  if (prefixOf('false') || prefixOf('no') || prefixOf('off', 2) || v === '0') return false;
  return undefined;
}

interface Weakness {
  /** Why the value is weak, as a sentence fragment after "name = value". */
  risk: string;
  secure: string;
  /** What setting the secure value can break; absent when it cannot change what the server accepts. */
  consequence?: string;
}

type Check = (value: string, version: number) => Weakness | undefined;

const isOff = (v: string) => parseBool(v) === false;

const CHECKS: Record<string, Check> = {
  password_encryption: (v, version) => {
    const s = v.toLowerCase();
    // Up to PostgreSQL 13, on/true/yes/1 were hidden aliases of md5; 14 rejects them.
    const legacyMd5 = version <= 13 && ['on', 'true', 'yes', '1'].includes(s);
    if (s !== 'md5' && !legacyMd5) return undefined;
    return {
      risk: 'stores new passwords as MD5 hashes, which are fast to brute-force and, with md5 authentication, log in by themselves',
      secure: 'scram-sha-256',
      consequence: 'passwords set from now on are SCRAM hashes, which clients without SCRAM support cannot use',
    };
  },
  ssl: (v) => (isOff(v) ? { risk: 'turns TLS off, so passwords and data cross the network in clear', secure: 'on', consequence: 'the server does not start without a certificate and key' } : undefined),
  ssl_min_protocol_version: (v) => {
    const s = v.toLowerCase();
    if (s !== '' && s !== 'tlsv1' && s !== 'tlsv1.1') return undefined;
    return { risk: `accepts ${s === '' ? 'every TLS version' : 'TLS 1.0 and 1.1'}, which are deprecated and broken (RFC 8996)`, secure: 'TLSv1.2', consequence: 'clients limited to TLS 1.0 or 1.1 can no longer connect' };
  },
  log_connections: (v, version) => {
    // From PostgreSQL 18 the setting is a list of aspects, and the empty list turns it off.
    if (!isOff(v) && !(version >= 18 && v.trim() === '')) return undefined;
    return { risk: 'stops logging connection attempts, so failed and successful logins leave no trace', secure: 'on' };
  },
  log_disconnections: (v) =>
    isOff(v) ? { risk: 'stops logging session ends and their durations, which audits rely on', secure: 'on' } : undefined,
  log_statement: (v) =>
    v.toLowerCase() === 'none'
      ? {
          risk: 'logs no statements, not even DDL that changes tables, roles or grants',
          secure: 'ddl',
          consequence: 'statements that set a password in clear text (ALTER ROLE ... PASSWORD) are written to the server log',
        }
      : undefined,
  row_security: (v) =>
    isOff(v)
      ? {
          risk:
            'makes queries on tables with row-level security raise an error instead of applying the policies (roles that bypass RLS are unaffected); it is meant for dumps and marks code that expects to see every row',
          secure: 'on',
          consequence: 'queries that raised an error now return only the rows the policies allow, so a dump taken this way silently misses rows',
        }
      : undefined,
};

/** The SET statements a statement carries, with where the setting applies. */
function setStmts(stmt: SqlStmt): Array<{ set: any; scope: string }> {
  const n = stmt.node;
  switch (stmt.type) {
    case 'VariableSetStmt':
      return [{ set: n, scope: n.is_local ? 'for this transaction' : 'for this session' }];
    case 'AlterSystemStmt':
      return [{ set: n.setstmt, scope: 'for the whole server' }];
    case 'AlterRoleSetStmt': {
      const who = n.role ? `role ${shownRole(stmt, n.role)}` : 'every role';
      return [{ set: n.setstmt, scope: `for ${who}${n.database ? ` in database "${n.database}"` : ''}` }];
    }
    case 'AlterDatabaseSetStmt':
      return [{ set: n.setstmt, scope: `for database "${n.dbname}"` }];
    case 'CreateFunctionStmt':
    case 'AlterFunctionStmt':
      return (n.options ?? n.actions ?? [])
        .map((o: any) => o?.DefElem)
        .filter((d: any) => d?.defname === 'set' && d.arg?.VariableSetStmt)
        .map((d: any) => ({ set: d.arg.VariableSetStmt, scope: 'while the function runs' }));
    default:
      return [];
  }
}

/** The text of a one-value setting as the server would read it. */
function settingText(arg: any): string | undefined {
  const c = arg?.A_Const;
  if (!c) return undefined;
  if (c.sval) return c.sval.sval ?? '';
  if (c.ival) return String(c.ival.ival ?? 0);
  if (c.fval) return c.fval.fval;
  return undefined;
}

/** The secure value written like the original: quoted if it was, bare only if it can be. */
function writeLike(original: string, secure: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(secure) && !/^([EeUu]&?)?'/.test(original)) {
    return original === original.toUpperCase() && original !== original.toLowerCase() ? secure.toUpperCase() : secure.toLowerCase();
  }
  return `'${secure}'`;
}

export const weakSetting: SqlRule = {
  meta: {
    id: 'weak-setting',
    language: 'sql',
    defaultSeverity: 'warning',
    description:
      'SET, ALTER SYSTEM or ALTER ROLE/DATABASE ... SET of password_encryption md5, ssl off, ssl_min_protocol_version below TLSv1.2, log_connections/log_disconnections off, log_statement none or row_security off.',
    fixable: true,
  },
  types: ['VariableSetStmt', 'AlterSystemStmt', 'AlterRoleSetStmt', 'AlterDatabaseSetStmt', 'CreateFunctionStmt', 'AlterFunctionStmt'],
  check(stmt, ctx) {
    const findings: Finding[] = [];
    for (const { set, scope } of setStmts(stmt)) {
      if (set?.kind !== 'VAR_SET_VALUE' || (set.args ?? []).length !== 1) continue;
      const check = CHECKS[set.name];
      const value = settingText(set.args[0]);
      if (!check || value === undefined) continue;
      const weak = check(value, ctx.config.postgresVersion);
      if (!weak) continue;
      // A session's own `SET row_security = off` (pg_dump's preamble, a restore helper, an
      // RLS test) only makes that session's queries fail where a policy would apply; it
      // shows no role a row more, and it is no setting of the schema.
      if (set.name === 'row_security' && stmt.type === 'VariableSetStmt') continue;
      const start = stmt.offset(set.args[0].A_Const.location);
      // A psql variable's value is only known when the script runs.
      if (stmt.variableAt(start)) continue;
      const end = tokenEndAt(stmt, start);
      const newText = writeLike(textOf(stmt, { start, end }), weak.secure);
      findings.push({
        ruleId: 'weak-setting',
        start,
        end,
        message: `${set.name} = ${value === '' ? "''" : value} ${scope} ${weak.risk}. Use ${weak.secure}.`,
        fixes: [fix(`Set ${set.name} to ${weak.secure}`, [replace(start, end, newText)], weak.consequence ? { consequence: weak.consequence } : { safe: true })],
      });
    }
    return findings;
  },
};
