// conf-idle-timeout: idle_in_transaction_session_timeout = 0 lets a session sit in an
// open transaction forever, holding locks and snapshots (and a forgotten, authenticated
// connection open). CIS recommends a limit.
// The judgement is shared with the live audit (core/conf/judge), so the file and the
// server can never disagree about what is weak.

import { ConfRule, judgedFindings } from '../rule';

export const confIdleTimeout: ConfRule = {
  meta: {
    id: 'conf-idle-timeout',
    language: 'conf',
    defaultSeverity: 'info',
    description: 'idle_in_transaction_session_timeout 0: sessions may stay idle in a transaction forever.',
    fixable: true,
  },
  check(doc) {
    return judgedFindings(doc, 'conf-idle-timeout');
  },
};
