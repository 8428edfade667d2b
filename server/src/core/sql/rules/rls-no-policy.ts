// rls-no-policy: TODO one line on what and why.

import { SqlRule } from '../rule';

export const rlsNoPolicy: SqlRule = {
  meta: {
    id: 'rls-no-policy',
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
