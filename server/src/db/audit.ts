// The live audit: db-* findings computed from a connected server's catalog. Each rule is
// data (RuleMeta) plus a pure check over a snapshot, so the checks are testable without
// a server; audit() reads the snapshot, runs the checks, and applies pgwarden.json
// severities. pg_hba.conf is audited by running the pg_hba rules of core/hba over the
// records the server reports in pg_hba_file_rules, where the session may read it.

import ipaddr from 'ipaddr.js';
import { defaultConfig, PgwardenConfig } from '../core/config';
import { lintHba } from '../core/hba/lint';
import { RULES_BY_ID } from '../core/registry';
import { Finding, ruleEnabled, Severity } from '../core/rules';
import { quoteIdent } from '../core/identifier';
import { LineIndex } from '../core/text';
import { Workspace } from '../core/workspace';
import { loadTables, passwordTypes } from './catalog';
import { DB_RULES } from './rules';
import { DbError, Session } from './session';
import { AuditObjectKind, DbFinding, PasswordType, TableInfo } from './types';

export interface AuditOptions {
  config?: PgwardenConfig;
}

export interface AuditResult {
  findings: DbFinding[];
  /** Checks that could not run, with why (e.g. pg_authid or pg_hba_file_rules not readable). */
  skipped: string[];
  /** Checks that ran with less than they could read, and what they lacked. */
  notes: string[];
}

/** Everything the checks look at: read once, checked by pure functions. */
export interface AuditSnapshot {
  roles: Array<{ name: string; oid: number; superuser: boolean; login: boolean; bypassrls: boolean; predefined: boolean }>;
  /** Password types by role, or undefined when pg_authid is not readable. */
  passwords: Map<string, PasswordType> | undefined;
  tables: TableInfo[];
  schemas: Array<{ name: string; publicCreate: boolean }>;
  functions: Array<{ signature: string; securityDefiner: boolean; setsSearchPath: boolean; publicExecute: boolean; owner: string }>;
  passwordEncryption: string;
  languages: Array<{ name: string; trusted: boolean }>;
}

type Raw = Omit<DbFinding, 'severity'> & { severity?: Severity };

