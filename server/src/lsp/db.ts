// The server side of the live database: custom requests for connecting, the role tree,
// effective privileges, "who can access", the live audit, GRANT/REVOKE text and "find in
// workspace". Sessions live here; PostgreSQL knowledge lives in ../db, which this module
// only calls. While a database is connected its catalog facts are part of the workspace
// model (so SQL and pg_hba rules see the live superusers and RLS), and its db-* findings
// are published on the workspace file that creates the object, when there is one.
//
// Security: nothing connects until the client says the workspace is trusted; a password
// arrives in one connect request, is handed to the driver and is never stored, logged or
// echoed (error messages are scrubbed of it); every session is read-only (../db does it).
// No handler lets an error escape: each answers with a failure the client can show.

import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection, Diagnostic, PublishDiagnosticsParams, TextDocuments } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { docsUrl } from '../core/rules';
import { LineIndex } from '../core/text';
import { CatalogFacts } from '../core/workspace';
import {
  audit,
  AuditResult,
  catalogFacts,
  connect,
  DbError,
  DbFinding,
  describeTarget,
  fingerprint,
  isLoopback,
  listRoles,
  listSchemas,
  listTables,
  loadPrivilegeGraph,
  PrivilegeGraph,
  resolveProfile,
  ResolvedTarget,
  RoleDetails,
  roleDetails,
  RoleGroup,
  RoleInfo,
  roleGroupCounts,
  Session,
  TableInfo,
  tableDetails,
  tlsWarning,
} from '../db';
import { collectFiles, ignoreMatcher } from '../files';
import { defaultConfig, parseConfig, PgwardenConfig } from '../core/config';
import { RULE_IDS } from '../core/registry';
import {
  DbAuditRequest,
  DbChildrenParams,
  DbChildrenRequest,
  DbChildrenResult,
  DbConnectParams,
  DbConnectRequest,
  DbConnectResult,
  DbDisconnectRequest,
  DbEffectivePrivilegesRequest,
  DbFailure,
  DbFindInWorkspaceParams,
  DbFindInWorkspaceRequest,
  DbGenerateSqlRequest,
  DbLostNotification,
  DbNodeRef,
  DbRefreshRequest,
  DbResolveRequest,
  DbResolveResult,
  DbRoleDetailsRequest,
  DbTableDetailsRequest,
  DbTreeNode,
  DbTrustNotification,
  DbWhoCanAccessRequest,
  DbWorkspaceLocation,
} from '../shared/protocol';
import { DIAGNOSTIC_SEVERITY } from './convert';
import type { FindQuery } from './db-find';
import { generateSql, SqlGenerationError } from './db-sql';
import { parseSchemaQualified, quoteIdent } from '../core/identifier';
import { rlsExplanation, rlsLabel, rlsRelevantGrantees, rlsState } from '../core/live/rls';
import { roleAttributeList, roleRisks } from '../core/live/roles';
import { SEAL_ENV, unseal } from '../shared/seal';
import { ConnectionProfile, sanitizeProfile } from '../shared/profile';

export interface DbHost {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  /** Puts live catalog facts into the workspace model the rules see (AnalysisHost.setCatalog). */
  setCatalog: (facts: CatalogFacts | undefined) => Promise<void>;
  /** The pgwarden.json in use, if any: its rules and ignore globs apply to the audit and the workspace scan. */
  configUri: () => string | undefined;
  /** Re-lints open documents after the workspace facts changed (a catalog came or went). */
  refreshDiagnostics: () => void;
  reportInternalError: (what: string, err: unknown) => void;
  /**
   * Runs the queries over the files in the analysis worker (parsing belongs there, not on
   * the main loop): the answer holds, per file, per query, the statements found.
   */
  findInFiles: (files: Array<{ uri: string; text: string }>, queries: FindQuery[]) => Promise<DbWorkspaceLocation[][][]>;
  /** The editor's `files.exclude` globs: excluded files are not part of the workspace search either. */
  filesExclude?: () => readonly string[];
}

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 5000;

/** One connected database and what has been read from it since the last refresh. */
interface Live {
  id: string;
  session: Session;
  target: ResolvedTarget;
  fingerprint: string;
  description: string;
  facts?: CatalogFacts;
  details: Map<string, Promise<RoleDetails | undefined>>;
  tables: Map<string, Promise<TableInfo | undefined>>;
  graph?: Promise<PrivilegeGraph>;
  audit?: Promise<AuditResult>;
  counts?: Promise<Record<RoleGroup, number>>;
  schemas?: Promise<Array<{ schema: string; owner: string; relations: number }>>;
}

class NotConnected extends Error {}

export class DbService {
  private trusted = false;
  private readonly live = new Map<string, Live>();
  /** db-* diagnostics by file URI, from every connection. */
  private dbDiagnostics = new Map<string, Diagnostic[]>();
  /** What the lint side last pushed per URI (push mode), so a db publish keeps it. */
  private readonly lintPushed = new Map<string, PublishDiagnosticsParams>();
  private readonly send: (p: PublishDiagnosticsParams) => Promise<void>;

  /** The key sealed passwords arrive under, taken out of the environment so no child process inherits it. */
  private readonly sealKey: string | undefined;

