// ident-syntax: every pg_ident.conf line the server refuses, with the server's own reason.
// One bad line makes the server load no map at all, so the message says what that costs.

import { Finding } from '../../rules';
import { finding, IdentRule, tokenRange } from '../rule';

export const REFUSED_IDENT =
  'PostgreSQL refuses a pg_ident.conf with any invalid line: at start-up it runs without any map, so every login through map= fails, and on reload it keeps the old maps.';

export const identSyntax: IdentRule = {
  meta: {
    id: 'ident-syntax',
    language: 'ident',
    defaultSeverity: 'error',
    description: 'A pg_ident.conf line the server rejects, with its reason; the server then loads no map from the file.',
    fixable: false,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const e of ctx.parse.entries) {
      if (!e.error) continue;
      const token = e.error.token;
      const range = e.kind === 'include' ? tokenRange({ ...e, kind: 'mapping', index: -1 }, token) : tokenRange(e, token);
      out.push(finding('ident-syntax', range, `${e.error.message}. ${REFUSED_IDENT}`));
    }
    return out;
  },
};
