// predefined-role-grant: TODO one line on what and why.

import { SqlRule } from '../rule';

export const predefinedRoleGrant: SqlRule = {
  meta: {
    id: 'predefined-role-grant',
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