  constructor(private readonly host: DbHost) {
    this.sealKey = process.env[SEAL_ENV];
    delete process.env[SEAL_ENV];
    const c = host.connection;
    // Lint diagnostics (pushed by server.ts when the client cannot pull) and db findings
    // share one diagnostic collection per URI on the client, where the last push wins.
    // Wrapping the one push function merges them, so neither erases the other.
    const original = c.sendDiagnostics.bind(c);
    this.send = original;
    c.sendDiagnostics = (p: PublishDiagnosticsParams) => {
      this.lintPushed.set(p.uri, p);
      const extra = this.dbDiagnostics.get(p.uri);
      return original(extra?.length ? { ...p, diagnostics: [...p.diagnostics, ...extra] } : p);
    };
  }

  register(): void {
    const c = this.host.connection;
    c.onNotification(DbTrustNotification, (p) => this.setTrusted(p?.trusted === true));
    c.onRequest(DbResolveRequest, (p) => this.resolve(p?.profile));
    c.onRequest(DbConnectRequest, (p) => this.guarded('connect', () => this.connect(p), (m) => ({ status: 'error', kind: 'other', message: m }) as DbConnectResult));
    c.onRequest(DbDisconnectRequest, (p) => this.guarded('disconnect', () => this.disconnect(p?.id), () => undefined));
    c.onRequest(DbRefreshRequest, (p) =>
      this.failSafe('refresh', p?.id, async (live) => {
        this.forget(live);
        const ended = await this.loadFacts(live);
        if (ended) return { ok: false as const, kind: ended.kind, message: ended.message };
        this.startAudit(live);
        return { ok: true as const };
      }),
    );
    c.onRequest(DbChildrenRequest, (p) => this.failSafe('tree', p?.id, (live) => this.children(live, p)));
    c.onRequest(DbRoleDetailsRequest, (p) =>
      this.failSafe('role details', p?.id, async (live) => ({ ok: true as const, details: (await this.details(live, String(p.role))) ?? null })),
    );
    c.onRequest(DbTableDetailsRequest, (p) =>
      this.failSafe('table details', p?.id, async (live) => ({ ok: true as const, table: (await this.table(live, String(p.schema), String(p.table))) ?? null })),
    );
    c.onRequest(DbWhoCanAccessRequest, (p) =>
      this.failSafe('who can access', p?.id, async (live) => ({ ok: true as const, holders: (await this.graph(live)).tableHolders(String(p.schema), String(p.table)) })),
    );
    c.onRequest(DbEffectivePrivilegesRequest, (p) =>
      this.failSafe('effective privileges', p?.id, async (live) => ({ ok: true as const, privileges: (await this.graph(live)).effectivePrivileges(String(p.role)) })),
    );
    c.onRequest(DbAuditRequest, (p) => this.failSafe('audit', p?.id, async (live) => ({ ok: true as const, ...(await this.auditOf(live)) })));
    c.onRequest(DbGenerateSqlRequest, (p) => {
      try {
        return { ok: true as const, sql: generateSql(p) };
      } catch (err) {
        if (!(err instanceof SqlGenerationError)) this.host.reportInternalError('generating SQL', err);
        return { ok: false as const, message: `pgwarden cannot write this statement safely: ${err instanceof Error ? err.message : String(err)}` };
      }
    });
    c.onRequest(DbFindInWorkspaceRequest, (p) => this.guarded('find in workspace', () => this.findInWorkspace(p ?? {}), () => []));
  }