/** Runs every db-* check over a snapshot. Pure. */
export function checkSnapshot(s: AuditSnapshot, config: PgwardenConfig): Raw[] {
  const out: Raw[] = [];
  const add = (ruleId: string, objectKind: AuditObjectKind, object: string, message: string) => out.push({ ruleId, objectKind, object, message });

  const loginSupers = s.roles.filter((r) => r.superuser && r.login);
  if (loginSupers.length > 1) {
    // The bootstrap superuser (oid 10) is the one that is expected; report the others.
    const keep = loginSupers.find((r) => r.oid === 10) ?? [...loginSupers].sort((a, b) => a.oid - b.oid)[0];
    const names = loginSupers.map((r) => r.name).join(', ');
    for (const r of loginSupers) {
      if (r === keep) continue;
      add('db-superuser-login', 'role', r.name, `Role "${r.name}" is a superuser that can log in; ${loginSupers.length} superusers can log in (${names}). Keep one, and give "${r.name}" NOSUPERUSER or NOLOGIN with only the privileges it needs.`);
    }
  }
  for (const r of s.roles) {
    if (r.bypassrls && !r.superuser && !r.predefined) {
      add('db-bypassrls', 'role', r.name, `Role "${r.name}" has BYPASSRLS: every row-level security policy is ignored for it${r.login ? ' and it can log in' : ''}. Use ALTER ROLE ${quoteIdent(r.name)} NOBYPASSRLS and write policies for what it needs.`);
    }
  }
  if (s.passwords) {
    for (const r of s.roles) {
      if (s.passwords.get(r.name) === 'md5') {
        add('db-md5-password', 'role', r.name, `Role "${r.name}" has an MD5 password hash. With password_encryption = 'scram-sha-256', set its password again (\\password ${quoteIdent(r.name)} in psql) to store a SCRAM verifier.`);
      }
    }
  }

  const inRlsScope = (schema: string) => config.rlsSchemas === null || config.rlsSchemas.includes(schema);
  for (const t of s.tables) {
    const name = `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
    const isTable = t.kind === 'table' || t.kind === 'partitioned table';
    // Without pg_policy the policies are unknown, not absent: the policy checks stay silent.
    const policiesKnown = !t.policiesUnreadable;
    if (isTable && inRlsScope(t.schema)) {
      if (!t.rls) {
        const others = [...new Set(t.grants.filter((g) => g.grantee !== t.owner && RLS_PRIVILEGES.has(g.privilege)).map((g) => g.grantee))].sort();
        if (others.length) {
          add('db-rls-off-granted', 'table', name, `Table ${name} has row-level security off but is granted to ${others.map((g) => (g === 'PUBLIC' ? 'PUBLIC' : `"${g}"`)).join(', ')}: they see and change every row. Enable it with ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY and add policies.`);
        }
      } else if (t.policies.length === 0 && policiesKnown) {
        add('db-rls-no-policy', 'table', name, `Table ${name} has row-level security enabled but no policy: every role but its owner sees no rows. Add a policy with CREATE POLICY, or disable RLS if the table is meant to be owner-only.`);
      }
    }
    if (isTable && t.rls) {
      for (const p of t.policies) {
        if (!p.permissive) continue;
        const clauses = [p.using !== null && isTrue(p.using) ? 'USING (true)' : '', p.withCheck !== null && isTrue(p.withCheck) ? 'WITH CHECK (true)' : ''].filter(Boolean);
        if (clauses.length) {
          add('db-policy-always-true', 'table', name, `Policy "${p.name}" on ${name} (${p.command}, for ${p.roles.join(', ')}) has ${clauses.join(' and ')}: it lets those roles ${clauses[0].startsWith('USING') ? 'see' : 'write'} every row, as if row-level security were off.`);
        }
      }
    }
    const pub = [...new Set(t.grants.filter((g) => g.grantee === 'PUBLIC').map((g) => g.privilege))];
    if (pub.length) {
      add('db-public-table-privilege', 'table', name, `PUBLIC holds ${pub.join(', ')} on ${t.kind} ${name}: every role, including ones created later, has it. REVOKE ${pub.join(', ')} ON ${name} FROM PUBLIC and grant it to the roles that need it.`);
    }
  }
  for (const sc of s.schemas) {
    if (sc.publicCreate) {
      add('db-public-schema-create', 'schema', quoteIdent(sc.name), `PUBLIC may CREATE in schema ${quoteIdent(sc.name)}: any role can create objects there that shadow functions and tables other roles use. REVOKE CREATE ON SCHEMA ${quoteIdent(sc.name)} FROM PUBLIC.`);
    }
  }
  for (const f of s.functions) {
    if (!f.securityDefiner) continue;
    if (!f.setsSearchPath) {
      add('db-definer-search-path', 'function', f.signature, `SECURITY DEFINER function ${f.signature} (owner "${f.owner}") does not set search_path: a caller can put their own objects first and run them with the owner's rights. ALTER FUNCTION ${f.signature} SET search_path = pg_catalog, pg_temp.`);
    }
    if (f.publicExecute) {
      add('db-public-function-execute', 'function', f.signature, `SECURITY DEFINER function ${f.signature} is executable by PUBLIC: every role runs it with the rights of "${f.owner}". REVOKE EXECUTE ON FUNCTION ${f.signature} FROM PUBLIC and grant it to the roles that need it.`);
    }
  }
  if (s.passwordEncryption !== 'scram-sha-256') {
    add('db-password-encryption', 'setting', 'password_encryption', `password_encryption is '${s.passwordEncryption}': new and changed passwords are stored as MD5 hashes. Set password_encryption = 'scram-sha-256' in postgresql.conf.`);
  }
  for (const l of s.languages) {
    if (!l.trusted) {
      add('db-untrusted-language', 'language', quoteIdent(l.name), `The untrusted language ${quoteIdent(l.name)} is installed: its functions run outside PostgreSQL's sandbox with the server's operating-system rights. Drop it unless it is needed.`);
    }
  }
  return out;
}

/** Privileges row-level security governs. */
const RLS_PRIVILEGES = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);

function isTrue(expr: string): boolean {
  return /^\(*\s*true\s*\)*$/i.test(expr.trim());
}

const USER_SCHEMA = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

