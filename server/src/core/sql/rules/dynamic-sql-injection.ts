// dynamic-sql-injection: TODO one line on what and why.

import { SqlRule } from '../rule';

export const dynamicSqlInjection: SqlRule = {
  meta: {
    id: 'dynamic-sql-injection',
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
