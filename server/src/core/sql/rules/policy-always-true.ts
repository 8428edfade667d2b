// policy-always-true: TODO one line on what and why.

import { SqlRule } from '../rule';

export const policyAlwaysTrue: SqlRule = {
  meta: {
    id: 'policy-always-true',
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
