// Drift in the editor, on the main thread: the declared facts of each project root come from
// the analysis worker (../drift-declared.ts), the live ones from the connected database
// (db/access.ts, read once per connection until a refresh), and core/drift compares them
// as `pgwarden drift` does. The Drift node, the CodeLens on GRANT/REVOKE/POLICY/RLS
// statements and the reconciling and adopting SQL all start from this one comparison.

import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Claim } from '../../core/drift/claims';
import { judgeClaims } from '../../core/drift/claims';
import { compareFacts, DriftFinding } from '../../core/drift/compare';
import type { ComparedDatabase } from '../../core/drift/declared';
import type { Fact } from '../../core/drift/facts';
import { liveFacts } from '../../core/drift/live';
import { nextMigrationPath } from '../../core/drift/migration-name';
import { adoptingSql, reconcilingSql } from '../../core/drift/sql';
import type { Place } from '../../core/model/state';
import { connectedDatabase, readLiveAccess } from '../../db';
import type { DbDriftSqlParams, DbDriftSqlResult, DriftPlace } from '../../shared/protocol';
import type { RootDeclared } from '../drift-declared';
import type { Live, LiveSessions } from './sessions';

/** What a connection keeps between requests: its migration role and the live facts read for a set of schemas. */
export interface LiveDriftCache {
  database?: Promise<ComparedDatabase>;
  facts?: { key: string; facts: Promise<{ list: Fact[]; byKey: Map<string, Fact> }> };
  /** What the client was last given of the Drift node (./drift-follow.ts), once it has asked. */
  shown?: string;
}

export interface RootDrift extends RootDeclared {
  findings: DriftFinding[];
}

export interface DriftComparison {
  migrationRole: string;
  live: Fact[];
  liveByKey: ReadonlyMap<string, Fact>;
  roots: RootDrift[];
}

/** The statements of one document with what each says, as the worker reads them (core/drift/claims.ts). */
export type DocumentClaims = Array<{ range: DriftPlace['range']; claims: Claim[] }>;

function once<T>(get: () => Promise<T> | undefined, set: (p: Promise<T> | undefined) => void, load: () => Promise<T>): Promise<T> {
  let p = get();
  if (!p) {
    p = load();
    set(p);
    const mine = p;
    // A failure is not remembered: the next look asks again.
    mine.catch(() => {
      if (get() === mine) set(undefined);
    });
  }
  return p;
}

/** The connected database's name and owner, read once per connection until a refresh. */
function comparedDatabase(live: Live): Promise<ComparedDatabase> {
  const c = (live.drift ??= {});
  return once(() => c.database, (p) => (c.database = p), () => connectedDatabase(live.session));
}

/** The role the migrations run as: pgwarden.json's "drift.migrationRole", else the database's owner. */
async function migrationRole(s: LiveSessions, live: Live): Promise<string> {
  const configured = (await s.host.config()).drift.migrationRole;
  if (configured) return configured;
  return (await comparedDatabase(live)).owner;
}

async function liveSide(s: LiveSessions, live: Live, schemas: readonly string[], role: string): Promise<{ list: Fact[]; byKey: Map<string, Fact> }> {
  const platformRoles = (await s.host.config()).drift.platformRoles;
  const key = JSON.stringify([[...schemas].sort(), role, platformRoles]);
  const c = (live.drift ??= {});
  if (c.facts?.key !== key) c.facts = undefined;
  const facts = once(
    () => c.facts?.facts,
    (p) => (c.facts = p && { key, facts: p }),
    async () => {
      const list = await withExpressionKeys(s, liveFacts(await readLiveAccess(live.session, schemas, role), { platformRoles }));
      return { list, byKey: new Map(list.map((f) => [f.key, f])) };
    },
  );
  return facts;
}

type ExpressionFact = Extract<Fact, { kind: 'policy expression' }>;

/**
 * The live policy expressions made comparable. liveFacts leaves them unknown on this thread,
 * which loads no parser (a WASM failure here would take the server down; the worker is
 * replaceable), so the worker's parser brings pg_get_expr's text to the canonical form the
 * declared side has, and the editor reports a USING or WITH CHECK changed by hand as
 * `pgwarden drift` does. What the worker cannot read stays unknown: never a finding.
 */
async function withExpressionKeys(s: LiveSessions, list: Fact[]): Promise<Fact[]> {
  const unread = list.flatMap((f, i) => (f.kind === 'policy expression' && f.unknown && f.text !== undefined ? [i] : []));
  if (!unread.length) return list;
  let keys: Array<string | null>;
  try {
    keys = await s.host.driftExpressionKeys(unread.map((i) => (list[i] as ExpressionFact).text!));
  } catch (err) {
    s.host.reportInternalError('drift: reading policy expressions', err);
    return list;
  }
  const out = [...list];
  unread.forEach((i, n) => {
    const key = keys[n];
    if (typeof key !== 'string') return;
    const { unknown: _, ...known } = list[i] as ExpressionFact;
    out[i] = { ...known, value: key };
  });
  return out;
}

