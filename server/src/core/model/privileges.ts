// PostgreSQL's privilege vocabulary: what ALL means for each object kind, the built-in
// default ACL of a new object (see "Privileges" in the documentation, table 5.2), and the
// privileges a column can carry.

import { AclKind } from './effects';

/** Privileges by object kind, as PostgreSQL 15/16 grant them (MAINTAIN, added in 17, is left out). */
export const ALL_PRIVILEGES: Record<AclKind, readonly string[]> = {
  table: ['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger'],
  sequence: ['usage', 'select', 'update'],
  function: ['execute'],
  schema: ['usage', 'create'],
  type: ['usage'],
  database: ['create', 'connect', 'temporary'],
  language: ['usage'],
  'foreign data wrapper': ['usage'],
  'foreign server': ['usage'],
  'large object': ['select', 'update'],
  tablespace: ['create'],
  parameter: ['set', 'alter system'],
};

export const COLUMN_PRIVILEGES: readonly string[] = ['select', 'insert', 'update', 'references'];

/** Privileges PUBLIC holds on a new object of a kind, before any GRANT or default privilege. */
export function publicDefaults(kind: AclKind): readonly string[] {
  switch (kind) {
    case 'function':
    case 'type':
    case 'language':
      return kind === 'function' ? ['execute'] : ['usage'];
    case 'database':
      return ['connect', 'temporary'];
    default:
      return [];
  }
}

/** A privilege keyword as the model spells it (`temp` is `temporary`). */
export function privilegeName(p: string): string {
  const s = p.toLowerCase();
  return s === 'temp' ? 'temporary' : s;
}
