// Catalog reads for the live RLS rules: what each view reads, and a function's stored
// search_path as a list. pg_rewrite and pg_depend are readable by every role.

import type { SnapshotViewReads } from '../core/live/snapshot';
import { Session } from './session';

/**
 * The relations each view and materialized view of a user schema reads, from the
 * dependencies of its _RETURN rule (what PostgreSQL itself uses to refuse a DROP).
 */
export async function readViewReads(session: Session): Promise<SnapshotViewReads[]> {
  const rows = await session.query<{ vs: string; vn: string; reads: Array<{ schema: string; name: string }> }>(
    `SELECT vn.nspname AS vs, v.relname AS vn,
            pg_catalog.jsonb_agg(DISTINCT pg_catalog.jsonb_build_object('schema', tn.nspname, 'name', t.relname)) AS reads
       FROM pg_catalog.pg_class v
       JOIN pg_catalog.pg_namespace vn ON vn.oid = v.relnamespace
       JOIN pg_catalog.pg_rewrite r ON r.ev_class = v.oid
       JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = r.oid
                                  AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
       JOIN pg_catalog.pg_class t ON t.oid = d.refobjid AND t.oid <> v.oid AND t.relkind IN ('r', 'p', 'v', 'm', 'f')
       JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
      WHERE v.relkind IN ('v', 'm')
        AND vn.nspname NOT IN ('pg_catalog', 'information_schema') AND vn.nspname NOT LIKE 'pg\\_toast%'
      GROUP BY vn.nspname, v.relname
      ORDER BY vn.nspname COLLATE "C", v.relname COLLATE "C"`,
  );
  return rows.map((r) => ({
    schema: r.vs,
    name: r.vn,
    reads: [...r.reads].sort((a, b) => (a.schema + '.' + a.name < b.schema + '.' + b.name ? -1 : 1)),
  }));
}

/**
 * proconfig's `search_path=...` value as schema names: PostgreSQL stores the list as
 * written after normalising it, with identifiers quoted where needed (`"My Schema", public`).
 */
export function searchPathList(value: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^,\s]+))\s*(?:,|$)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < value.length && (m = re.exec(value))) {
    out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2].toLowerCase());
    if (m[0] === '') break;
  }
  return out;
}
