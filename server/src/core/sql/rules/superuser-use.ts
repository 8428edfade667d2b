// superuser-use: TODO one line on what and why.

import { SqlRule } from '../rule';

export const superuserUse: SqlRule = {
  meta: {
    id: 'superuser-use',
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