  /** Runs a handler; an unexpected throw is reported once and answered with the fallback. */
  private async guarded<T>(what: string, fn: () => Promise<T> | T, fallback: (message: string) => T): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      this.host.reportInternalError(`database ${what}`, err);
      return fallback(err instanceof Error ? err.message : String(err));
    }
  }

  /** Runs a request against a connection; database failures become a DbFailure the tree can show. */
  private async failSafe<T>(what: string, id: unknown, fn: (live: Live) => Promise<T>): Promise<T | DbFailure> {
    const live = typeof id === 'string' ? this.live.get(id) : undefined;
    if (!live) return { ok: false, kind: 'notConnected', message: 'Not connected. Use Reconnect to connect again.' };
    try {
      return await fn(live);
    } catch (err) {
      return this.failure(live, what, err);
    }
  }

  private failure(live: Live, what: string, err: unknown): DbFailure {
    if (err instanceof NotConnected) return { ok: false, kind: 'notConnected', message: err.message };
    if (err instanceof DbError) {
      if (err.kind === 'lost' || live.session.closed) this.dropLost(live, err.message);
      return { ok: false, kind: err.kind, message: err.message };
    }
    this.host.reportInternalError(`database ${what}`, err);
    return { ok: false, kind: 'other', message: `${what} failed: ${err instanceof Error ? err.message : String(err)}` };
  }

  private setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    if (!trusted) {
      // Trust can only be granted in VS Code, but if a client ever withdraws it, nothing stays connected.
      for (const id of [...this.live.keys()]) void this.disconnect(id);
    }
  }

  private resolve(profile: unknown): DbResolveResult {
    try {
      const target = resolveProfile(checkProfile(profile), process.env);
      return {
        ok: true,
        fingerprint: fingerprint(target),
        description: describeTarget(target),
        host: target.host,
        port: target.port,
        loopback: isLoopback(target.host),
        tlsWarning: tlsWarning(target),
      };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  }

  private async connect(p: DbConnectParams): Promise<DbConnectResult> {
    if (!this.trusted) {
      return {
        status: 'error',
        kind: 'untrusted',
        message: 'pgwarden does not connect to databases in Restricted Mode. Trust this workspace to connect.',
      };
    }
    if (!p || typeof p.id !== 'string' || !p.id) return { status: 'error', kind: 'config', message: 'a connection needs an id' };
    let password = typeof p.password === 'string' && p.password !== '' ? p.password : undefined;
    if (p.sealedPassword) {
      const opened = this.sealKey ? unseal(this.sealKey, p.sealedPassword) : undefined;
      if (opened === undefined) return { status: 'error', kind: 'config', message: 'the password could not be unsealed; restart the pgwarden language server' };
      password = opened || undefined;
    }
    const scrub = (s: string) => (password ? s.split(password).join('***') : s);
    let target: ResolvedTarget;
    try {
      target = resolveProfile(checkProfile(p.profile), process.env);
    } catch (err) {
      return { status: 'error', kind: 'config', message: scrub(err instanceof Error ? err.message : String(err)) };
    }
    const fp = fingerprint(target);
    const description = describeTarget(target);
    await this.disconnect(p.id);
    let session: Session;
    try {
      const timeout = Number(p.statementTimeoutMs);
      session = await connect(target, async () => password, {
        statementTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 10_000,
        applicationName: 'pgwarden (VS Code)',
      });
    } catch (err) {
      const e = err instanceof DbError ? err : new DbError('other', err instanceof Error ? err.message : String(err));
      const message = scrub(e.message);
      if (e.kind === 'auth' && e.code === 'nopassword') {
        return { status: 'needsPassword', reason: 'missing', fingerprint: fp, description, message: `${description} asks for a password.` };
      }
      if (e.kind === 'auth' && e.code === '28P01') return { status: 'needsPassword', reason: 'wrong', fingerprint: fp, description, message };
      return { status: 'error', kind: e.kind, message, fingerprint: fp, description };
    }
    if (!this.trusted) {
      await session.close();
      return { status: 'error', kind: 'untrusted', message: 'The workspace is no longer trusted; the connection was closed.' };
    }
    const live: Live = { id: p.id, session, target, fingerprint: fp, description, details: new Map(), tables: new Map() };
    this.live.set(p.id, live);
    session.onLost((e) => this.dropLost(live, e.message));
    const ended = await this.loadFacts(live);
    if (ended) return { status: 'error', kind: ended.kind, message: scrub(ended.message), fingerprint: fp, description };
    this.startAudit(live);
    return {
      status: 'connected',
      fingerprint: fp,
      description,
      tlsWarning: session.tls && target.verifiesCertificate && target.verifiesHostname ? undefined : tlsWarning(target),
      serverVersion: session.serverVersionNum,
      currentUser: session.currentUser,
      isSuperuser: session.isSuperuser,
      tls: session.tls,
    };
  }

  private async disconnect(id: unknown): Promise<void> {
    if (typeof id !== 'string') return;
    const live = this.live.get(id);
    if (!live) return;
    this.live.delete(id);
    await live.session.close().catch(() => undefined);
    this.catalogChanged();
    this.publishDbDiagnostics();
  }

  /** A session that ended by itself: forget it, tell the client, take its catalog out of the model. */
  private dropLost(live: Live, message: string): void {
    if (this.live.get(live.id) !== live) return;
    this.live.delete(live.id);
    void live.session.close().catch(() => undefined);
    void this.host.connection.sendNotification(DbLostNotification, { id: live.id, message });
    this.catalogChanged();
    this.publishDbDiagnostics();
  }

  private forget(live: Live): void {
    live.details.clear();
    live.tables.clear();
    live.graph = undefined;
    live.audit = undefined;
    live.counts = undefined;
    live.schemas = undefined;
  }

  /**
   * Reads the catalog facts the linters use; a role that may not read them leaves the model
   * as it was. A failure that ended the session (a client-side timeout, a broken stream)
   * drops the connection and is returned, so no caller reports a dead session as connected.
   */
  private async loadFacts(live: Live): Promise<DbError | undefined> {
    let failed: DbError | undefined;
    try {
      live.facts = await catalogFacts(live.session);
    } catch (err) {
      live.facts = undefined;
      if (!(err instanceof DbError)) this.host.reportInternalError('reading catalog facts', err);
      else if (err.kind === 'lost' || live.session.closed) {
        failed = err;
        this.dropLost(live, err.message);
      }
    }
    this.catalogChanged();
    return failed;
  }

  /** Puts the union of every connected catalog into the workspace model and re-lints. */
  private catalogChanged(): void {
    const all = [...this.live.values()].map((l) => l.facts).filter((f): f is CatalogFacts => f !== undefined);
    let merged: CatalogFacts | undefined;
    if (all.length) {
      merged = { superusers: [], roles: [], rlsEnabled: [], rlsForced: [], policies: [] };
      for (const f of all) {
        merged.superusers.push(...f.superusers);
        merged.roles.push(...f.roles);
        merged.rlsEnabled.push(...f.rlsEnabled);
        merged.rlsForced.push(...f.rlsForced);
        merged.policies.push(...f.policies);
      }
    }
    void this.host
      .setCatalog(merged)
      .catch((err) => this.host.reportInternalError('sharing the catalog with the analysis', err))
      .then(() => this.host.refreshDiagnostics());
  }

  private auditOf(live: Live): Promise<AuditResult> {
    if (!live.audit) {
      const p = audit(live.session, { config: this.config() });
      live.audit = p;
      // A failed audit is not cached, so the next look tries again.
      p.catch(() => {
        if (live.audit === p) live.audit = undefined;
      });
    }
    return live.audit;
  }

  /** Runs the audit in the background and publishes its findings on the workspace files. */
  private startAudit(live: Live): void {
    this.auditOf(live).then(
      () => this.publishDbDiagnostics(),
      (err) => {
        if (!(err instanceof DbError)) this.host.reportInternalError('live audit', err);
        // Nobody awaits the background audit: when its failure ended the session (a
        // client-side timeout), the client is told now rather than at its next request.
        else if (err.kind === 'lost' || live.session.closed) this.dropLost(live, err.message);
      },
    );
  }

  private details(live: Live, role: string): Promise<RoleDetails | undefined> {
    return cached(live.details, role, () => roleDetails(live.session, role));
  }

  private table(live: Live, schema: string, name: string): Promise<TableInfo | undefined> {
    return cached(live.tables, `${schema}\u0000${name}`, () => tableDetails(live.session, schema, name));
  }

  private graph(live: Live): Promise<PrivilegeGraph> {
    if (!live.graph) {
      const p = loadPrivilegeGraph(live.session);
      live.graph = p;
      p.catch(() => {
        if (live.graph === p) live.graph = undefined;
      });
    }
    return live.graph;
  }

  // ---- the tree ---------------------------------------------------------------------

  private async children(live: Live, p: DbChildrenParams): Promise<DbChildrenResult> {
    const offset = Math.max(0, Math.floor(Number(p.offset ?? 0)) || 0);
    const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(Number(p.limit ?? DEFAULT_LIMIT)) || DEFAULT_LIMIT));
    const page = (items: DbTreeNode[]): DbChildrenResult => ({ ok: true, items: items.slice(offset, offset + limit), total: items.length, offset });
    const ref = p.ref as DbNodeRef | undefined;
    if (!ref) {
      return page([
        { id: 'roles', label: 'Roles', icon: 'organization', expandable: true, expanded: true, ref: { kind: 'roles' }, contextValue: 'roles' },
        { id: 'tables', label: 'Tables', icon: 'table', expandable: true, ref: { kind: 'tables' }, contextValue: 'tables' },
        { id: 'findings', label: 'Findings', icon: 'shield', expandable: true, ref: { kind: 'findings' }, contextValue: 'findings', tooltip: 'The live audit: db-* findings computed from the catalog.' },
      ]);
    }
    switch (ref.kind) {
      case 'roles': {
        live.counts ??= roleGroupCounts(live.session);
        const counts = await live.counts.catch((e) => {
          live.counts = undefined;
          throw e;
        });
        const groups: Array<[RoleGroup, string, string, boolean]> = [
          ['superuser', 'Superusers', 'star-full', true],
          ['login', 'Login roles', 'person', true],
          ['group', 'Group roles', 'organization', true],
          ['predefined', 'Predefined roles (pg_*)', 'library', false],
        ];
        return page(
          groups.map(([group, label, icon, expanded]) => ({
            id: `group:${group}`,
            label,
            description: String(counts[group]),
            icon,
            warning: group === 'superuser' && counts.superuser > 1,
            tooltip: group === 'superuser' && counts.superuser > 1 ? `${counts.superuser} superusers: every one of them bypasses every permission check.` : undefined,
            expandable: counts[group] > 0,
            expanded: expanded && counts[group] > 0,
            contextValue: 'roleGroup',
            ref: { kind: 'roleGroup', group },
          })),
        );
      }
      case 'roleGroup': {
        const res = await listRoles(live.session, { group: ref.group, offset, limit });
        return { ok: true, items: res.items.map((r) => roleNode(r)), total: res.total, offset: res.offset };
      }
      case 'role': {
        const d = await this.details(live, ref.role);
        if (!d) return page([info('gone', `Role "${ref.role}" no longer exists. Refresh the tree.`, 'warning')]);
        const r = ref.role;
        const section = (s: 'memberOf' | 'members' | 'privileges' | 'effective' | 'owned', label: string, icon: string, n?: number): DbTreeNode => ({
          id: s,
          label,
          description: n === undefined ? undefined : String(n),
          icon,
          expandable: n === undefined || n > 0,
          ref: { kind: 'roleSection', role: r, section: s },
          contextValue: `roleSection.${s}`,
          role: r,
        });
        const publicCount = d.privileges.filter((x) => x.viaPublic).length;
        const priv = section('privileges', 'Privileges', 'key', d.privileges.length);
        if (publicCount) priv.description = `${d.privileges.length} (${publicCount} through PUBLIC)`;
        return page([
          section('memberOf', 'Member of', 'arrow-up', d.memberOf.length),
          section('members', 'Members', 'arrow-down', d.members.length),
          priv,
          section('effective', 'Effective privileges on tables', 'eye'),
          section('owned', 'Owned objects', 'archive', d.owned.length),
        ]);
      }
      case 'roleSection':
        return this.roleSection(live, ref.role, ref.section, offset, limit);
      case 'tables': {
        live.schemas ??= listSchemas(live.session);
        const schemas = await live.schemas.catch((e) => {
          live.schemas = undefined;
          throw e;
        });
        return page(
          schemas.map((s) => ({
            id: `schema:${s.schema}`,
            label: s.schema,
            description: `${s.relations}`,
            tooltip: `Schema ${s.schema}, owned by ${s.owner}, ${s.relations} relation(s)`,
            icon: 'symbol-namespace',
            expandable: s.relations > 0,
            ref: { kind: 'schema', schema: s.schema },
            contextValue: 'schema',
          })),
        );
      }
      case 'schema': {
        const res = await listTables(live.session, { schema: ref.schema, offset, limit });
        return {
          ok: true,
          total: res.total,
          offset: res.offset,
          items: res.items.map((t) => ({
            id: `table:${t.name}`,
            label: t.name,
            description: `${rlsLabel(t.rls, t.forceRls)} · ${plural(t.policyCount, 'policy', 'policies')} · ${plural(t.grantCount, 'grant')}`,
            tooltip: `${t.kind} ${t.schema}.${t.name}, owner ${t.owner}\nRow-level security: ${rlsLabel(t.rls, t.forceRls)}${t.kind === 'view' ? `\nsecurity_invoker: ${t.securityInvoker}` : ''}`,
            icon: t.kind === 'view' || t.kind === 'materialized view' ? 'eye' : 'table',
            expandable: true,
            ref: { kind: 'table', schema: t.schema, table: t.name },
            contextValue: 'table',
            table: { schema: t.schema, name: t.name },
          })),
        };
      }
      case 'table': {
        const t = await this.table(live, ref.schema, ref.table);
        if (!t) return page([info('gone', `Table ${ref.schema}.${ref.table} no longer exists. Refresh the tree.`, 'warning')]);
        const publicGrants = t.grants.filter((g) => g.grantee === 'PUBLIC').length;
        return page([
          {
            id: 'rls',
            label: `Row-level security: ${rlsState(t.rls, t.forceRls)}`,
            icon: t.rls ? 'lock' : 'unlock',
            warning: !t.rls && rlsRelevantGrantees(t).length > 0,
            tooltip: rlsExplanation(t.rls, t.forceRls),
            expandable: false,
            contextValue: 'rls',
          },
          {
            id: 'policies',
            label: 'Policies',
            description: String(t.policies.length),
            icon: 'law',
            expandable: t.policies.length > 0,
            ref: { kind: 'tableSection', schema: t.schema, table: t.name, section: 'policies' },
            contextValue: 'policies',
          },
          {
            id: 'grantees',
            label: 'Grantees',
            description: publicGrants ? `${t.grants.length} (${publicGrants} to PUBLIC)` : String(t.grants.length),
            icon: 'key',
            warning: publicGrants > 0,
            expandable: t.grants.length > 0,
            ref: { kind: 'tableSection', schema: t.schema, table: t.name, section: 'grantees' },
            contextValue: 'grantees',
          },
        ]);
      }
      case 'tableSection': {
        const t = await this.table(live, ref.schema, ref.table);
        if (!t) return page([]);
        if (ref.section === 'policies') {
          return page(
            t.policies.map((pol) => ({
              id: `policy:${pol.name}`,
              label: pol.name,
              description: `${pol.command} · ${pol.permissive ? 'permissive' : 'restrictive'} · to ${pol.roles.join(', ')}`,
              tooltip: `${pol.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} policy for ${pol.command} to ${pol.roles.join(', ')}${pol.using !== null ? `\nUSING (${pol.using})` : ''}${pol.withCheck !== null ? `\nWITH CHECK (${pol.withCheck})` : ''}`,
              icon: 'law',
              warning: pol.permissive && (pol.using === 'true' || pol.withCheck === 'true'),
              expandable: true,
              ref: { kind: 'policy', schema: t.schema, table: t.name, policy: pol.name },
              contextValue: 'policy',
            })),
          );
        }
        const quoted = `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
        return page(
          t.grants.map((g) => ({
            id: `grant:${g.grantee}:${g.privilege}:${g.grantor}`,
            label: `${g.grantee}: ${g.privilege}`,
            description: [g.grantable ? 'WITH GRANT OPTION' : '', g.grantee === t.owner ? 'owner' : '', `granted by ${g.grantor}`].filter(Boolean).join(' · '),
            tooltip: `${g.privilege} on ${t.schema}.${t.name} to ${g.grantee}${g.grantee === 'PUBLIC' ? ' (every role)' : ''}, granted by ${g.grantor}`,
            icon: g.grantee === 'PUBLIC' ? 'globe' : 'key',
            warning: g.grantee === 'PUBLIC',
            expandable: false,
            contextValue: 'privilege',
            role: g.grantee === 'PUBLIC' ? undefined : g.grantee,
            sql: { kind: 'privilege', objectType: 'table', object: quoted, privilege: g.privilege, grantee: g.grantee, grantable: g.grantable },
          })),
        );
      }
      case 'policy': {
        const t = await this.table(live, ref.schema, ref.table);
        const pol = t?.policies.find((x) => x.name === ref.policy);
        if (!pol) return page([]);
        const leaves: DbTreeNode[] = [
          info('command', `Command: ${pol.command}`, 'symbol-event'),
          info('kind', pol.permissive ? 'Permissive (OR-ed with other permissive policies)' : 'Restrictive (AND-ed with the permissive ones)', 'symbol-operator'),
          info('roles', `Roles: ${pol.roles.join(', ')}`, 'person'),
        ];
        if (pol.using !== null) leaves.push({ ...info('using', `USING (${pol.using})`, 'filter'), warning: pol.using === 'true' });
        if (pol.withCheck !== null) leaves.push({ ...info('check', `WITH CHECK (${pol.withCheck})`, 'check'), warning: pol.withCheck === 'true' });
        return page(leaves);
      }
      case 'findings': {
        const { findings, skipped, notes: partial } = await this.auditOf(live);
        const notes = [
          ...skipped.map((why, i) => ({ ...info(`skipped:${i}`, `Not checked: ${why}`, 'circle-slash'), tooltip: why })),
          ...partial.map((why, i) => ({ ...info(`note:${i}`, why, 'info'), tooltip: why })),
        ];
        if (!findings.length) return page([info('none', 'No findings', 'pass'), ...notes]);
        return page([
          ...findings.map((f, i) => ({
            id: `finding:${i}:${f.ruleId}:${f.object}`,
            label: f.message,
            description: `${f.ruleId} · ${f.object}`,
            tooltip: `${f.ruleId} (${f.severity}) on ${f.objectKind} ${f.object}${f.file ? `\n${f.file}${f.line ? `:${f.line}` : ''}` : ''}\n${f.message}`,
            icon: f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info',
            warning: f.severity === 'error' || f.severity === 'warning',
            expandable: false,
            contextValue: 'finding',
            role: f.objectKind === 'role' ? f.object : undefined,
            table: f.objectKind === 'table' ? parseTableName(f.object) : undefined,
          })),
          ...notes,
        ]);
      }
    }
    return page([]);
  }

  private async roleSection(live: Live, role: string, section: string, offset: number, limit: number): Promise<DbChildrenResult> {
    const page = (items: DbTreeNode[]): DbChildrenResult => ({ ok: true, items: items.slice(offset, offset + limit), total: items.length, offset });
    if (section === 'effective') {
      const all = (await this.graph(live)).effectivePrivileges(role);
      const items = all.slice(offset, offset + limit).map((e) => ({
        id: `eff:${e.schema}:${e.table}:${e.privilege}`,
        label: `${e.privilege} on ${e.schema}.${e.table}`,
        description: e.via.length === 0 ? 'direct or owner' : `via ${e.via.join(' → ')}`,
        tooltip: e.via.length === 0 ? `${role} holds ${e.privilege} itself (a grant to it, ownership, or superuser).` : `${role} → ${e.via.join(' → ')} holds ${e.privilege}`,
        icon: e.via[e.via.length - 1] === 'PUBLIC' ? 'globe' : 'eye',
        warning: e.via[e.via.length - 1] === 'PUBLIC',
        expandable: false,
        contextValue: 'effective',
        table: { schema: e.schema, name: e.table },
        sql: { kind: 'effective' as const, role, schema: e.schema, table: e.table, privilege: e.privilege, via: e.via },
      }));
      return { ok: true, items, total: all.length, offset };
    }
    const d = await this.details(live, role);
    if (!d) return page([]);
    switch (section) {
      case 'memberOf':
      case 'members': {
        const list = section === 'memberOf' ? d.memberOf : d.members;
        return page(
          list.map((m) => {
            const other = section === 'memberOf' ? m.role : m.member;
            const opts = [m.admin ? 'ADMIN' : '', m.inherit ? 'INHERIT' : 'NOINHERIT', m.set ? 'SET' : 'NOSET'].filter(Boolean).join(', ');
            return {
              id: `m:${other}`,
              label: other,
              description: opts,
              tooltip: `${m.member} is a member of ${m.role} (${opts})${m.grantors.length ? `, granted by ${m.grantors.join(', ')}` : ''}`,
              icon: section === 'memberOf' ? 'arrow-up' : 'arrow-down',
              warning: m.admin,
              expandable: true,
              ref: { kind: 'role' as const, role: other },
              contextValue: 'membership',
              role: other,
              sql: { kind: 'membership' as const, role: m.role, member: m.member, admin: m.admin },
            };
          }),
        );
      }
      case 'privileges':
        return page(
          d.privileges.map((x, i) => ({
            id: `p:${i}:${x.objectType}:${x.object}:${x.privilege}`,
            label: `${x.privilege} on ${x.objectType} ${x.object}`,
            description: [x.viaPublic ? 'PUBLIC' : '', x.grantable ? 'WITH GRANT OPTION' : '', `by ${x.grantor}`].filter(Boolean).join(' · '),
            tooltip: `${x.privilege} on ${x.objectType} ${x.object}${x.viaPublic ? ', granted to PUBLIC (every role)' : ` granted to ${role}`} by ${x.grantor}`,
            icon: x.viaPublic ? 'globe' : 'key',
            warning: x.viaPublic && (x.objectType === 'table' || x.objectType === 'column' || (x.objectType === 'schema' && x.privilege === 'CREATE')),
            expandable: false,
            contextValue: 'privilege',
            sql: { kind: 'privilege' as const, objectType: x.objectType, object: x.object, privilege: x.privilege, grantee: x.viaPublic ? 'PUBLIC' : role, grantable: x.grantable },
          })),
        );
      case 'owned':
        return page(d.owned.map((o, i) => ({ id: `o:${i}:${o.objectType}:${o.name}`, label: o.name, description: o.objectType, icon: 'archive', expandable: false, contextValue: 'owned' })));
    }
    return page([]);
  }

  // ---- the workspace ----------------------------------------------------------------

  /** pgwarden.json as it is now (open or on disk); defaults when there is none or it does not parse. */
  private config(): PgwardenConfig {
    const uri = this.host.configUri();
    const text = uri ? this.textOf(uri) : undefined;
    if (text === undefined) return defaultConfig();
    try {
      return parseConfig(text, RULE_IDS).config;
    } catch {
      return defaultConfig();
    }
  }

  /** The SQL files of the workspace folders (minus pgwarden.json's ignore globs) and the open SQL documents, with their current text. */
  private async workspaceFiles(): Promise<Array<{ uri: string; text: string }>> {
    const out = new Map<string, string>();
    let roots: string[] = [];
    try {
      const folders = await this.host.connection.workspace.getWorkspaceFolders();
      roots = (folders ?? []).filter((f) => f.uri.startsWith('file:')).map((f) => fileURLToPath(f.uri));
    } catch {
      // A client without workspace folders: only the open documents count.
    }
    const configUri = this.host.configUri();
    const base = configUri?.startsWith('file:') ? dirname(fileURLToPath(configUri)) : roots[0] ?? process.cwd();
    const byConfig = ignoreMatcher(this.config().ignore, base);
    const byEditor = roots.map((r) => ignoreMatcher(this.host.filesExclude?.() ?? [], r));
    const ignored = (path: string) => byConfig(path) || byEditor.some((m) => m(path));
    for (const f of collectFiles(roots, ignored, 'sql').files) {
      const uri = pathToFileURL(f.path).toString();
      const text = this.textOf(uri);
      if (text !== undefined) out.set(uri, text);
    }
    for (const d of this.host.documents.all()) {
      if (d.languageId !== 'sql') continue;
      if (d.uri.startsWith('file:') && ignored(fileURLToPath(d.uri))) continue;
      out.set(d.uri, d.getText());
    }
    return [...out].map(([uri, text]) => ({ uri, text }));
  }

  private textOf(uri: string): string | undefined {
    const doc = this.host.documents.get(uri);
    if (doc) return doc.getText();
    try {
      return uri.startsWith('file:') ? readFileSync(fileURLToPath(uri), 'utf8') : undefined;
    } catch {
      return undefined;
    }
  }

  private async findInWorkspace(p: DbFindInWorkspaceParams): Promise<DbWorkspaceLocation[]> {
    const q: FindQuery = {};
    if (typeof p.role === 'string') q.role = p.role;
    else if (p.table && typeof p.table.name === 'string' && typeof p.table.schema === 'string') q.table = { schema: p.table.schema, name: p.table.name };
    else return [];
    const found = await this.host.findInFiles(await this.workspaceFiles(), [q]);
    const out = found.flatMap((perQuery) => perQuery[0] ?? []);
    return out.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.range.start.line - b.range.start.line));
  }

  /**
   * Publishes every connection's db-* findings on the files that create their objects
   * (the first CREATE statement for the table, role, function or schema, in URI order).
   * Findings with no such file stay in the tree only.
   */
  private publishDbDiagnostics(): void {
    void this.computeDbDiagnostics()
      .then((next) => {
        const before = this.dbDiagnostics;
        this.dbDiagnostics = next;
        for (const uri of new Set([...before.keys(), ...next.keys()])) {
          const lint = this.lintPushed.get(uri);
          void this.send({ uri, version: lint?.version, diagnostics: [...(lint?.diagnostics ?? []), ...(next.get(uri) ?? [])] });
        }
      })
      .catch((err) => this.host.reportInternalError('publishing audit findings', err));
  }

  private async computeDbDiagnostics(): Promise<Map<string, Diagnostic[]>> {
    const found: Array<{ f: DbFinding; description: string }> = [];
    for (const live of this.live.values()) {
      if (!live.audit) continue;
      try {
        for (const f of (await live.audit).findings) found.push({ f, description: live.description });
      } catch {
        // The tree shows the audit's failure; the Problems panel has nothing to add.
      }
    }
    const out = new Map<string, Diagnostic[]>();
    if (!found.length) return out;
    const queries: Array<{ q: FindQuery; item: { f: DbFinding; description: string } }> = [];
    for (const item of found) {
      const q = locateQuery(item.f);
      if (q) queries.push({ q, item });
    }
    if (!queries.length) return out;
    const done = new Set<(typeof queries)[number]>();
    const files = (await this.workspaceFiles()).sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
    const hitsByFile = await this.host.findInFiles(
      files,
      queries.map((e) => ({ ...e.q, createOnly: true })),
    );
    for (const [fi, file] of files.entries()) {
      let lines: LineIndex | undefined;
      for (const [qi, entry] of queries.entries()) {
        if (done.has(entry)) continue;
        const hits = hitsByFile[fi]?.[qi] ?? [];
        if (!hits.length) continue;
        lines ??= new LineIndex(file.text);
        const h = hits[0];
        add(out, file.uri, toDbDiagnostic(entry.item, lines, lines.offsetAt(h.range.start), lines.offsetAt(h.range.end)));
        done.add(entry);
      }
    }
    return out;
  }
}

/** Hooks the live-database requests into the server. Call once, before `connection.listen()`. */
export function registerDbHandlers(host: DbHost): DbService {
  const service = new DbService(host);
  service.register();
  return service;
}

function cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let p = map.get(key);
  if (!p) {
    p = load();
    map.set(key, p);
    const mine = p;
    // Failures are not remembered: the next expansion asks again.
    mine.catch(() => {
      if (map.get(key) === mine) map.delete(key);
    });
  }
  return p;
}

/** Accepts only the profile fields pgwarden knows (the shared sanitiser): a client bug cannot smuggle options. */
function checkProfile(profile: unknown): ConnectionProfile {
  if (!profile || typeof profile !== 'object') throw new Error('no connection profile given');
  const problems: string[] = [];
  const p = sanitizeProfile({ name: 'connection', ...profile }, problems);
  if (!p) throw new Error('no connection profile given');
  if (problems.length) throw new Error(problems[0]);
  return p;
}

function roleNode(r: RoleInfo): DbTreeNode {
  const attrs = roleAttributeList(r);
  if (r.passwordType && r.passwordType !== 'none') attrs.push(`password: ${r.passwordType}`);
  const risky = roleRisks(r);
  const all = [
    `Role ${r.name}`,
    `SUPERUSER: ${r.superuser}`,
    `LOGIN: ${r.login}`,
    `CREATEROLE: ${r.createrole}`,
    `CREATEDB: ${r.createdb}`,
    `BYPASSRLS: ${r.bypassrls}`,
    `REPLICATION: ${r.replication}`,
    `INHERIT: ${r.inherit}`,
    `Connection limit: ${r.connectionLimit < 0 ? 'none' : r.connectionLimit}`,
    `Valid until: ${r.validUntil ?? 'no expiry'}`,
    `Password: ${r.passwordType ?? 'not visible to this session'}`,
  ];
  if (risky.length) all.push('', ...risky.map((x) => `⚠ ${x}`));
  return {
    id: `role:${r.name}`,
    label: r.name,
    description: attrs.join(', '),
    tooltip: all.join('\n'),
    icon: risky.length ? 'warning' : r.login ? 'person' : 'organization',
    warning: risky.length > 0,
    expandable: true,
    ref: { kind: 'role', role: r.name },
    contextValue: 'role',
    role: r.name,
  };
}

function info(id: string, label: string, icon: string): DbTreeNode {
  return { id, label, icon, expandable: false, contextValue: 'info' };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `schema.table` as the audit names relations (quoteIdent form) -> its parts. */
function parseTableName(object: string): { schema: string; name: string } | undefined {
  return parseSchemaQualified(object, 'public');
}

/** The CREATE statement that would own a finding on a role, function or schema. */
function locateQuery(f: DbFinding): FindQuery | undefined {
  switch (f.objectKind) {
    case 'role':
      return { role: f.object };
    case 'table': {
      const t = parseTableName(f.object);
      return t ? { table: t } : undefined;
    }
    case 'schema': {
      const t = parseTableName(f.object);
      // A schema is one quoted name, which parseTableName reads as a table in public.
      return t ? { schema: t.name } : undefined;
    }
    case 'function': {
      const paren = f.object.indexOf('(');
      const t = parseTableName(paren >= 0 ? f.object.slice(0, paren) : f.object);
      return t ? { function: t } : undefined;
    }
    default:
      return undefined;
  }
}

function add(map: Map<string, Diagnostic[]>, uri: string, d: Diagnostic): void {
  const l = map.get(uri);
  if (l) l.push(d);
  else map.set(uri, [d]);
}

/** A db finding as a diagnostic on the first line of the statement that creates its object. */
function toDbDiagnostic(item: { f: DbFinding; description: string }, lines: LineIndex, start: number, end: number): Diagnostic {
  const s = lines.positionAt(start);
  return {
    range: { start: s, end: lines.positionAt(Math.max(start, Math.min(end, lines.lineEnd(s.line)))) },
    severity: DIAGNOSTIC_SEVERITY[item.f.severity] ?? DiagnosticSeverity.Warning,
    source: 'pgwarden',
    code: item.f.ruleId,
    codeDescription: { href: docsUrl(item.f.ruleId) },
    message: `${item.f.message} (live database ${item.description})`,
  };
}
