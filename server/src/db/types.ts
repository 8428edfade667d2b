// The data shapes of the live-database layer, shared by the connection code, the catalog
// snapshot, the privilege graph, the live audit, the CLI and (through the server's custom
// requests) the VS Code client. Plain JSON-serialisable objects only.

import type { ConnectionOptions } from 'node:tls';
import type { Severity } from '../core/rules';

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
export const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/**
 * A saved connection as the user wrote it. Any field may be missing: `url`, `conninfo`
 * (a libpq key=value string) and `service` are expanded first, then explicit fields
 * override them, then PG* environment variables and libpq defaults fill the rest.
 * A profile never holds a password.
 */
export interface ConnectionProfile {
  name: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: SslMode;
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  service?: string;
  url?: string;
  conninfo?: string;
}

/** Where and how to connect, with every default applied. */
export interface ResolvedTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode: SslMode;
  /**
   * The TLS options for the first attempt, or false for a plain connection. For `prefer`
   * the session falls back to plain when the server does not support SSL; for `allow` it
   * starts plain (ssl false) and retries with `allowTls` when the server refuses that.
   */
  ssl: ConnectionOptions | false;
  /** TLS options used by `allow` on its second attempt. */
  allowTls?: ConnectionOptions;
  /** Certificate paths as configured (kept for the fingerprint and for display). */
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  /** Whether the server's certificate chain is verified against a CA. */
  verifiesCertificate: boolean;
  /** Whether the server's host name is checked against its certificate. */
  verifiesHostname: boolean;
}

export type DbErrorKind =
  | 'auth' // 28P01 wrong password, 28000 rejected by pg_hba.conf, or no password available
  | 'refused' // ECONNREFUSED, host not found, or otherwise unreachable
  | 'tls' // the server does not support SSL, certificate mismatch, untrusted certificate
  | 'timeout' // 57014 statement timeout, 55P03 lock timeout, or the client-side deadline
  | 'permission' // 42501 the role may not read that part of the catalog
  | 'lost' // the connection ended mid-session
  | 'readonly' // 25006 a write in the read-only session
  | 'config' // a bad connection string, service name or unreadable certificate file
  | 'other';

/** Input to connect(). */
export interface ConnectOptions {
  /** statement_timeout for every statement, and the client-side deadline (plus a margin). Default 10000. */
  statementTimeoutMs?: number;
  /** lock_timeout; default: the statement timeout. */
  lockTimeoutMs?: number;
  /** application_name; default 'pgwarden'. */
  applicationName?: string;
  /** How long to wait for the TCP/TLS handshake and authentication. Default 10000. */
  connectTimeoutMs?: number;
  /** Environment used for PGPASSFILE and HOME; default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Consult the pgpass file before the password callback (default true). The CLI turns
   * it off when PGPASSWORD is set, because libpq prefers PGPASSWORD.
   */
  pgpass?: boolean;
}

export type RoleGroup = 'superuser' | 'login' | 'group' | 'predefined';

/** What pg_authid.rolpassword holds, or null when the session may not read it. */
export type PasswordType = 'scram-sha-256' | 'md5' | 'plain' | 'none' | null;

export interface RoleInfo {
  name: string;
  oid: number;
  superuser: boolean;
  login: boolean;
  createrole: boolean;
  createdb: boolean;
  bypassrls: boolean;
  replication: boolean;
  inherit: boolean;
  /** -1 means no limit. */
  connectionLimit: number;
  /** ISO timestamp text, or null for no expiry. */
  validUntil: string | null;
  passwordType: PasswordType;
  /** A predefined pg_* role (oid below 16384 and not the bootstrap superuser). */
  predefined: boolean;
  /** Which group of the role tree it belongs in. */
  group: RoleGroup;
}

/** One role membership: `member` is a member of `role`. On 16+ several grantors are merged. */
export interface Membership {
  role: string;
  member: string;
  admin: boolean;
  /** 16+: the grant's inherit_option; before 16: the member's rolinherit. */
  inherit: boolean;
  /** 16+: the grant's set_option; before 16 always true. */
  set: boolean;
  grantors: string[];
}

