// The catalog reads behind the RLS design review (db-policy-review, db-view-review): the
// columns, unique keys and triggers of the tables whose row-level security is on, and each
// view's security_barrier option and the SECURITY DEFINER functions its query calls (the
// dependencies of its _RETURN rule). pg_attribute, pg_index, pg_trigger, pg_rewrite and
// pg_depend are readable by every role. One read per catalog, whatever the table count.

import type { SnapshotRlsDetails } from '../core/live/snapshot';
import type { PartReader } from './role-posture';
import type { Session } from './session';

const USER_SCHEMA = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

export async function readRlsDetails(session: Session, part: PartReader): Promise<SnapshotRlsDetails | undefined> {
  return part('db-policy-review, db-view-review', undefined as SnapshotRlsDetails | undefined, async () => {
    const columns = await session.query<SnapshotRlsDetails['columns'][number]>(
      `SELECT n.nspname AS schema, c.relname AS "table", a.attname AS name, a.attnotnull AS "notNull", a.attidentity <> '' AS identity
         FROM pg_catalog.pg_attribute a
         JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relrowsecurity AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND ${USER_SCHEMA}
        ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C", a.attnum`,
    );
    const uniques = await session.query<SnapshotRlsDetails['uniques'][number]>(
      `SELECT n.nspname AS schema, c.relname AS "table", ic.relname AS name,
              ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
         FROM pg_catalog.pg_index i
         JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
         JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relrowsecurity AND i.indisunique AND NOT i.indisprimary AND i.indexprs IS NULL AND ${USER_SCHEMA}
        ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C", ic.relname COLLATE "C"`,
    );
    const triggers = await session.query<SnapshotRlsDetails['triggers'][number]>(
      `SELECT n.nspname AS schema, c.relname AS "table", t.tgname AS name,
              pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(p.proname) || '()' AS function,
              p.prosecdef AS "securityDefiner", pg_catalog.pg_get_userbyid(p.proowner) AS owner
         FROM pg_catalog.pg_trigger t
         JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
         JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
        WHERE c.relrowsecurity AND NOT t.tgisinternal AND ${USER_SCHEMA}
        ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C", t.tgname COLLATE "C"`,
    );
    const views = await session.query<{ schema: string; name: string; barrier: boolean; calls: Array<{ signature: string; owner: string }> }>(
      `SELECT n.nspname AS schema, v.relname AS name,
              EXISTS (SELECT 1 FROM pg_catalog.unnest(v.reloptions) o WHERE o ~* '^security_barrier=(t|tr|tru|true|y|ye|yes|on|1)$') AS barrier,
              COALESCE((SELECT pg_catalog.jsonb_agg(DISTINCT pg_catalog.jsonb_build_object(
                          'signature', pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(p.proname) || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
                          'owner', pg_catalog.pg_get_userbyid(p.proowner)))
                          FROM pg_catalog.pg_rewrite r
                          JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = r.oid
                                                     AND d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                          JOIN pg_catalog.pg_proc p ON p.oid = d.refobjid AND p.prosecdef
                          JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
                         WHERE r.ev_class = v.oid), '[]'::jsonb) AS calls
         FROM pg_catalog.pg_class v
         JOIN pg_catalog.pg_namespace n ON n.oid = v.relnamespace
        WHERE v.relkind IN ('v', 'm') AND ${USER_SCHEMA}
        ORDER BY n.nspname COLLATE "C", v.relname COLLATE "C"`,
    );
    return {
      columns,
      uniques: uniques.map((u) => ({ ...u, columns: [...u.columns] })),
      triggers,
      views: views.map((v) => ({ schema: v.schema, name: v.name, securityBarrier: v.barrier, definerCalls: [...v.calls].sort((a, b) => (a.signature < b.signature ? -1 : 1)) })),
    };
  });
}
