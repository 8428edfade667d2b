// hardcoded-password: TODO one line on what and why.

import { SqlRule } from '../rule';

export const hardcodedPassword: SqlRule = {
  meta: {
    id: 'hardcoded-password',
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
