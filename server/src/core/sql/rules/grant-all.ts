// grant-all: TODO one line on what and why.

import { SqlRule } from '../rule';

export const grantAll: SqlRule = {
  meta: {
    id: 'grant-all',
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
