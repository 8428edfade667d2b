// definer-public-execute: TODO one line on what and why.

import { SqlRule } from '../rule';

export const definerPublicExecute: SqlRule = {
  meta: {
    id: 'definer-public-execute',
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