/** Reads the catalog into a snapshot. */
export async function readSnapshot(session: Session, skipped: string[]): Promise<AuditSnapshot> {
  const roles = (
    await session.query<{ name: string; oid: string; superuser: boolean; login: boolean; bypassrls: boolean; predefined: boolean }>(
      `SELECT r.rolname AS name, r.oid::text AS oid, r.rolsuper AS superuser, r.rolcanlogin AS login, r.rolbypassrls AS bypassrls,
              (r.oid < 16384 AND r.rolname LIKE 'pg\\_%') AS predefined
         FROM pg_catalog.pg_roles r ORDER BY r.rolname COLLATE "C"`,
    )
  ).map((r) => ({ ...r, oid: Number(r.oid) }));
  const passwords = await passwordTypes(session);
  if (!passwords) skipped.push('db-md5-password: pg_authid is readable only by superusers');
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
  const schemas = await part('db-public-schema-create', [] as AuditSnapshot['schemas'], async () => (
    await session.query<{ name: string; pc: boolean }>(
      `SELECT n.nspname AS name,
              EXISTS (SELECT 1 FROM pg_catalog.aclexplode(COALESCE(n.nspacl, pg_catalog.acldefault('n'::"char", n.nspowner))) a
                       WHERE a.grantee = 0 AND a.privilege_type = 'CREATE') AS pc
         FROM pg_catalog.pg_namespace n WHERE ${USER_SCHEMA} ORDER BY n.nspname COLLATE "C"`,
    )
  ).map((r) => ({ name: r.name, publicCreate: r.pc })));
  // Functions in user schemas that no extension installed: an extension's functions are
  // its author's to fix, and flagging them would bury the user's own.
  const functions = await part('db-definer-search-path, db-public-function-execute', [] as AuditSnapshot['functions'], async () => (
    await session.query<{ sig: string; secdef: boolean; sp: boolean; pub: boolean; owner: string }>(
      `SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname) || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' AS sig,
              p.prosecdef AS secdef,
              EXISTS (SELECT 1 FROM pg_catalog.unnest(p.proconfig) c WHERE c LIKE 'search\\_path=%') AS sp,
              EXISTS (SELECT 1 FROM pg_catalog.aclexplode(COALESCE(p.proacl, pg_catalog.acldefault('f'::"char", p.proowner))) a
                       WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE') AS pub,
              pg_catalog.pg_get_userbyid(p.proowner) AS owner
         FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        WHERE p.prosecdef AND ${USER_SCHEMA}
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                           WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype = 'e')
        ORDER BY 1`,
    )
  ).map((r) => ({ signature: r.sig, securityDefiner: r.secdef, setsSearchPath: r.sp, publicExecute: r.pub, owner: r.owner })));
  const [{ pe }] = await session.query<{ pe: string }>(`SELECT pg_catalog.current_setting('password_encryption') AS pe`);
  const languages = await part('db-untrusted-language', [] as AuditSnapshot['languages'], async () => (
    await session.query<{ name: string; trusted: boolean }>(
      `SELECT l.lanname AS name, l.lanpltrusted AS trusted FROM pg_catalog.pg_language l WHERE l.lanispl ORDER BY l.lanname COLLATE "C"`,
    )
  ).map((r) => ({ name: r.name, trusted: r.trusted })));
  return { roles, passwords, tables, schemas, functions, passwordEncryption: pe, languages };
}

export interface HbaRow {
  line: number;
  file: string;
  type: string | null;
  database: string[] | null;
  user: string[] | null;
  address: string | null;
  netmask: string | null;
  method: string | null;
  options: string[] | null;
  error: string | null;
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
  try {
    const [may] = await session.query<{ sel: boolean | null; exec: boolean | null }>(
      `SELECT pg_catalog.has_table_privilege('pg_catalog.pg_hba_file_rules', 'SELECT') AS sel,
              pg_catalog.has_function_privilege(pg_catalog.to_regprocedure('pg_catalog.pg_hba_file_rules()'), 'EXECUTE') AS exec`,
    );
    const missing = [may.sel === false ? 'SELECT on pg_catalog.pg_hba_file_rules' : '', may.exec === false ? 'EXECUTE on function pg_catalog.pg_hba_file_rules()' : ''].filter(Boolean);
    if (missing.length) {
      skipped.push(`pg_hba rules: this role lacks ${missing.join(' and ')} (superusers have both; GRANT them to let this role audit pg_hba.conf)`);
      return undefined;
    }
    const rows = await session.query<{ j: Record<string, unknown> }>(
      // to_jsonb reads file_name where it exists (16+) and leaves it out before.
      `SELECT pg_catalog.to_jsonb(h) AS j FROM pg_catalog.pg_hba_file_rules h ORDER BY h.line_number`,
    );
    let file = NEUTRAL_HBA_FILE;
    if (rows.some(({ j }) => typeof j.file_name !== 'string')) {
      // pg_settings leaves out the settings this role may not see, where current_setting() would fail.
      const [setting] = await session.query<{ f: string | null }>(`SELECT s.setting AS f FROM pg_catalog.pg_settings s WHERE s.name = 'hba_file'`);
      if (setting?.f) file = setting.f;
      else notes.push(`pg_hba findings name the file "${NEUTRAL_HBA_FILE}" because its path (the hba_file setting) is visible only to roles with pg_read_all_settings`);
    }
    return rows.map(({ j }) => ({
      line: Number(j.line_number),
      file: typeof j.file_name === 'string' ? j.file_name : file,
      type: (j.type as string | null) ?? null,
      database: (j.database as string[] | null) ?? null,
      user: (j.user_name as string[] | null) ?? null,
      address: (j.address as string | null) ?? null,
      netmask: (j.netmask as string | null) ?? null,
      method: (j.auth_method as string | null) ?? null,
      options: (j.options as string[] | null) ?? null,
      error: (j.error as string | null) ?? null,
    }));
  } catch (err) {
    if (err instanceof DbError && err.kind === 'permission') {
      skipped.push(`pg_hba rules: ${err.message.replace(/^permission denied on .*? \(sslmode=[^)]*\): /, '')}`);
      return undefined;
    }
    throw err;
  }
}

