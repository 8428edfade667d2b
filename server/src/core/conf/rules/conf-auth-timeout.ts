// conf-auth-timeout: authentication_timeout above 60s lets clients that never finish
// authenticating hold connection slots for that long (CIS PostgreSQL Benchmark).
// The judgement is shared with the live audit (core/conf/judge), so the file and the
// server can never disagree about what is weak.

import { ConfRule, judgedFindings } from '../rule';

export const confAuthTimeout: ConfRule = {
  meta: {
    id: 'conf-auth-timeout',
    language: 'conf',
    defaultSeverity: 'info',
    description: 'authentication_timeout above 60s: unauthenticated clients may hold connection slots for minutes.',
    fixable: true,
  },
  check(doc) {
    return judgedFindings(doc, 'conf-auth-timeout');
  },
};
