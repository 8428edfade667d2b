// db-definer-execute: a SECURITY DEFINER function granted EXECUTE directly to login roles
// other than its owner. Each of their sessions runs it with the owner's rights. Often that
// is the design (the recommended fix for db-public-function-execute is exactly such a
// grant), so it is info: the audit's list of who can run which definer function, beyond
// PUBLIC. Superusers are left out: they can do anything the function does.

import { LiveRule, liveMeta } from '../rule';

export const dbDefinerExecute: LiveRule = {
  meta: liveMeta(
    'db-definer-execute',
    'info',
    'A SECURITY DEFINER function granted EXECUTE directly to login roles other than its owner: their sessions run it with the owner\'s rights.',
  ),
  check(s, ctx) {
    const roles = new Map(s.roles.map((r) => [r.name, r]));
    for (const f of s.functions) {
      if (!f.securityDefiner) continue;
      const logins = (f.executeGrantees ?? []).filter((g) => {
        const r = roles.get(g);
        return r !== undefined && r.login && !r.superuser && g !== f.owner;
      });
      if (!logins.length) continue;
      ctx.report({
        objectKind: 'function',
        object: f.signature,
        message: `SECURITY DEFINER function ${f.signature} runs with the rights of "${f.owner}" for the login role${logins.length > 1 ? 's' : ''} ${logins.map((g) => `"${g}"`).join(', ')}, granted EXECUTE directly. Check that each needs it; REVOKE EXECUTE ON FUNCTION ${f.signature} FROM the others.`,
      });
    }
  },
};
