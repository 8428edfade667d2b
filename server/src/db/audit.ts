// The live audit's I/O: reads the catalog snapshot the live rules judge (core/live), as
// the session may see it, and runs the audit over it. Every part the role may not read
// is listed in `skipped` with why, and its rules stay silent rather than guess.

import { defaultConfig, PgwardenConfig } from '../core/config';
import { enabledSkips, runLiveAudit } from '../core/live/audit';
import type { HbaRow, IdentRow } from '../core/live/hba';
import type { LiveSnapshot, SnapshotRole } from '../core/live/snapshot';
import { loadParser } from '../core/sql/parser';
import { loadMemberships, loadTables, passwordTypes } from './catalog';
import { readRolePosture } from './role-posture';
import { readServerPosture } from './server-posture';
import { readRlsDetails } from './rls-details';
import { readViewReads, searchPathList } from './views';
import { DbError, Session } from './session';
import { readServerSettings } from './settings';
import { settingRow } from '../core/live/settings';
import { DbFinding } from './types';

export interface AuditOptions {
  config?: PgwardenConfig;
  /** Called when a rule throws: the others still run. */
  onInternalError?: (ruleId: string, err: unknown) => void;
}

export interface AuditResult {
  findings: DbFinding[];
  /** Checks that could not run, with why (e.g. pg_authid or pg_hba_file_rules not readable). */
  skipped: string[];
  /** Checks that ran with less than they could read, and what they lacked. */
  notes: string[];
  /** The catalog snapshot the findings were judged on (for the HTML report and the role graph). */
  snapshot: LiveSnapshot;
}

/** A snapshot with what could not be read. */
export interface SnapshotRead {
  snapshot: LiveSnapshot;
  skipped: string[];
  notes: string[];
}

const USER_SCHEMA = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

