// privileged-role-attribute: CREATEROLE, BYPASSRLS and REPLICATION on CREATE/ALTER ROLE or
// USER. Each is a step short of SUPERUSER: CREATEROLE manages other roles, BYPASSRLS
// ignores every row-level security policy, REPLICATION streams every row of the cluster.

import { fix, replace } from '../../fix';
import { Finding } from '../../rules';
import { defElemValue } from '../ast';
import { isLowerCase, shownName, shownRole, tokenEndAt } from '../locate';
import { SqlRule } from '../rule';

interface Attribute {
  keyword: string;
  risk: string;
}

/** DefElem names the parser uses for the attributes, with what each one lets the role do. */
const ATTRIBUTES: Record<string, Attribute> = {
  createrole: {
    keyword: 'CREATEROLE',
    risk: 'it can create, alter and drop other roles and grant itself their memberships',
  },
  bypassrls: {
    keyword: 'BYPASSRLS',
    risk: 'it ignores every row-level security policy',
  },
  isreplication: {
    keyword: 'REPLICATION',
    risk: 'it can open replication connections and stream a copy of every row in the cluster',
  },
};

export const privilegedRoleAttribute: SqlRule = {
  meta: {
    id: 'privileged-role-attribute',
    language: 'sql',
    defaultSeverity: 'warning',
    description: 'CREATE/ALTER ROLE or USER with CREATEROLE, BYPASSRLS or REPLICATION gives a role near-superuser powers.',
    fixable: true,
  },
  types: ['CreateRoleStmt', 'AlterRoleStmt'],
  check(stmt) {
    const n = stmt.node;
    const name = stmt.type === 'CreateRoleStmt' ? shownName(stmt, String(n.role)) : shownRole(stmt, n.role);
    const findings: Finding[] = [];
    for (const o of n.options ?? []) {
      const d = o?.DefElem;
      const attr = ATTRIBUTES[d?.defname];
      if (!attr || defElemValue(d) !== true) continue;
      const start = stmt.offset(d.location);
      const end = tokenEndAt(stmt, start);
      const written = stmt.unit.parseText.slice(start - stmt.unit.start, end - stmt.unit.start);
      // The location should be the keyword itself; if the parser ever points elsewhere, stay silent
      // rather than underline and rewrite the wrong word.
      if (written.toUpperCase() !== attr.keyword) continue;
      const replacement = isLowerCase(stmt, { start, end }) ? `no${attr.keyword.toLowerCase()}` : `NO${attr.keyword}`;
      findings.push({
        ruleId: 'privileged-role-attribute',
        start,
        end,
        message: `Role ${name} is given ${attr.keyword}: ${attr.risk}. Use NO${attr.keyword} unless this role exists for exactly that job.`,
        fixes: [fix(`Change ${attr.keyword} to NO${attr.keyword}`, [replace(start, end, replacement)], { consequence: `whatever relies on the role's ${attr.keyword} fails` })],
      });
    }
    return findings;
  },
};
