// The shapes a catalog read produces: roles, memberships, tables with their RLS, policies
// and grants, privileges, and live-audit findings. Plain JSON-serialisable objects, read
// by server/src/db and judged by the pure code of core/live, the tree and the CLI.

import type { Severity } from '../rules';

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
/** `grantCount`: the roles other than the owner (PUBLIC included) that hold a privilege on it. */
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

export type AuditObjectKind = 'role' | 'table' | 'schema' | 'function' | 'database' | 'setting' | 'language' | 'extension' | 'hba';

/** A live-audit finding: the same fields as a lint finding, located on a catalog object instead of a file range. */
export interface DbFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** The role or (schema-qualified) relation, function, schema, setting or language concerned. */
  object: string;
  objectKind: AuditObjectKind;
  /** For a finding on one policy of a table: the policy's name. */
  policy?: string;
  /** For pg_hba findings: the file and 1-based line the server reports. */
  file?: string;
  line?: number;
  /** The statement that fixes it, identifiers quoted (LiveReport.fix); never run by pgwarden. */
  fix?: string;
}
