// superuser-role: CREATE/ALTER ROLE or USER WITH SUPERUSER. A superuser bypasses every
// permission check, RLS included, and can run programs on the server.

import { fix, replace } from '../../fix';
import { Finding } from '../../rules';
import { defElemValue, roleSpec } from '../ast';
import { SqlRule } from '../rule';

export const superuserRole: SqlRule = {
  meta: {
    id: 'superuser-role',
    language: 'sql',
    defaultSeverity: 'error',
    description: 'CREATE ROLE, CREATE USER or ALTER ROLE with SUPERUSER creates a role that bypasses every permission check.',
    fixable: true,
  },
  types: ['CreateRoleStmt', 'AlterRoleStmt'],
  check(stmt) {
    const n = stmt.node;
    const name = stmt.type === 'CreateRoleStmt' ? n.role : roleSpec(n.role)?.name ?? 'this role';
    const findings: Finding[] = [];
    for (const o of n.options ?? []) {
      const d = o?.DefElem;
      if (d?.defname !== 'superuser' || defElemValue(d) !== true) continue;
      const start = stmt.offset(d.location);
      const end = start + 'SUPERUSER'.length;
      findings.push({
        ruleId: 'superuser-role',
        start,
        end,
        message: `Role "${name}" is given SUPERUSER: it bypasses every permission check and row-level security. Grant the specific privileges it needs instead.`,
        fixes: [fix('Change SUPERUSER to NOSUPERUSER', [replace(start, end, 'NOSUPERUSER')], { consequence: 'whatever relies on the role being a superuser fails' })],
      });
    }
    return findings;
  },
};
