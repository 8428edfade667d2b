// Custom LSP messages between the pgwarden client and server, typed once and imported
// by both sides. The standard LSP covers diagnostics, code actions, hover and the rest.

import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

/** Sent once per distinct internal failure, so the client can flag it in the status item. */
export interface InternalErrorParams {
  message: string;
}
export const InternalErrorNotification = new NotificationType<InternalErrorParams>('pgwarden/internalError');

/** The server's view of its own state, for the status item's tooltip. */
export interface ServerStatus {
  /** The server's process id (the fault test kills it to prove the client restarts it). */
  pid: number;
  indexedFiles: number;
  configFile: string | undefined;
  configProblems: number;
  internalErrors: number;
  /** Statements and bodies the analysis has parsed, and files whose facts came from the index cache (tests count these). */
  parses?: number;
  indexCacheHits?: number;
}
export const StatusRequest = new RequestType0<ServerStatus, void>('pgwarden/status');

/**
 * "pgwarden: Lint Workspace": lints every workspace file that is not open (open ones are
 * linted as they change) and answers the totals, open files included. The findings reach
 * Problems through the workspace diagnostic pull (or a push, for a client without pull).
 * Progress goes to the params' workDoneToken.
 */
export interface LintWorkspaceResult {
  files: number;
  errors: number;
  warnings: number;
}
export const LintWorkspaceRequest = new RequestType<{ workDoneToken?: string | number }, LintWorkspaceResult, void>('pgwarden/lintWorkspace');

/** Diagnostic data: the fixes of a finding, already in LSP ranges for the version it was computed on. */
export interface DiagnosticData {
  ruleId: string;
  version: number;
  fixes: Array<{
    /** The title shown, an unsafe fix's consequence included. */
    title: string;
    snippet?: boolean;
    /** Only safe fixes are preferred (see Fix.safe in core/rules.ts). */
    safe?: boolean;
    edits: Array<{
      range: { start: { line: number; character: number }; end: { line: number; character: number } };
      newText: string;
      /** newText with tab stops (core/rules.ts SnippetPart), for clients that take snippet edits. */
      snippet?: Array<string | { placeholder: string; kind: string; choices?: string[]; table?: { schema?: string; name: string } }>;
    }>;
  }>;
}

// ---------------------------------------------------------------------------------------
// Live database (issue 4): connections, the role tree, effective privileges, the live
// audit. The client holds profiles, trust and passwords (SecretStorage); the server holds
// sessions and every piece of PostgreSQL knowledge. Shapes of catalog data come from
// core/live/catalog.ts; only plain JSON crosses the wire, and never a stored password
// except as the `password` of one connect request.

import type { DbFinding, EffectivePrivilege, PrivilegeTarget, RoleDetails, TableHolder, TableInfo } from '../core/live/catalog';
import type { ConnectionProfile as DbConnectionProfile } from './profile';
import type { WorkspaceLocation } from '../core/live/locate';

export type { TableHolder } from '../core/live/catalog';

/** Why a database request failed, so the client can act on it (e.g. 'auth': prompt again). */
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


/**
 * Whether the workspace is trusted. The server refuses every connect until told `true`,
 * and closes every session when told `false`. Sent by the client before each connect
 * and whenever trust is granted.
 */
export interface DbTrustParams {
  trusted: boolean;
}
export const DbTrustNotification = new NotificationType<DbTrustParams>('pgwarden/db/trust');

/** Where a profile points, resolved by the server: for the password key, the TLS warning and the host confirmation. */
export interface DbResolveResult {
  ok: boolean;
  /** SecretStorage key material: a SHA-256 of host, port, database, user and TLS settings. */
  fingerprint?: string;
  /** `user@host:port/database (sslmode=...)`, never a password. */
  description?: string;
  host?: string;
  port?: number;
  loopback?: boolean;
  /** Set when the connection leaves this machine without a verified certificate. */
  tlsWarning?: string;
  /** Why the profile cannot be resolved (bad URL, missing certificate file, unknown service). */
  message?: string;
}
export const DbResolveRequest = new RequestType<{ profile: DbConnectionProfile }, DbResolveResult, void>('pgwarden/db/resolve');

export interface DbConnectParams {
  /** The client's id for this connection (the profile name); reusing an id replaces its session. */
  id: string;
  profile: DbConnectionProfile;
  /** A password from SecretStorage or a prompt; omitted to try without (pgpass, trust). */
  password?: string;
  /**
   * The same password sealed under the key the client put in the server's environment
   * (see server/src/lsp/db-seal.ts), so request tracing never shows it. Preferred over `password`.
   */
  sealedPassword?: { iv: string; data: string; tag: string };
  statementTimeoutMs?: number;
}

