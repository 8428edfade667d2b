// untrusted-language: TODO one line on what and why.

import { SqlRule } from '../rule';

export const untrustedLanguage: SqlRule = {
  meta: {
    id: 'untrusted-language',
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
