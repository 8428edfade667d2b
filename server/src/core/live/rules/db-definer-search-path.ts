// db-definer-search-path: a SECURITY DEFINER function that does not set search_path runs whatever a
// caller put first on the path, with the owner's rights.

import { LiveRule, liveMeta } from '../rule';

export const dbDefinerSearchPath: LiveRule = {
  meta: liveMeta(
    'db-definer-search-path',
    'error',
    'A SECURITY DEFINER function does not set search_path, so a caller can make it run their own objects.',
  ),
  check(s, ctx) {
    for (const f of s.functions) {
      if (!f.securityDefiner || f.setsSearchPath) continue;
      ctx.report({
        objectKind: 'function',
        object: f.signature,
        message: `SECURITY DEFINER function ${f.signature} (owner "${f.owner}") does not set search_path: a caller can put their own objects first and run them with the owner's rights. ALTER FUNCTION ${f.signature} SET search_path = pg_catalog, pg_temp.`,
      });
    }
  },
};
