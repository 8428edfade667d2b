// The live database's requests: the one place they are registered. Each answers with a
// failure the client can show; no error escapes (sessions.ts's guarded and failSafe).

import type { CodeLens, Connection } from 'vscode-languageserver/node';
import {
  DbAccessReportRequest,
  DbAuditRequest,
  DbChildrenRequest,
  DbConnectRequest,
  DbConnectResult,
  DbDisconnectRequest,
  DbDriftChangedNotification,
  DbDriftSqlRequest,
  DbEffectivePrivilegesRequest,
  DbFindingsRequest,
  DbFindInWorkspaceRequest,
  DbGenerateSqlRequest,
  DbRefreshRequest,
  DbResolveRequest,
  DbRoleDetailsRequest,
  DbRoleGraphRequest,
  DbTableDetailsRequest,
  DbTrustNotification,
  DbWhoCanAccessRequest,
} from '../../shared/protocol';
import { roleGraphPicture } from '../../core/live/role-graph-svg';
import { holdingText, renderAccess, tableTitle, verdictText } from '../../core/live/access-report';
import { generateSql, SqlGenerationError } from '../db-sql';
import { LiveDiagnostics, LiveDiagnosticsHost } from './diagnostics';
import { DocumentClaims, driftLenses, driftSql } from './drift';
import { DriftFollower } from './drift-follow';
import { findingItems } from './findings';
import { rowAccess } from './access-reads';
import { LiveHost, LiveSessions } from './sessions';

export type LiveServerHost = Omit<LiveHost, 'diagnostics'> &
  Omit<LiveDiagnosticsHost, 'connection' | 'reportInternalError'> & {
    /** A SQL document's statements with what each says about access (the worker's sql.driftClaims); null when not analysed. */
    driftClaims: (uri: string, migrationRole: string) => Promise<DocumentClaims | null>;
  };

/** Hooks the live-database requests into the server. Call once, before `connection.listen()`. */
export function registerLiveHandlers(host: LiveServerHost): { sessions: LiveSessions; diagnostics: LiveDiagnostics; drift: DriftFollower } {
  const diagnostics = new LiveDiagnostics(host);
  const s = new LiveSessions({ ...host, diagnostics });
  const c: Connection = host.connection;
  // The Drift node follows edits of the migrations: the server says when to redraw it.
  const drift = new DriftFollower(s, (id) => void c.sendNotification(DbDriftChangedNotification, { id }).catch(() => undefined));
    c.onNotification(DbTrustNotification, (p) => s.setTrusted(p?.trusted === true));
    c.onRequest(DbResolveRequest, (p) => s.resolve(p?.profile));
    c.onRequest(DbConnectRequest, (p) => s.guarded('connect', () => s.connect(p), (m) => ({ status: 'error', kind: 'other', message: m }) as DbConnectResult));
    c.onRequest(DbDisconnectRequest, (p) => s.guarded('disconnect', () => s.disconnect(p?.id), () => undefined));
    c.onRequest(DbRefreshRequest, (p) =>
      s.failSafe('refresh', p?.id, async (live) => {
        s.forget(live);
        const ended = await s.loadFacts(live);
        if (ended) return { ok: false as const, kind: ended.kind, message: ended.message };
        s.startAudit(live);
        return { ok: true as const };
      }),
    );
    c.onRequest(DbChildrenRequest, (p) => s.failSafe('tree', p?.id, (live) => s.children(live, p)));
    c.onRequest(DbRoleDetailsRequest, (p) =>
      s.failSafe('role details', p?.id, async (live) => ({ ok: true as const, details: (await s.details(live, String(p.role))) ?? null })),
    );
    c.onRequest(DbTableDetailsRequest, (p) =>
      s.failSafe('table details', p?.id, async (live) => ({ ok: true as const, table: (await s.table(live, String(p.schema), String(p.table))) ?? null })),
    );
    c.onRequest(DbWhoCanAccessRequest, (p) =>
      s.failSafe('who can access', p?.id, async (live) => {
        const holders = (await s.graph(live)).tableHolders(String(p.schema), String(p.table));
        const a = await rowAccess(s, live, String(p.schema), String(p.table));
        const rows = (a?.entries ?? []).map((e) => ({ role: e.role, privilege: e.privilege, path: holdingText(e.holding), rowSecurity: verdictText(e.rls, e.privilege) }));
        return { ok: true as const, holders, rows };
      }),
    );
    c.onRequest(DbAccessReportRequest, (p) =>
      s.failSafe('access report', p?.id, async (live) => {
        const a = await rowAccess(s, live, String(p.schema), String(p.table));
        if (!a) return { ok: false as const, kind: 'other' as const, message: `table ${p.schema}.${p.table} no longer exists; refresh the tree` };
        const format = p.format === 'csv' ? 'csv' : 'markdown';
        return { ok: true as const, text: renderAccess(tableTitle(a.table), a.entries, 'table', format) };
      }),
    );
    c.onRequest(DbEffectivePrivilegesRequest, (p) =>
      s.failSafe('effective privileges', p?.id, async (live) => ({ ok: true as const, privileges: (await s.graph(live)).effectivePrivileges(String(p.role)) })),
    );
    // Findings and skipped checks only: the snapshot the audit keeps stays on the server.
    c.onRequest(DbAuditRequest, (p) =>
      s.failSafe('audit', p?.id, async (live) => {
        const { findings, skipped } = await s.auditOf(live);
        return { ok: true as const, findings, skipped };
      }),
    );
    c.onRequest(DbRoleGraphRequest, (p) =>
      s.failSafe('role graph', p?.id, async (live) => {
        const pic = roleGraphPicture((await s.auditOf(live)).snapshot);
        return { ok: true as const, svg: pic.svg, drawn: pic.drawn, omitted: pic.omitted, paths: pic.pathLines };
      }),
    );
    c.onRequest(DbFindingsRequest, () => s.guarded('findings', () => findingItems(s), (m) => ({ items: [], failed: [{ id: '', message: m }] })));
    c.onRequest(DbGenerateSqlRequest, (p) => {
      try {
        return { ok: true as const, sql: generateSql(p) };
      } catch (err) {
        if (!(err instanceof SqlGenerationError)) host.reportInternalError('generating SQL', err);
        return { ok: false as const, message: `pgwarden cannot write this statement safely: ${err instanceof Error ? err.message : String(err)}` };
      }
    });
    c.onRequest(DbDriftSqlRequest, (p) => s.failSafe('drift SQL', p?.id, (live) => driftSql(s, live, p)));
    // Whether each GRANT, REVOKE, CREATE POLICY and RLS statement is what the connected databases hold.
    c.onCodeLens((p) =>
      s.guarded(
        'drift lenses',
        async (): Promise<CodeLens[]> => {
          if (!s.connected().length) return [];
          const lenses = await driftLenses(s, (role) => host.driftClaims(p.textDocument.uri, role));
          return lenses.map((l) => ({ range: l.range, command: { title: l.title, tooltip: l.tooltip, command: '' } }));
        },
        () => [],
      ),
    );
    c.onRequest(DbFindInWorkspaceRequest, (p) => s.guarded('find in workspace', () => s.findInWorkspace(p ?? {}), () => []));
  return { sessions: s, diagnostics, drift };
}
