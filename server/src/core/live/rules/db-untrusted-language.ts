// db-untrusted-language: an untrusted procedural language is installed; its functions run outside the
// sandbox with the server's operating-system rights.

import { LiveRule, liveMeta } from '../rule';
import { quoteIdent } from '../../identifier';

export const dbUntrustedLanguage: LiveRule = {
  meta: liveMeta(
    'db-untrusted-language',
    'warning',
    'An untrusted procedural language is installed: its functions run unsandboxed with the server\'s operating-system rights.',
  ),
  check(s, ctx) {
    for (const l of s.languages) {
      if (l.trusted) continue;
      const name = quoteIdent(l.name);
      ctx.report({
        objectKind: 'language',
        object: name,
        message: `The untrusted language ${name} is installed: its functions run outside PostgreSQL's sandbox with the server's operating-system rights. Drop it unless it is needed.`,
      });
    }
  },
};