/** Reads the catalog into a snapshot. */
export async function readSnapshot(session: Session, skipped: string[] = [], notes: string[] = []): Promise<LiveSnapshot> {
  const roles = (
    await session.query<Omit<SnapshotRole, 'oid'> & { oid: string }>(
      `SELECT r.rolname AS name, r.oid::text AS oid, r.rolsuper AS superuser, r.rolcanlogin AS login, r.rolbypassrls AS bypassrls,
              (r.oid < 16384 AND r.rolname LIKE 'pg\\_%') AS predefined, r.rolinherit AS inherit, r.rolcreaterole AS createrole,
              r.rolreplication AS replication, r.rolconnlimit AS "connectionLimit", pg_catalog.to_json(r.rolvaliduntil) #>> '{}' AS "validUntil"
         FROM pg_catalog.pg_roles r ORDER BY r.rolname COLLATE "C"`,
    )
  ).map((r) => ({ ...r, oid: Number(r.oid), connectionLimit: Number(r.connectionLimit) }));
  const types = await passwordTypes(session);
  const passwords = types && Object.fromEntries(types);
  if (!passwords) skipped.push('db-md5-password, db-password-no-expiry: pg_authid is readable only by superusers');
  const tables = await loadTables(session);
  if (tables.some((t) => t.policiesUnreadable)) skipped.push('db-rls-no-policy, db-policy-always-true: pg_policy is not readable by this role');
  /** Runs one part of the snapshot; a catalog the role may not read skips that part's rules. */
  const part = async <T>(rules: string, fallback: T, read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (err) {
      if (err instanceof DbError && err.kind === 'permission') {
        skipped.push(`${rules}: ${err.message.replace(/^permission denied on .*? \(sslmode=[^)]*\): /, '')}`);
        return fallback;
      }
      throw err;
    }
  };
  const schemas = await part('db-public-schema-create', [] as LiveSnapshot['schemas'], async () => (
    await session.query<{ name: string; pc: boolean; creators: string[] }>(
      `SELECT n.nspname AS name,
              EXISTS (SELECT 1 FROM pg_catalog.aclexplode(COALESCE(n.nspacl, pg_catalog.acldefault('n'::"char", n.nspowner))) a
                       WHERE a.grantee = 0 AND a.privilege_type = 'CREATE') AS pc,
              ARRAY(SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END
                      FROM pg_catalog.aclexplode(COALESCE(n.nspacl, pg_catalog.acldefault('n'::"char", n.nspowner))) a
                     WHERE a.privilege_type = 'CREATE'
                    UNION SELECT pg_catalog.pg_get_userbyid(n.nspowner)::text) AS creators
         FROM pg_catalog.pg_namespace n WHERE ${USER_SCHEMA} ORDER BY n.nspname COLLATE "C"`,
    )
  ).map((r) => ({ name: r.name, publicCreate: r.pc, creators: [...r.creators].sort() })));
  // Functions in user schemas that no extension installed: an extension's functions are
  // its author's to fix, and flagging them would bury the user's own.
  const functions = await part('db-definer-search-path, db-public-function-execute', [] as LiveSnapshot['functions'], async () => (
    await session.query<{ sig: string; secdef: boolean; sp: boolean; pub: boolean; owner: string; path: string | null; grantees: string[] }>(
      `SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname) || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' AS sig,
              p.prosecdef AS secdef,
              EXISTS (SELECT 1 FROM pg_catalog.unnest(p.proconfig) c WHERE c LIKE 'search\\_path=%') AS sp,
              EXISTS (SELECT 1 FROM pg_catalog.aclexplode(COALESCE(p.proacl, pg_catalog.acldefault('f'::"char", p.proowner))) a
                       WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE') AS pub,
              pg_catalog.pg_get_userbyid(p.proowner) AS owner,
              (SELECT pg_catalog.substr(c, 13) FROM pg_catalog.unnest(p.proconfig) c WHERE c LIKE 'search\\_path=%' LIMIT 1) AS path,
              ARRAY(SELECT DISTINCT pg_catalog.pg_get_userbyid(a.grantee)::text
                      FROM pg_catalog.aclexplode(COALESCE(p.proacl, pg_catalog.acldefault('f'::"char", p.proowner))) a
                     WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> 0 AND a.grantee <> p.proowner) AS grantees
         FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        WHERE p.prosecdef AND ${USER_SCHEMA}
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                           WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype = 'e')
        ORDER BY 1`,
    )
  ).map((r) => ({
    signature: r.sig,
    securityDefiner: r.secdef,
    setsSearchPath: r.sp,
    publicExecute: r.pub,
    owner: r.owner,
    searchPath: r.path === null ? undefined : searchPathList(r.path),
    executeGrantees: [...r.grantees].sort(),
  })));
  const [{ pe }] = await session.query<{ pe: string }>(`SELECT pg_catalog.current_setting('password_encryption') AS pe`);
  const languages = await part('db-untrusted-language', [] as LiveSnapshot['languages'], async () => (
    await session.query<{ name: string; trusted: boolean }>(
      `SELECT l.lanname AS name, l.lanpltrusted AS trusted FROM pg_catalog.pg_language l WHERE l.lanispl ORDER BY l.lanname COLLATE "C"`,
    )
  ).map((r) => ({ name: r.name, trusted: r.trusted })));
  // pg_auth_members is readable by every role.
  const memberships = (await loadMemberships(session)).map(({ role, member, admin, inherit, set }) => ({ role, member, admin, inherit, set }));
  const hba = await readHbaRules(session, skipped, notes);
  const settings = await readServerSettings(session, skipped, notes);
  const ident = await readIdentMappings(session, skipped);
  const [{ cu }] = await session.query<{ cu: string }>(`SELECT current_user AS cu`);
  const viewReads = await readViewReads(session);
  const posture = await readRolePosture(session, part);
  const server = await readServerPosture(session, part);
  const rlsDetails = await readRlsDetails(session, part);
  if (server.tablespaces?.length && !settingRow(settings, 'data_directory')) {
    skipped.push('db-tablespace-in-datadir: data_directory is visible only to superusers and members of pg_read_all_settings (or pg_monitor)');
  }
  if (!hba) skipped.push("db-database-public-connect: whether PUBLIC's CONNECT lets every role in depends on pg_hba.conf, and pg_hba_file_rules is not readable");
  return { roles, passwords, tables, schemas, functions, passwordEncryption: pe, languages, memberships, serverMajor: session.major, hba, settings, ident, currentUser: cu, viewReads, ...posture, ...server, rlsDetails };
}

