// conf-pgaudit: pgaudit is loaded but pgaudit.log leaves out ddl or write, so auditing
// looks enabled and records no schema or data change (CIS PostgreSQL Benchmark 3.2).
// The judgement is shared with the live audit (core/conf/judge), so the file and the
// server can never disagree about what is weak.

import { ConfRule, judgedFindings } from '../rule';

export const confPgaudit: ConfRule = {
  meta: {
    id: 'conf-pgaudit',
    language: 'conf',
    defaultSeverity: 'warning',
    description: 'pgaudit loaded with a pgaudit.log that leaves out ddl or write: schema or data changes leave no audit record.',
    fixable: true,
  },
  check(doc) {
    return judgedFindings(doc, 'conf-pgaudit');
  },
};
