// Live sessions: trust, connections, and what has been read from each since its last
// refresh (catalog facts, role and table details, the privilege graph, the audit). The
// requests that reach it are registered in ./handlers.ts; the tree's nodes come from the
// pure presenter ./tree.ts, and live findings are published by ./diagnostics.ts.
// PostgreSQL knowledge lives in ../../db (I/O) and ../../core/live (judgements).
//
// Security: nothing connects until the client says the workspace is trusted; a password
// arrives in one connect request, is handed to the driver and is never stored, logged or
// echoed (error messages are scrubbed of it); every session is read-only (db does it).

import type { Connection } from 'vscode-languageserver/node';
import type { PgwardenConfig } from '../../core/config';
import type { FindQuery, WorkspaceLocation } from '../../core/live/locate';
import type { AccessSnapshot, RowAccess } from '../../core/live/row-access';
import { mergeCatalogFacts } from '../../core/catalog-facts';
import { CatalogFacts } from '../../core/workspace';
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
  loadPrivilegeGraph,
  PrivilegeGraph,
  resolveProfile,
  ResolvedTarget,
  RoleDetails,
  roleDetails,
  RoleGroup,
  Session,
  TableInfo,
  tableDetails,
  tlsWarning,
} from '../../db';
import {
  DbChildrenParams,
  DbChildrenResult,
  DbConnectParams,
  DbConnectResult,
  DbFailure,
  DbFindInWorkspaceParams,
  DbLostNotification,
  DbResolveResult,
} from '../../shared/protocol';
import { ConnectionProfile, sanitizeProfile } from '../../shared/profile';
import { SEAL_ENV, unseal } from '../../shared/seal';
import type { ComparedDatabase } from '../../core/drift/declared';
import type { RootDeclared } from '../drift-declared';
import type { LiveDiagnostics } from './diagnostics';
import type { LiveDriftCache } from './drift';
import { children } from './browse';
import { auditFindings } from './findings';

export interface LiveHost {
  connection: Connection;
  /** Puts live catalog facts into the workspace model the rules see (AnalysisHost.setCatalog). */
  setCatalog: (facts: CatalogFacts | undefined) => Promise<void>;
  /** Re-lints open documents after the workspace facts changed (a catalog came or went). */
  refreshDiagnostics: () => void;
  reportInternalError: (what: string, err: unknown) => void;
  /** "Find in workspace", run by the analysis worker over its roots, ignore globs and open documents. */
  findInWorkspace: (q: FindQuery) => Promise<WorkspaceLocation[]>;
  /** The first statement creating each object, per query (AnalysisHost.placeLive). */
  place(queries: FindQuery[]): Promise<Array<WorkspaceLocation | undefined>>;
  /** pgwarden.json as the analysis worker holds it. */
  config: () => Promise<PgwardenConfig>;
  /** Each project root's declared access as drift facts, CURRENT_USER read as `migrationRole`, `database` the connected one (AnalysisHost.driftDeclared). */
  driftDeclared: (migrationRole: string, major: number, database?: ComparedDatabase) => Promise<RootDeclared[]>;
  /** The schemas the declared objects stand in (AnalysisHost.driftSchemas). */
  driftSchemas: (migrationRole: string, major: number) => Promise<string[]>;
  /** Live policy expressions in the comparison's canonical form, by the worker's parser (AnalysisHost.driftExpressionKeys). */
  driftExpressionKeys: (texts: string[]) => Promise<Array<string | null>>;
  /** Asks the editor to ask for CodeLenses again (the drift lenses change with the connections). */
  refreshLenses: () => void;
  diagnostics: LiveDiagnostics;
}


/** One connected database and what has been read from it since the last refresh. */
export interface Live {
  id: string;
  session: Session;
  target: ResolvedTarget;
  fingerprint: string;
  description: string;
  facts?: CatalogFacts;
  details: Map<string, Promise<RoleDetails | undefined>>;
  tables: Map<string, Promise<TableInfo | undefined>>;
  graph?: Promise<PrivilegeGraph>;
  /** Roles and memberships for "who can access" (the table comes from `tables`). */
  access?: Promise<AccessSnapshot>;
  /** The same with every relation, for a role's rows on every table. */
  accessAll?: Promise<RowAccess>;
  audit?: Promise<AuditResult>;
  counts?: Promise<Record<RoleGroup, number>>;
  schemas?: Promise<Array<{ schema: string; owner: string; relations: number }>>;
  drift?: LiveDriftCache;
}

class NotConnected extends Error {}

