// weak-setting: TODO one line on what and why.

import { SqlRule } from '../rule';

export const weakSetting: SqlRule = {
  meta: {
    id: 'weak-setting',
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
