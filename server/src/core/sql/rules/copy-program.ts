// copy-program: TODO one line on what and why.

import { SqlRule } from '../rule';

export const copyProgram: SqlRule = {
  meta: {
    id: 'copy-program',
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
