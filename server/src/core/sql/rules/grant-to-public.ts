// grant-to-public: any GRANT to PUBLIC, which reaches every role that exists now or later.

import { fix, replace, tokenEnd } from '../../fix';
import { Finding } from '../../rules';
import { roleSpec } from '../ast';
import { SqlRule } from '../rule';

export const grantToPublic: SqlRule = {
  meta: {
    id: 'grant-to-public',
    language: 'sql',
    defaultSeverity: 'warning',
    description: 'A GRANT (or ALTER DEFAULT PRIVILEGES ... GRANT) to PUBLIC gives the privilege to every role, now and in future.',
    fixable: true,
  },
  types: ['GrantStmt', 'AlterDefaultPrivilegesStmt'],
  check(stmt) {
    const defaults = stmt.type === 'AlterDefaultPrivilegesStmt';
    const grant = defaults ? stmt.node.action : stmt.node;
    if (!grant?.is_grant) return [];
    const findings: Finding[] = [];
    for (const g of grant.grantees ?? []) {
      const r = roleSpec(g);
      if (r?.kind !== 'public') continue;
      const start = stmt.offset(r.location);
      const end = tokenEnd(stmt.unit.parseText, start - stmt.unit.start) + stmt.unit.start;
      findings.push({
        ruleId: 'grant-to-public',
        start,
        end,
        message: defaults
          ? 'ALTER DEFAULT PRIVILEGES grants to PUBLIC: every object created later is open to every role. Grant to a named role.'
          : 'GRANT to PUBLIC gives this privilege to every role, including roles created later. Grant to a named role.',
        fixes: [fix('Replace PUBLIC with a named role', [replace(start, end, 'app_role')], true)],
      });
    }
    return findings;
  },
};
