// The catalog snapshot the live rules judge: everything the audit looks at, read once by
// server/src/db (snapshot.ts there) and checked here by pure functions. Plain JSON, so
// it crosses to the analysis worker and into a table test unchanged.

import type { PasswordType, TableInfo } from './catalog';
import type { HbaRow, IdentRow } from './hba';
import type { ServerSettings } from './settings';

export interface SnapshotRole {
  name: string;
  oid: number;
  superuser: boolean;
  login: boolean;
  bypassrls: boolean;
  /** A predefined pg_* role. */
  predefined: boolean;
  /** rolinherit: before 16 it decides whether the role's memberships pass privileges. */
  inherit: boolean;
  createrole: boolean;
  replication: boolean;
  /** rolconnlimit: -1 is no limit. */
  connectionLimit: number;
  /** rolvaliduntil as ISO text, or null for no expiry. */
  validUntil: string | null;
}

/** A direct role membership: `member` is a member of `role`. On 16+ the grants of several grantors are merged (an option any of them gives counts). */
export interface SnapshotMembership {
  role: string;
  member: string;
  admin: boolean;
  /** 16+: the grant's inherit_option; before 16: the member's rolinherit. */
  inherit: boolean;
  /** 16+: the grant's set_option; before 16 always true. */
  set: boolean;
}

export interface SnapshotSchema {
  name: string;
  publicCreate: boolean;
  /** Who may create objects in it: its owner and every CREATE grantee (`PUBLIC` for PUBLIC). */
  creators?: string[];
}

export interface SnapshotFunction {
  /** quote_ident form with identity arguments: `app.f(integer)`. */
  signature: string;
  securityDefiner: boolean;
  setsSearchPath: boolean;
  publicExecute: boolean;
  owner: string;
  /** The schemas of its own SET search_path, as the catalog stores them (unquoted). */
  searchPath?: string[];
  /** Roles granted EXECUTE directly, owner and PUBLIC left out. */
  executeGrantees?: string[];
}

/** A view or materialized view and the tables and views its query reads (pg_depend of its rewrite rule). */
export interface SnapshotViewReads {
  schema: string;
  name: string;
  reads: Array<{ schema: string; name: string }>;
}

export interface SnapshotDatabase {
  name: string;
  template: boolean;
  allowConnections: boolean;
  publicConnect: boolean;
  publicTemporary: boolean;
}

export interface SnapshotExtension {
  name: string;
  schema: string;
  version: string;
  /** pg_available_extensions.default_version, or null when the server has no control file for it. */
  defaultVersion: string | null;
  relocatable: boolean;
}

/** A tablespace with a directory of its own (pg_default and pg_global, inside the data directory by design, are left out). */
export interface SnapshotTablespace {
  name: string;
  /** pg_tablespace_location(): absolute, or relative to the data directory for an in-place tablespace. */
  location: string;
}

/** A function in a user schema, not an extension's, marked LEAKPROOF. */
export interface SnapshotLeakproofFunction {
  /** quote_ident form with identity arguments: `app.f(integer)`. */
  signature: string;
  owner: string;
  language: string;
}

/** pg_stat_archiver: whether WAL archiving works. Times as ISO text. */
export interface SnapshotArchiver {
  archivedCount: number;
  failedCount: number;
  lastArchivedAt: string | null;
  lastFailedAt: string | null;
  lastFailedWal: string | null;
}

/** What the RLS design checks read besides the policies: the tables' columns, unique keys and triggers, and the views' options and calls. */
export interface SnapshotRlsDetails {
  /** Columns of the tables with row-level security on. */
  columns: Array<{ schema: string; table: string; name: string; notNull: boolean; identity: boolean }>;
  /** Unique constraints and unique indexes (primary keys left out) of those tables, by column; expression indexes left out. */
  uniques: Array<{ schema: string; table: string; name: string; columns: string[] }>;
  /** Triggers (not internal ones) on those tables, with their function. */
  triggers: Array<{ schema: string; table: string; name: string; function: string; securityDefiner: boolean; owner: string }>;
  /** Views and materialized views of user schemas: security_barrier, and the SECURITY DEFINER functions their query calls. */
  views: Array<{ schema: string; name: string; securityBarrier: boolean; definerCalls: Array<{ signature: string; owner: string }> }>;
}

export interface LiveSnapshot {
  roles: SnapshotRole[];
  /** Password types by role name, or undefined when pg_authid is not readable. */
  passwords: Record<string, PasswordType> | undefined;
  tables: TableInfo[];
  schemas: SnapshotSchema[];
  /** SECURITY DEFINER functions in user schemas that no extension installed. */
  functions: SnapshotFunction[];
  passwordEncryption: string;
  languages: Array<{ name: string; trusted: boolean }>;
  /** Direct role memberships (pg_auth_members). */
  memberships: SnapshotMembership[];
  /** The server's clock when the snapshot was read (ISO), for VALID UNTIL. */
  now: string;
  /**
   * How many things name each role across the cluster (pg_shdepend: owned objects, ACL and
   * default-ACL entries, policies; plus databases it owns), or undefined when unreadable.
   */
  roleReferences: Record<string, number> | undefined;
  databases: SnapshotDatabase[];
  extensions: SnapshotExtension[];
  /** Who streams WAL now (walsender sessions' roles) and how many physical slots exist. */
  replication: { senders: string[]; physicalSlots: number };
  /** The server's major version (13 to 18): membership options and CREATEROLE changed in 16. */
  serverMajor: number;
  /** The role this session runs as (current_user). */
  currentUser?: string;
  /** What each view and materialized view in user schemas reads. */
  viewReads?: SnapshotViewReads[];
  /** The server's pg_hba_file_rules, or undefined when this role may not read them. */
  hba?: HbaRow[];
  /** pg_settings as the role sees it (rows of superuser-only settings are left out for others). */
  settings?: ServerSettings;
  /** The server's pg_ident_file_mappings (15+), or undefined when absent or not readable. */
  ident?: IdentRow[];
  /** Tablespaces with their own directory, or undefined when not read. */
  tablespaces?: SnapshotTablespace[];
  /** LEAKPROOF functions the database's users wrote (pg_proc.proleakproof), or undefined when not read. */
  leakproofFunctions?: SnapshotLeakproofFunction[];
  /** pg_stat_archiver's one row, or undefined when not read. */
  archiver?: SnapshotArchiver;
  /** Columns, unique keys and triggers of RLS tables, and view options, or undefined when not read. */
  rlsDetails?: SnapshotRlsDetails;
}