export class LiveSessions {
  private trusted = false;
  private readonly live = new Map<string, Live>();
  /** The key sealed passwords arrive under, taken out of the environment so no child process inherits it. */
  private readonly sealKey: string | undefined;

  constructor(readonly host: LiveHost) {
    this.sealKey = process.env[SEAL_ENV];
    delete process.env[SEAL_ENV];
  }

  /** Runs a handler; an unexpected throw is reported once and answered with the fallback. */
  async guarded<T>(what: string, fn: () => Promise<T> | T, fallback: (message: string) => T): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      this.host.reportInternalError(`database ${what}`, err);
      return fallback(err instanceof Error ? err.message : String(err));
    }
  }

  /** Runs a request against a connection; database failures become a DbFailure the tree can show. */
  async failSafe<T>(what: string, id: unknown, fn: (live: Live) => Promise<T>): Promise<T | DbFailure> {
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

  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    if (!trusted) {
      // Trust can only be granted in VS Code, but if a client ever withdraws it, nothing stays connected.
      for (const id of [...this.live.keys()]) void this.disconnect(id);
    }
  }

  resolve(profile: unknown): DbResolveResult {
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

  async connect(p: DbConnectParams): Promise<DbConnectResult> {
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

  async disconnect(id: unknown): Promise<void> {
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

  forget(live: Live): void {
    live.details.clear();
    live.tables.clear();
    live.graph = undefined;
    live.access = undefined;
    live.accessAll = undefined;
    live.audit = undefined;
    live.counts = undefined;
    live.schemas = undefined;
    live.drift = undefined;
  }

  /**
   * Reads the catalog facts the linters use; a role that may not read them leaves the model
   * as it was. A failure that ended the session (a client-side timeout, a broken stream)
   * drops the connection and is returned, so no caller reports a dead session as connected.
   */
  async loadFacts(live: Live): Promise<DbError | undefined> {
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
    const merged = mergeCatalogFacts([...this.live.values()].map((l) => l.facts).filter((f): f is CatalogFacts => f !== undefined));
    void this.host
      .setCatalog(merged)
      .catch((err) => this.host.reportInternalError('sharing the catalog with the analysis', err))
      .then(() => {
        this.host.refreshDiagnostics();
        this.host.refreshLenses();
      });
  }

  auditOf(live: Live): Promise<AuditResult> {
    if (!live.audit) {
      const p = this.host.config().then((config) => audit(live.session, { config, onInternalError: (id, err) => this.host.reportInternalError(`rule ${id}`, err) }));
      live.audit = p;
      // A failed audit is not cached, so the next look tries again.
      p.catch(() => {
        if (live.audit === p) live.audit = undefined;
      });
    }
    return live.audit;
  }

  /** Runs the audit in the background and publishes its findings on the workspace files. */
  startAudit(live: Live): void {
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

  details(live: Live, role: string): Promise<RoleDetails | undefined> {
    return cached(live.details, role, () => roleDetails(live.session, role));
  }

  table(live: Live, schema: string, name: string): Promise<TableInfo | undefined> {
    return cached(live.tables, `${schema}\u0000${name}`, () => tableDetails(live.session, schema, name));
  }

  graph(live: Live): Promise<PrivilegeGraph> {
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

  children(live: Live, p: DbChildrenParams): Promise<DbChildrenResult> {
    return children(this, live, p);
  }

  // ---- the workspace ----------------------------------------------------------------

  async findInWorkspace(p: DbFindInWorkspaceParams): Promise<WorkspaceLocation[]> {
    const q: FindQuery = {};
    if (typeof p.role === 'string') q.role = p.role;
    else if (p.table && typeof p.table.name === 'string' && typeof p.table.schema === 'string') q.table = { schema: p.table.schema, name: p.table.name };
    else return [];
    const out = await this.host.findInWorkspace(q);
    return out.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.range.start.line - b.range.start.line));
  }

  /** The connected databases, in the order they connected. */
  connected(): Live[] {
    return [...this.live.values()];
  }

  /** Hands every connection's audit findings to the publisher, which places them on the workspace files. */
  private publishDbDiagnostics(): void {
    void (async () => {
      // The tree shows an audit's failure; the Problems panel has nothing to add.
      const { found } = await auditFindings(this);
      this.host.diagnostics.update(found);
    })();
  }
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
export function checkProfile(profile: unknown): ConnectionProfile {
  if (!profile || typeof profile !== 'object') throw new Error('no connection profile given');
  const problems: string[] = [];
  const p = sanitizeProfile({ name: 'connection', ...profile }, problems);
  if (!p) throw new Error('no connection profile given');
  if (problems.length) throw new Error(problems[0]);
  return p;
}
