// db-extension-in-public: an extension's objects live in schema public, which is on every
// role's search_path. A role that may CREATE there (every role before 15) can plant a
// function or operator that an unqualified call resolves to instead, and the extension's
// objects mix with the application's (splinter 0014 extension_in_public).

import { quoteIdent } from '../../identifier';
import { LiveRule, liveMeta } from '../rule';

export const dbExtensionInPublic: LiveRule = {
  meta: liveMeta('db-extension-in-public', 'info', 'An extension is installed in schema public, on every role\'s search_path, instead of a schema of its own.'),
  check(s, ctx) {
    const publicCreate = s.schemas.some((n) => n.name === 'public' && n.publicCreate);
    for (const e of s.extensions) {
      if (e.schema !== 'public') continue;
      const x = quoteIdent(e.name);
      const fix = e.relocatable
        ? `CREATE SCHEMA extensions; ALTER EXTENSION ${x} SET SCHEMA extensions; and qualify its calls or add the schema to search_path`
        : `it is not relocatable: DROP EXTENSION ${x}; CREATE EXTENSION ${x} SCHEMA extensions; (after checking what depends on it)`;
      ctx.report({
        objectKind: 'extension',
        object: e.name,
        message: `Extension "${e.name}" is installed in schema public${publicCreate ? ', where every role may CREATE: any role can shadow its functions for callers that do not qualify them' : ''}. Give it a schema of its own: ${fix}.`,
      });
    }
  },
};
