// security-definer-search-path: TODO one line on what and why.

import { SqlRule } from '../rule';

export const securityDefinerSearchPath: SqlRule = {
  meta: {
    id: 'security-definer-search-path',
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
