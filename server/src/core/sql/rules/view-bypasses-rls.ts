// view-bypasses-rls: TODO one line on what and why.

import { SqlRule } from '../rule';

export const viewBypassesRls: SqlRule = {
  meta: {
    id: 'view-bypasses-rls',
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
