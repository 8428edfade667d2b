// db-leakproof-function: a function of the database's own marked LEAKPROOF (pgrls SEC017).
// PostgreSQL lets the planner run a LEAKPROOF function on rows before a row-level
// security policy or a security_barrier view has filtered them, trusting that it reveals
// nothing about its arguments. A function that can raise an error naming its argument,
// or whose timing or side effects depend on it, then leaks the rows the policy hides. Only
// a superuser can mark a function LEAKPROOF, so each one is a deliberate promise that a
// reviewer should check against the function's body.

import { LiveRule, liveMeta } from '../rule';

export const dbLeakproofFunction: LiveRule = {
  meta: liveMeta(
    'db-leakproof-function',
    'info',
    'A function in a user schema is marked LEAKPROOF: the planner runs it on rows that row-level security and security_barrier views have not filtered yet.',
  ),
  check(s, ctx) {
    for (const f of s.leakproofFunctions ?? []) {
      ctx.report({
        objectKind: 'function',
        object: f.signature,
        message: `Function ${f.signature} (${f.language}, owned by "${f.owner}") is LEAKPROOF: PostgreSQL may run it on rows before row-level security policies and security_barrier views filter them. Check that no input makes it raise an error, log, or take a different time; if any can, ALTER FUNCTION ${f.signature} NOT LEAKPROOF.`,
      });
    }
  },
};
