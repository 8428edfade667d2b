// conf-listen-all: listen_addresses '*', '0.0.0.0' or '::' makes the server accept TCP
// connections on every interface, so pg_hba.conf and the firewall are the only barriers.
// Often intended on a database host, hence information only and no fix: only the owner
// knows which interface to keep.
// The judgement is shared with the live audit (core/conf/judge), so the file and the
// server can never disagree about what is weak.

import { ConfRule, judgedFindings } from '../rule';

export const confListenAll: ConfRule = {
  meta: {
    id: 'conf-listen-all',
    language: 'conf',
    defaultSeverity: 'info',
    description: "listen_addresses '*' (or 0.0.0.0, ::): the server listens on every network interface.",
    fixable: false,
  },
  check(doc) {
    return judgedFindings(doc, 'conf-listen-all');
  },
};
