// weak-password-hash: PASSWORD 'md5' + 32 hex digits on CREATE/ALTER ROLE or USER. The
// server stores such a literal as the role's MD5 hash, unsalted by anything but the role
// name, and with md5 authentication the hash alone is enough to log in. This rule, not
// hardcoded-password, reports those literals, so one literal gives one finding.

import { Finding } from '../../rules';
import { SqlRule } from '../rule';
import { rolePasswords } from './hardcoded-password';

export const weakPasswordHash: SqlRule = {
  meta: {
    id: 'weak-password-hash',
    language: 'sql',
    defaultSeverity: 'warning',
    description: "CREATE/ALTER ROLE with PASSWORD 'md5...': a pre-computed MD5 hash, weak and as good as the password for md5 logins.",
    fixable: false,
  },
  types: ['CreateRoleStmt', 'AlterRoleStmt'],
  check(stmt, ctx) {
    const findings: Finding[] = [];
    for (const p of rolePasswords(stmt)) {
      if (p.kind !== 'md5') continue;
      findings.push({
        ruleId: 'weak-password-hash',
        ...p.range,
        message:
          `Role ${p.shown} gets a pre-computed MD5 password hash: MD5 is fast to brute-force, and with md5 authentication the hash itself logs in, so this file holds a working credential. ` +
          `Set the password from a psql variable with password_encryption = scram-sha-256${ctx.config.postgresVersion >= 18 ? ' (MD5 passwords are deprecated since PostgreSQL 18)' : ''}.`,
      });
    }
    return findings;
  },
};