/** The file name pg_hba findings carry when the server hides hba_file (before 16). */
export const NEUTRAL_HBA_FILE = 'pg_hba.conf';

/**
 * pg_hba_file_rules, or undefined when the session may not read it. Reading it takes
 * SELECT on the view and EXECUTE on its function, both granted only to superusers by
 * default; a role given both reads it like a superuser. The records' file is the row's
 * file_name on 16+; before 16 it is the hba_file setting, which only roles with
 * pg_read_all_settings may see, so without it the findings name a neutral
 * "pg_hba.conf". Each limit is explained, naming the privilege it lacks: in `skipped`
 * when the rules cannot run, in `notes` when they run with less.
 */
export async function readHbaRules(session: Session, skipped: string[] = [], notes: string[] = []): Promise<HbaRow[] | undefined> {
  const rows = await readAuthFileView(session, HBA_VIEW, skipped, notes);
  return rows?.map(({ j, file }) => ({
    line: Number(j.line_number),
    file,
    type: (j.type as string | null) ?? null,
    database: (j.database as string[] | null) ?? null,
    user: (j.user_name as string[] | null) ?? null,
    address: (j.address as string | null) ?? null,
    netmask: (j.netmask as string | null) ?? null,
    method: (j.auth_method as string | null) ?? null,
    options: (j.options as string[] | null) ?? null,
    error: (j.error as string | null) ?? null,
  }));
}

/**
 * pg_ident_file_mappings (15+), or undefined when the server has no such view or the
 * session may not read it. Like pg_hba_file_rules it needs SELECT on the view and EXECUTE
 * on its function (superusers only, by default); the file is file_name on 16+, else the
 * ident_file setting (pg_read_all_settings), else a neutral "pg_ident.conf". A missing
 * privilege is listed in `skipped`, as for pg_hba_file_rules.
 */
export async function readIdentMappings(session: Session, skipped: string[] = []): Promise<IdentRow[] | undefined> {
  const rows = await readAuthFileView(session, IDENT_VIEW, skipped);
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return rows?.map(({ j, file }) => ({
    line: Number(j.line_number),
    file,
    map: text(j.map_name),
    sys: text(j.sys_name),
    pg: text(j.pg_username),
    error: text(j.error),
  }));
}

/** One of the server's views of an authentication file, and how its findings are explained. */
interface AuthFileView {
  /** The view, which is also the name of the function behind it. */
  view: string;
  /** `pg_hba` or `pg_ident`: the rules the view feeds, as `skipped` names them. */
  rules: string;
  /** The file's usual name, and what findings name when the server hides the path. */
  file: string;
  /** The setting holding the file's path before 16 (visible with pg_read_all_settings). */
  setting: string;
  /** Its rows as JSON, in file order (to_jsonb reads file_name where it exists, 16+, and leaves it out before). */
  readRows(session: Session): Promise<Array<{ j: Record<string, unknown> }>>;
}

const HBA_VIEW: AuthFileView = {
  view: 'pg_hba_file_rules',
  rules: 'pg_hba',
  file: NEUTRAL_HBA_FILE,
  setting: 'hba_file',
  readRows: (session) =>
    session.query<{ j: Record<string, unknown> }>(`SELECT pg_catalog.to_jsonb(r) AS j FROM pg_catalog.pg_hba_file_rules r ORDER BY r.line_number`),
};
const IDENT_VIEW: AuthFileView = {
  view: 'pg_ident_file_mappings',
  rules: 'pg_ident',
  file: 'pg_ident.conf',
  setting: 'ident_file',
  readRows: (session) =>
    session.query<{ j: Record<string, unknown> }>(`SELECT pg_catalog.to_jsonb(r) AS j FROM pg_catalog.pg_ident_file_mappings r ORDER BY r.line_number`),
};

