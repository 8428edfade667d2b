// hba-syntax: every record the server refuses, with the server's own reason. One bad
// record makes PostgreSQL refuse the whole file, so the message says what that costs.

import { basename } from 'node:path';
import { Finding } from '../../rules';
import { uriToPath } from '../parse';
import { finding, HbaRule, recordRange } from '../rule';

export const REFUSED =
  'PostgreSQL refuses a pg_hba.conf with any invalid record: at start-up it stops with "could not load pg_hba.conf", and on reload it keeps the old rules.';

export const hbaSyntax: HbaRule = {
  meta: {
    id: 'hba-syntax',
    language: 'hba',
    defaultSeverity: 'error',
    description: 'A pg_hba.conf record the server rejects, with its reason; the server then refuses the whole file.',
    fixable: false,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const e of ctx.parse.entries) {
      if (!e.error) continue;
      const range = recordRange(e, e.error.token);
      const message = `${e.error.message}. ${REFUSED}`;
      out.push(finding('hba-syntax', range, message, e.error.severity ? { severity: e.error.severity } : {}));
    }
    // The server also refuses a pg_hba.conf with no records at all; an included piece may be empty.
    const path = uriToPath(ctx.parse.uri) ?? ctx.parse.uri ?? '';
    if (basename(path) === 'pg_hba.conf' && ctx.parse.records.length === 0 && !ctx.parse.entries.some((e) => e.kind === 'include')) {
      out.push(
        finding('hba-syntax', { start: 0, end: Math.min(ctx.text.length, ctx.parse.lines[0]?.firstLineEnd ?? 0) }, `configuration file "pg_hba.conf" contains no entries. ${REFUSED}`),
      );
    }
    return out;
  },
};
