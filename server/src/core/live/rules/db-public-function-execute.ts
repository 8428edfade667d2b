// db-public-function-execute: a SECURITY DEFINER function PUBLIC may execute runs with its owner's rights
// for every role.

import { LiveRule, liveMeta } from '../rule';

export const dbPublicFunctionExecute: LiveRule = {
  meta: liveMeta(
    'db-public-function-execute',
    'warning',
    'A SECURITY DEFINER function is executable by PUBLIC, so any role runs it with its owner\'s rights.',
  ),
  check(s, ctx) {
    for (const f of s.functions) {
      if (!f.securityDefiner || !f.publicExecute) continue;
      ctx.report({
        objectKind: 'function',
        object: f.signature,
        message: `SECURITY DEFINER function ${f.signature} is executable by PUBLIC: every role runs it with the rights of "${f.owner}". REVOKE EXECUTE ON FUNCTION ${f.signature} FROM PUBLIC and grant it to the roles that need it.`,
        fix: `REVOKE EXECUTE ON FUNCTION ${f.signature} FROM PUBLIC;`,
      });
    }
  },
};
