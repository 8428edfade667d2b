// conf-preload: shared_preload_libraries without the hardening modules pgaudit,
// passwordcheck or credcheck, and auth_delay. Off unless pgwarden.json turns it on: which
// of them matter depends on the deployment (auth_delay is moot with certificate logins).
// The judgement is shared with the live audit (core/conf/judge), so the file and the
// server can never disagree about what is weak.

import { ConfRule, judgedFindings } from '../rule';

export const confPreload: ConfRule = {
  meta: {
    id: 'conf-preload',
    language: 'conf',
    defaultSeverity: 'info',
    description: 'shared_preload_libraries without the hardening modules pgaudit, passwordcheck or credcheck, and auth_delay.',
    fixable: false,
    defaultOff: true,
  },
  check(doc) {
    return judgedFindings(doc, 'conf-preload');
  },
};