/**
 * Rebuilds one pg_hba.conf text per file from the server's records, each record on its
 * own line number, so the pg_hba rules report the lines the server reports. The view
 * has dropped the original quoting, so names are re-quoted where they need it.
 */
export function hbaTexts(rows: readonly HbaRow[]): Map<string, string> {
  const byFile = new Map<string, string[]>();
  for (const r of rows) {
    if (!r.type || r.error) continue;
    const lines = byFile.get(r.file) ?? [];
    byFile.set(r.file, lines);
    while (lines.length < r.line - 1) lines.push('');
    const fields = [r.type, list(r.database), list(r.user)];
    if (r.type !== 'local') fields.push(address(r.address, r.netmask));
    fields.push(r.method ?? '');
    for (const o of r.options ?? []) {
      const eq = o.indexOf('=');
      fields.push(eq < 0 ? o : `${o.slice(0, eq)}=${quoteHba(o.slice(eq + 1))}`);
    }
    lines[r.line - 1] = fields.join(' ');
  }
  return new Map([...byFile].map(([f, l]) => [f, l.join('\n') + '\n']));
}

function list(v: string[] | null): string {
  return (v ?? ['all']).map(quoteHba).join(',');
}

const HBA_KEYWORDS = new Set(['all', 'sameuser', 'samerole', 'samegroup', 'replication', 'samehost', 'samenet']);

function quoteHba(s: string): string {
  // A name spelled like a keyword in another case was necessarily a plain name (only
  // lower-case keywords count), so quoting it keeps its meaning and avoids a case warning.
  const keywordLike = HBA_KEYWORDS.has(s.toLowerCase()) && s !== s.toLowerCase();
  return /^[A-Za-z0-9_.+@/:$*^-]+$/.test(s) && !keywordLike ? s : `"${s.replace(/"/g, '""')}"`;
}

/**
 * pg_hba rules that judge the file's spelling rather than its meaning. The rebuilt text
 * has lost the original spelling and quoting, and the server has already parsed every
 * line it reports without error, so these would only report the rebuilding.
 */
const SPELLING_RULES = new Set(['hba-syntax', 'hba-keyword-case']);

function address(addr: string | null, mask: string | null): string {
  if (!addr) return 'all';
  if (!mask) return addr;
  try {
    return `${addr}/${ipaddr.parse(mask).prefixLengthFromSubnetMask()}`;
  } catch {
    return `${addr} ${mask}`;
  }
}

/** Runs the pg_hba rules over the server's records; findings carry the server's file and line. */
export function auditHba(rows: readonly HbaRow[], config: PgwardenConfig): Raw[] {
  const out: Raw[] = [];
  for (const [file, text] of hbaTexts(rows)) {
    let found: Finding[];
    try {
      found = lintHba({ uri: `file://${file}`, text }, { workspace: new Workspace(), config }).findings;
    } catch {
      // A failure of the pg_hba rules must not take the rest of the audit down.
      continue;
    }
    const lines = new LineIndex(text);
    const textLines = text.split('\n');
    for (const f of found) {
      if (SPELLING_RULES.has(f.ruleId)) continue;
      const line = lines.positionAt(f.start).line + 1;
      out.push({
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        object: textLines[line - 1] ?? '',
        objectKind: 'hba',
        file,
        line,
      });
    }
  }
  return out;
}

/**
 * The live audit. Severities follow pgwarden.json; rules set to "off" are dropped.
 * Checks the session may not read are listed in `skipped` instead of failing.
 */
export async function audit(session: Session, opts: AuditOptions = {}): Promise<AuditResult> {
  const config = opts.config ?? defaultConfig();
  const skipped: string[] = [];
  const snapshot = await readSnapshot(session, skipped);
  const raw = checkSnapshot(snapshot, config);
  const notes: string[] = [];
  const hba = await readHbaRules(session, skipped, notes);
  if (hba) raw.push(...auditHba(hba, config));
  return { findings: applySeverities(raw, config), skipped, notes };
}

/** The engine's severity resolution, for findings located on catalog objects instead of offsets. */
function applySeverities(raw: Raw[], config: PgwardenConfig): DbFinding[] {
  const out: DbFinding[] = [];
  for (const f of raw) {
    const setting = config.rules[f.ruleId];
    if (setting === 'off' || !ruleEnabled(RULES_BY_ID.get(f.ruleId), setting)) continue;
    const severity: Severity = setting ?? f.severity ?? RULES_BY_ID.get(f.ruleId)?.defaultSeverity ?? DB_RULES.find((m) => m.id === f.ruleId)?.defaultSeverity ?? 'warning';
    out.push({ ...f, severity });
  }
  return out;
}
