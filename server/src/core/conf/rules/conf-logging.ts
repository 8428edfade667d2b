// conf-logging: settings that leave an audit trail with holes: connections or
// disconnections not logged, no statements logged (log_statement none), a log_line_prefix
// that does not say when, which process, who, in which database and from where, warnings
// or failing statements left out, and (as advice) debug output, terse errors, reverse DNS
// names and unlogged replication commands.
// The judgement is shared with the live audit (core/conf/judge), so the file and the
// server can never disagree about what is weak.

import { ConfRule, judgedFindings } from '../rule';

export const confLogging: ConfRule = {
  meta: {
    id: 'conf-logging',
    language: 'conf',
    defaultSeverity: 'warning',
    description: 'Logging that leaves gaps in the audit trail: connections, disconnections, statements, errors or replication commands not logged, or log_line_prefix without time, process, user, database, application and host.',
    fixable: true,
  },
  check(doc) {
    return judgedFindings(doc, 'conf-logging');
  },
};
