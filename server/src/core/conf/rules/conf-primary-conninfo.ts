// conf-primary-conninfo: a standby's primary_conninfo with the replication password in it,
// or an sslmode that lets the WAL stream (every row of every table) travel unencrypted or
// to an impostor.
// The judgement is shared with the live audit (core/conf/judge), so the file and the
// server can never disagree about what is weak.

import { ConfRule, judgedFindings } from '../rule';

export const confPrimaryConninfo: ConfRule = {
  meta: {
    id: 'conf-primary-conninfo',
    language: 'conf',
    defaultSeverity: 'warning',
    description: 'primary_conninfo with a password in it, or an sslmode that may stream the WAL unencrypted or to an impostor.',
    fixable: false,
  },
  check(doc) {
    return judgedFindings(doc, 'conf-primary-conninfo');
  },
};
