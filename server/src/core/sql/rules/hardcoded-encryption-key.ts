// hardcoded-encryption-key: TODO one line on what and why.

import { SqlRule } from '../rule';

export const hardcodedEncryptionKey: SqlRule = {
  meta: {
    id: 'hardcoded-encryption-key',
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
