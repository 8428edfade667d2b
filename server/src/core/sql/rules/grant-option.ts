// grant-option: TODO one line on what and why.

import { SqlRule } from '../rule';

export const grantOption: SqlRule = {
  meta: {
    id: 'grant-option',
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