/** The drift of one connection against every project root that declares access. */
export async function compareLive(s: LiveSessions, live: Live): Promise<DriftComparison> {
  const role = await migrationRole(s, live);
  const roots = await s.host.driftDeclared(role, live.session.major, await comparedDatabase(live));
  const schemas = new Set<string>(['public']);
  for (const r of roots) for (const x of r.declared.schemas) schemas.add(x);
  const side = await liveSide(s, live, [...schemas], role);
  return {
    migrationRole: role,
    live: side.list,
    liveByKey: side.byKey,
    roots: roots.map((r) => ({ ...r, findings: compareFacts(r.declared, side.list, { migrationRole: role }) })),
  };
}

/**
 * The live facts alone, for the lenses: the schemas read are the declared ones, as for the
 * comparison (so both share one catalog read), without the declared facts crossing threads.
 */
export async function liveFactsFor(s: LiveSessions, live: Live): Promise<{ role: string; byKey: ReadonlyMap<string, Fact> }> {
  const role = await migrationRole(s, live);
  const side = await liveSide(s, live, await s.host.driftSchemas(role, live.session.major), role);
  return { role, byKey: side.byKey };
}

export interface Lens {
  range: DriftPlace['range'];
  title: string;
  tooltip: string;
}

/**
 * One lens per GRANT, REVOKE, CREATE POLICY and RLS statement and connected database, saying
 * whether the database has what the statement says. `claimsOf` asks the worker for the
 * document's statements, with CURRENT_USER read as the connection's migration role.
 */
export async function driftLenses(s: LiveSessions, claimsOf: (role: string) => Promise<DocumentClaims | null>): Promise<Lens[]> {
  const connected = s.connected();
  const out: Lens[] = [];
  for (const live of connected) {
    let side: { role: string; byKey: ReadonlyMap<string, Fact> };
    try {
      side = await liveFactsFor(s, live);
    } catch {
      // A database that cannot be read says nothing here; the Drift node shows why.
      continue;
    }
    const statements = (await claimsOf(side.role)) ?? [];
    const prefix = connected.length > 1 ? `live (${live.id})` : 'live';
    for (const st of statements) {
      const v = judgeClaims(st.claims, side.byKey);
      out.push({
        range: st.range,
        title: v.text.replace(/^live/, prefix),
        tooltip: v.details.length ? v.details.join('\n') : `${live.description} has what this statement says.`,
      });
    }
  }
  return out;
}

/** The root a request names, or the first. */
function pickRoot(c: DriftComparison, root: string | undefined): RootDrift | undefined {
  return root === undefined ? c.roots[0] : c.roots.find((r) => r.root === root);
}

/** A workspace file's path relative to its project root, '/'-separated (a URI that is no file stays as it is). */
export function rootRelative(root: string, uri: string): string {
  return uri.startsWith('file:') ? relative(root, fileURLToPath(uri)).split(sep).join('/') : uri;
}

/** `migrations/001_init.sql:12` for a declaring statement, relative to its root. */
function placeText(root: RootDrift): (at: Place) => string {
  const byStart = new Map<string, DriftPlace>();
  for (const f of root.declared.facts) if (f.at && root.places[f.key]) byStart.set(`${f.at.uri}\u0000${f.at.start}`, root.places[f.key]);
  return (at) => {
    const p = byStart.get(`${at.uri}\u0000${at.start}`);
    const path = rootRelative(root.root, at.uri);
    return p ? `${path}:${p.range.start.line + 1}` : path;
  };
}

/** The reconciling or adopting SQL of a connection's drift; for adopting, where the new migration goes. */
export async function driftSql(s: LiveSessions, live: Live, p: DbDriftSqlParams, now = new Date()): Promise<DbDriftSqlResult> {
  const c = await compareLive(s, live);
  const root = pickRoot(c, typeof p.root === 'string' ? p.root : undefined);
  if (!root) return { ok: false, kind: 'other', message: 'No SQL file in the workspace declares roles, grants or policies to compare the database with.' };
  const options = { major: live.session.major, where: placeText(root) };
  if (p.mode === 'reconcile') return { ok: true, sql: reconcilingSql(root.findings, root.declared.facts, options), findings: root.findings.length, root: root.root };
  const sql = adoptingSql(root.findings, c.live, options);
  const toPosix = (x: string) => x.split(sep).join('/');
  let file = nextMigrationPath(toPosix(root.root), root.lastMigration && toPosix(root.lastMigration), now);
  for (let i = 2; existsSync(file); i++) file = file.replace(/(_\d+)?(\.up)?\.sql$/, `_${i}$2.sql`);
  return { ok: true, sql, findings: root.findings.length, root: root.root, newFile: pathToFileURL(file).toString() };
}
