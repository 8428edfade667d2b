// rls-not-forced: TODO one line on what and why.

import { SqlRule } from '../rule';

export const rlsNotForced: SqlRule = {
  meta: {
    id: 'rls-not-forced',
    language: 'sql',
    defaultSeverity: 'warning',
    description: 'TODO',
    fixable: false,
  },
  types: [],
  check() {
    return [];
  },
};