export type DbConnectResult =
  | {
      status: 'connected';
      fingerprint: string;
      description: string;
      tlsWarning?: string;
      serverVersion: number;
      currentUser: string;
      isSuperuser: boolean;
      tls: boolean;
    }
  | {
      /** The server wants a password: `missing` when none was given, `wrong` after 28P01. */
      status: 'needsPassword';
      reason: 'missing' | 'wrong';
      fingerprint: string;
      description: string;
      message: string;
    }
  | {
      status: 'error';
      /** A DbErrorKind, or 'untrusted' in Restricted Mode. */
      kind: DbErrorKind | 'untrusted';
      message: string;
      fingerprint?: string;
      description?: string;
    };
export const DbConnectRequest = new RequestType<DbConnectParams, DbConnectResult, void>('pgwarden/db/connect');

export const DbDisconnectRequest = new RequestType<{ id: string }, void, void>('pgwarden/db/disconnect');

/** Sent when a session ends by itself (server restart, network): the client shows the connection as disconnected. */
export interface DbLostParams {
  id: string;
  message: string;
}
export const DbLostNotification = new NotificationType<DbLostParams>('pgwarden/db/lost');

/** Drops the cached catalog of a connection, re-reads the catalog facts, re-runs the audit. */
export const DbRefreshRequest = new RequestType<{ id: string }, DbFailure | { ok: true }, void>('pgwarden/db/refresh');

export interface DbFailure {
  ok: false;
  kind: DbErrorKind | 'notConnected';
  message: string;
}

/** What a tree node stands for; sent back by the client to ask for the node's children. */
export type DbNodeRef =
  | { kind: 'roles' }
  | { kind: 'roleGroup'; group: 'superuser' | 'login' | 'group' | 'predefined' }
  | { kind: 'role'; role: string }
  | { kind: 'roleSection'; role: string; section: 'memberOf' | 'members' | 'privileges' | 'effective' | 'owned' | 'publicDefaults' }
  | { kind: 'tables' }
  | { kind: 'schema'; schema: string }
  | { kind: 'table'; schema: string; table: string }
  | { kind: 'tableSection'; schema: string; table: string; section: 'policies' | 'grantees' | 'access' }
  /** One role under a table's "Who can access": its privileges, each with path and row-level security. */
  | { kind: 'accessRole'; schema: string; table: string; role: string }
  | { kind: 'grantee'; schema: string; table: string; grantee: string }
  | { kind: 'policy'; schema: string; table: string; policy: string }
  | { kind: 'findings' }
  | { kind: 'sessions' }
  | { kind: 'sessionGroup'; group: SessionGroup }
  | { kind: 'drift' }
  | { kind: 'driftRoot'; root: string }
  | { kind: 'driftGroup'; root: string; group: DriftGroup };

/** The Drift node's groups, one per kind of access. */
export type DriftGroup = 'grants' | 'memberships' | 'roles' | 'owners' | 'rls' | 'policies' | 'defaults' | 'functions' | 'views' | 'objects';