/**
 * The rows of an authentication file's view with the file each comes from, or undefined
 * when the server has no such view (pg_ident_file_mappings before 15) or the session may
 * not read it. Reading takes SELECT on the view and EXECUTE on its function, both granted
 * only to superusers by default; a missing privilege is listed in `skipped`. The file is
 * the row's file_name on 16+, else the path setting, else the neutral name; with `notes`,
 * the neutral name is explained there.
 */
async function readAuthFileView(session: Session, v: AuthFileView, skipped: string[], notes?: string[]): Promise<Array<{ j: Record<string, unknown>; file: string }> | undefined> {
  try {
    const [may] = await session.query<{ view: boolean; sel: boolean | null; exec: boolean | null }>(
      `SELECT pg_catalog.to_regclass($1) IS NOT NULL AS view,
              pg_catalog.has_table_privilege(pg_catalog.to_regclass($1), 'SELECT') AS sel,
              pg_catalog.has_function_privilege(pg_catalog.to_regprocedure($2), 'EXECUTE') AS exec`,
      [`pg_catalog.${v.view}`, `pg_catalog.${v.view}()`],
    );
    // pg_ident_file_mappings is new in 15: before, the server shows its maps nowhere, and the
    // pg_hba rules judge map= without them, as for a workspace without pg_ident.conf.
    if (!may.view) return undefined;
    const missing = [may.sel === false ? `SELECT on pg_catalog.${v.view}` : '', may.exec === false ? `EXECUTE on function pg_catalog.${v.view}()` : ''].filter(Boolean);
    if (missing.length) {
      skipped.push(`${v.rules} rules: this role lacks ${missing.join(' and ')} (superusers have both; GRANT them to let this role audit ${v.file})`);
      return undefined;
    }
    const rows = await v.readRows(session);
    let file = v.file;
    if (rows.some(({ j }) => typeof j.file_name !== 'string')) {
      // pg_settings leaves out the settings this role may not see, where current_setting() would fail.
      const [setting] = await session.query<{ f: string | null }>(`SELECT s.setting AS f FROM pg_catalog.pg_settings s WHERE s.name = $1`, [v.setting]);
      if (setting?.f) file = setting.f;
      else notes?.push(`${v.rules} findings name the file "${v.file}" because its path (the ${v.setting} setting) is visible only to roles with pg_read_all_settings`);
    }
    return rows.map(({ j }) => ({ j, file: typeof j.file_name === 'string' ? j.file_name : file }));
  } catch (err) {
    if (err instanceof DbError && err.kind === 'permission') {
      skipped.push(`${v.rules} rules: ${err.message.replace(/^permission denied on .*? \(sslmode=[^)]*\): /, '')}`);
      return undefined;
    }
    throw err;
  }
}

/**
 * The live audit. Severities follow pgwarden.json; rules set to "off" are dropped.
 * Checks the session may not read are listed in `skipped` instead of failing.
 */
export async function audit(session: Session, opts: AuditOptions = {}): Promise<AuditResult> {
  const { snapshot, skipped, notes } = await readAuditSnapshot(session);
  // db-policy-always-true parses the catalog's policy expressions.
  await loadParser();
  const config = opts.config ?? defaultConfig();
  return { findings: runLiveAudit(snapshot, config, opts.onInternalError), skipped: enabledSkips(skipped, config), notes, snapshot };
}

/** The snapshot the audit judges, with what this role could not read. */
export async function readAuditSnapshot(session: Session): Promise<SnapshotRead> {
  const skipped: string[] = [];
  const notes: string[] = [];
  const snapshot = await readSnapshot(session, skipped, notes);
  return { snapshot, skipped, notes };
}
