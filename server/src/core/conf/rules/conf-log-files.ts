// conf-log-files: where and how the server writes its log: csvlog or jsonlog without the
// logging collector that writes them, log files other users may read (log_file_mode), and
// a log_directory inside the data directory (copied by base backups, fills the data disk).
// The judgement is shared with the live audit (core/conf/judge), so the file and the
// server can never disagree about what is weak.

import { ConfRule, judgedFindings } from '../rule';

export const confLogFiles: ConfRule = {
  meta: {
    id: 'conf-log-files',
    language: 'conf',
    defaultSeverity: 'info',
    description: 'Log files written where they leak or are lost: csvlog/jsonlog without logging_collector, a log_file_mode others can read, log_directory inside the data directory.',
    fixable: true,
  },
  check(doc) {
    return judgedFindings(doc, 'conf-log-files');
  },
};