/** A statement in a workspace file. */
export interface DriftPlace {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** The Sessions node's groups: what to look at, the counts, and the sessions themselves. */
export type SessionGroup = 'flags' | 'role' | 'database' | 'client' | 'application' | 'list';

/** A privilege or membership that a generated GRANT/REVOKE can name. */
export type DbSqlTarget =
  | ({ kind: 'privilege' } & PrivilegeTarget)
  | { kind: 'membership'; role: string; member: string; admin?: boolean }
  | {
      /** An effective privilege reached through memberships: removing it means cutting the path or the grant. */
      kind: 'effective';
      role: string;
      schema: string;
      table: string;
      privilege: string;
      via: string[];
    };

export interface DbTreeNode {
  /** Unique among the connection's nodes, stable across refreshes (the TreeItem id). */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id, e.g. 'person', 'warning'. */
  icon?: string;
  /** Risky (SUPERUSER, BYPASSRLS, a PUBLIC grant, RLS off with grants...): the client colours the icon. */
  warning?: boolean;
  /** Whether the node has children; `expanded` opens it at first sight. */
  expandable: boolean;
  expanded?: boolean;
  /** For menus: 'role', 'table', 'privilege', 'membership', 'finding', 'group', ... */
  contextValue?: string;
  ref?: DbNodeRef;
  /** Present when a GRANT/REVOKE for this node can be generated. */
  sql?: DbSqlTarget;
  /** The role or table the node is about, for "Find in workspace" and "Who can access". */
  role?: string;
  table?: { schema: string; name: string };
  /** Where a click goes: a drift finding's declaring statement, or the statement creating its object. */
  location?: DriftPlace;
}

export interface DbChildrenParams {
  id: string;
  /** Undefined for the connection's top level (Roles, Tables, Findings). */
  ref?: DbNodeRef;
  offset?: number;
  limit?: number;
}
export type DbChildrenResult = { ok: true; items: DbTreeNode[]; total: number; offset: number } | DbFailure;
export const DbChildrenRequest = new RequestType<DbChildrenParams, DbChildrenResult, void>('pgwarden/db/children');

export const DbRoleDetailsRequest = new RequestType<{ id: string; role: string }, { ok: true; details: RoleDetails | null } | DbFailure, void>(
  'pgwarden/db/roleDetails',
);
export const DbTableDetailsRequest = new RequestType<{ id: string; schema: string; table: string }, { ok: true; table: TableInfo | null } | DbFailure, void>(
  'pgwarden/db/tableDetails',
);
/**
 * Every role holding each privilege on a table, superusers included, with the membership path
 * (`holders`, what has_table_privilege says), and the same as report rows with what
 * row-level security leaves (`rows`, roles reaching a privilege only by SET ROLE included).
 */
export const DbWhoCanAccessRequest = new RequestType<
  { id: string; schema: string; table: string },
  { ok: true; holders: TableHolder[]; rows?: DbAccessRow[] } | DbFailure,
  void
>('pgwarden/db/whoCanAccess');

/** One row of "who can access": the words core/live/access-report.ts gives every front end. */
export interface DbAccessRow {
  role: string;
  privilege: string;
  path: string;
  rowSecurity: string;
}

/** "Who can access" a table as a document: Markdown or CSV, the same text `pgwarden access --format` prints. */
export const DbAccessReportRequest = new RequestType<
  { id: string; schema: string; table: string; format: 'markdown' | 'csv' },
  { ok: true; text: string } | DbFailure,
  void
>('pgwarden/db/accessReport');
export const DbEffectivePrivilegesRequest = new RequestType<{ id: string; role: string }, { ok: true; privileges: EffectivePrivilege[] } | DbFailure, void>(
  'pgwarden/db/effectivePrivileges',
);
/** The live audit; `skipped` lists the checks the session's role could not run, with why. */
export const DbAuditRequest = new RequestType<{ id: string }, { ok: true; findings: DbFinding[]; skipped: string[] } | DbFailure, void>('pgwarden/db/audit');

/**
 * The role graph as a picture: an SVG the server draws (roles, memberships, superusers and
 * BYPASSRLS roles marked, escalation paths in red; presentation attributes only, no script,
 * no style attributes, every name escaped), and the escalation paths as text. The client
 * shows it in a webview.
 */
export interface DbRoleGraph {
  svg: string;
  drawn: number;
  /** Roles in memberships left out of a large graph (kept: paths, superusers, BYPASSRLS roles). */
  omitted: number;
  /** `alice -> ops (SET ROLE) -> postgres (SET ROLE)`, one per login role that can escalate. */
  paths: string[];
}
export const DbRoleGraphRequest = new RequestType<{ id: string }, ({ ok: true } & DbRoleGraph) | DbFailure, void>('pgwarden/db/roleGraph');
/** A live finding for the Findings view: once per database, however many profiles reach it. */
export interface DbFindingItem extends DbFinding {
  /** Object plus problem, for the view's label. */
  label: string;
  /** The connections (profile names) whose database has it, and that database's description. */
  connections: string[];
  database: string;
  /** The workspace statement that creates the object, when a file does. */
  location?: WorkspaceLocation;
  /** The role or table the finding is about, for "Find in workspace". */
  role?: string;
  table?: { schema: string; name: string };
}
/** Every connected database's audit findings, placed on the workspace; `failed` names the audits that did not run. */
export const DbFindingsRequest = new RequestType0<{ items: DbFindingItem[]; failed: Array<{ id: string; message: string }> }, void>('pgwarden/db/findings');

/** Text of a GRANT or REVOKE, identifiers quoted; the client opens it in an untitled editor. Nothing is executed. */
export interface DbGenerateSqlParams {
  action: 'grant' | 'revoke';
  target: DbSqlTarget;
}
export const DbGenerateSqlRequest = new RequestType<DbGenerateSqlParams, { ok: true; sql: string } | { ok: false; message: string }, void>(
  'pgwarden/db/generateSql',
);

/** GRANT, REVOKE, CREATE, ALTER and POLICY statements in the workspace's SQL files naming a role or table. */
export interface DbFindInWorkspaceParams {
  role?: string;
  table?: { schema: string; name: string };
}
export type DbWorkspaceLocation = WorkspaceLocation;
export const DbFindInWorkspaceRequest = new RequestType<DbFindInWorkspaceParams, DbWorkspaceLocation[], void>('pgwarden/db/findInWorkspace');

/**
 * The SQL that acts on a connection's drift, never executed: `reconcile` brings the database
 * back to what the migrations declare, `adopt` declares what the database holds. For
 * `adopt`, `newFile` is where the next migration of the project's layout would go.
 */
export interface DbDriftSqlParams {
  id: string;
  mode: 'reconcile' | 'adopt';
  /** The project root (folder path) when the workspace holds several; the first otherwise. */
  root?: string;
}
export type DbDriftSqlResult = { ok: true; sql: string; findings: number; root: string; newFile?: string } | DbFailure;
export const DbDriftSqlRequest = new RequestType<DbDriftSqlParams, DbDriftSqlResult, void>('pgwarden/db/driftSql');

/**
 * Sent when an edit of the workspace's migrations changed what a connection's Drift node
 * shows (the server compares again, debounced, against the database as last read): the
 * client drops that node's loaded children and redraws it.
 */
export const DbDriftChangedNotification = new NotificationType<{ id: string }>('pgwarden/db/driftChanged');
