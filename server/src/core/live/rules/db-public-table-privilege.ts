// db-public-table-privilege: PUBLIC holds a privilege on a table or view: every role, present and future,
// holds it.

import { LiveRule, liveMeta } from '../rule';
import { quoteQualified } from '../../identifier';

export const dbPublicTablePrivilege: LiveRule = {
  meta: liveMeta(
    'db-public-table-privilege',
    'warning',
    'PUBLIC holds a privilege on a table or view, so every role, present and future, holds it.',
  ),
  check(s, ctx) {
    for (const t of s.tables) {
      const pub = [...new Set(t.grants.filter((g) => g.grantee === 'PUBLIC').map((g) => g.privilege))];
      if (!pub.length) continue;
      const name = quoteQualified(t);
      ctx.report({
        objectKind: 'table',
        object: name,
        message: `PUBLIC holds ${pub.join(', ')} on ${t.kind} ${name}: every role, including ones created later, has it. REVOKE ${pub.join(', ')} ON ${name} FROM PUBLIC and grant it to the roles that need it.`,
        fix: `REVOKE ${pub.join(', ')} ON ${name} FROM PUBLIC;`,
      });
    }
  },
};
