// privileged-role-attribute: TODO one line on what and why.

import { SqlRule } from '../rule';

export const privilegedRoleAttribute: SqlRule = {
  meta: {
    id: 'privileged-role-attribute',
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
