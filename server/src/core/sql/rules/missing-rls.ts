// missing-rls: TODO one line on what and why.

import { SqlRule } from '../rule';

export const missingRls: SqlRule = {
  meta: {
    id: 'missing-rls',
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
