// db-public-schema-create: PUBLIC may CREATE in a schema, so any role can plant objects that shadow
// others (CVE-2018-1058).

import { LiveRule, liveMeta } from '../rule';
import { quoteIdent } from '../../identifier';

export const dbPublicSchemaCreate: LiveRule = {
  meta: liveMeta(
    'db-public-schema-create',
    'error',
    'PUBLIC may CREATE in a schema, so any role can plant objects that shadow others (CVE-2018-1058).',
  ),
  check(s, ctx) {
    for (const sc of s.schemas) {
      if (!sc.publicCreate) continue;
      const name = quoteIdent(sc.name);
      ctx.report({
        objectKind: 'schema',
        object: name,
        message: `PUBLIC may CREATE in schema ${name}: any role can create objects there that shadow functions and tables other roles use. REVOKE CREATE ON SCHEMA ${name} FROM PUBLIC.`,
        fix: `REVOKE CREATE ON SCHEMA ${name} FROM PUBLIC;`,
      });
    }
  },
};
