// weak-password-hash: TODO one line on what and why.

import { SqlRule } from '../rule';

export const weakPasswordHash: SqlRule = {
  meta: {
    id: 'weak-password-hash',
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