/** One entry of an ACL. `grantee` is 'PUBLIC' for grants to PUBLIC. */
export interface AclGrant {
  grantee: string;
  grantor: string;
  /** Upper-case privilege: SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER, MAINTAIN, USAGE, CREATE, CONNECT, TEMPORARY, EXECUTE. */
  privilege: string;
  grantable: boolean;
}

export type PolicyCommand = 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

export interface PolicyInfo {
  name: string;
  command: PolicyCommand;
  permissive: boolean;
  /** Role names; ['PUBLIC'] for a policy on PUBLIC. */
  roles: string[];
  using: string | null;
  withCheck: string | null;
}

export type RelationKind = 'table' | 'partitioned table' | 'view' | 'materialized view' | 'foreign table';

export interface TableInfo {
  schema: string;
  name: string;
  kind: RelationKind;
  owner: string;
  rls: boolean;
  forceRls: boolean;
  /** A view with security_invoker=true (15+). */
  securityInvoker: boolean;
  policies: PolicyInfo[];
  /** True when the session may not read pg_policy: `policies` is then empty, not known to be empty. */
  policiesUnreadable?: boolean;
  grants: AclGrant[];
}

/** A table without its policies and grants, for paged lists. When pg_policy is not readable, policyCount is 0 and policiesUnreadable is true. */
export type TableSummary = Omit<TableInfo, 'policies' | 'grants'> & { policyCount: number; grantCount: number };

export type ObjectType = 'database' | 'schema' | 'table' | 'column' | 'sequence' | 'function' | 'language' | 'default';

/** A privilege on an object, as a generated GRANT or REVOKE names it (server/src/db/sqlgen.ts). */
export interface PrivilegeTarget {
  objectType: ObjectType;
  /** The object as the catalog names it, quoted by PostgreSQL (quote_ident), e.g. `app."Orders"`. */
  object: string;
  privilege: string;
  /** A role name, or 'PUBLIC'. */
  grantee: string;
  grantable?: boolean;
}

/** A privilege a role holds directly on an object, or through PUBLIC (`viaPublic`). */
export interface ObjectPrivilege {
  objectType: ObjectType;
  /** Schema-qualified name; `schema.table.column` for columns; for default privileges a description like `in schema app for tables created by alice`. */
  object: string;
  privilege: string;
  grantable: boolean;
  grantor: string;
  viaPublic: boolean;
  /** For objectType 'default': what ALTER DEFAULT PRIVILEGES needs, unquoted. */
  defaults?: {
    /** TABLES, SEQUENCES, FUNCTIONS, TYPES, SCHEMAS or LARGE OBJECTS. */
    on: string;
    /** The schema for IN SCHEMA, or null for database-wide defaults. */
    schema: string | null;
    /** The role for FOR ROLE: whose new objects get the privilege. */
    forRole: string;
  };
}

export interface OwnedObject {
  objectType: 'database' | 'schema' | 'table' | 'view' | 'sequence' | 'function' | 'type' | 'other';
  name: string;
}

export interface RoleDetails {
  role: RoleInfo;
  memberOf: Membership[];
  /** The first 1000 members; page the rest with listMembers. */
  members: Membership[];
  membersTotal: number;
  privileges: ObjectPrivilege[];
  owned: OwnedObject[];
}

export interface Page<T> {
  items: T[];
  /** Total number of items matching the filter, so the client can show "load more". */
  total: number;
  offset: number;
  limit: number;
}

export interface PageRequest {
  offset?: number;
  /** Default 200, at most 5000. */
  limit?: number;
}

/** An effective table privilege of a role, with the membership path that grants it. */
export interface EffectivePrivilege {
  schema: string;
  table: string;
  privilege: string;
  /** Roles from the asked role to the grantee; [] for a direct grant or ownership; ends in 'PUBLIC' for PUBLIC grants. */
  via: string[];
}

export interface TableHolder {
  role: string;
  privilege: string;
  via: string[];
  superuser: boolean;
}

export type AuditObjectKind = 'role' | 'table' | 'schema' | 'function' | 'database' | 'setting' | 'language' | 'hba';

/** A live-audit finding: the same fields as a lint finding, located on a catalog object instead of a file range. */
export interface DbFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** The role or (schema-qualified) relation, function, schema, setting or language concerned. */
  object: string;
  objectKind: AuditObjectKind;
  /** For pg_hba findings: the file and 1-based line the server reports. */
  file?: string;
  line?: number;
}
