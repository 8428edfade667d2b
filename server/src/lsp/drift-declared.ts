// The worker's half of drift in the editor: each project root's declared state as facts
// (core/drift/declared.ts), with the place of every declaring statement as an editor range,
// and the last migration the tool runs (for naming an adopting one). The main thread reads
// the database and compares (./live/drift.ts); the facts cross the thread boundary as
// plain data (structured clone keeps their Sets). The live side's policy expressions are
// normalised here too (expressionKeys), since only this thread loads the parser.

import { fileURLToPath } from 'node:url';
import { ComparedDatabase, DeclaredFacts, declaredFacts } from '../core/drift/declared';
import { expressionKey, parseExpression } from '../core/drift/expression';
import { LineIndex } from '../core/text';
import type { Workspace } from '../core/workspace';
import { readText } from '../files';
import type { DriftPlace } from '../shared/protocol';
import { toRange } from './convert';
import type { ServerState } from './state';

export interface RootDeclared {
  /** The project root's folder. */
  root: string;
  declared: DeclaredFacts;
  /** Where each declared fact's statement stands now, by fact key. */
  places: Record<string, DriftPlace>;
  /** The last up migration in the order the tool runs them (a file path), for naming a new one. */
  lastMigration?: string;
}

/**
 * Per workspace and role: the facts stay while the workspace's facts do; their places while
 * no open document changed too (an edit that only moves statements keeps the facts).
 */
const cache = new WeakMap<Workspace, { key: string; stamp: string; value: RootDeclared }>();

/** The open documents' versions: what an edit that only moves statements changes. */
function openStamp(state: ServerState): string {
  return state
    .openDocs()
    .map((d) => `${d.uri}@${d.version}`)
    .sort()
    .join('\u0000');
}

/**
 * The declared facts of every project root that declares anything; `migrationRole` stands for
 * CURRENT_USER, `major` is the connected server's (memberships inherit by its rules), and
 * `database` the connected database (its name and owner), whose grants are compared.
 */
export function driftDeclared(state: ServerState, migrationRole: string, major: number, database?: ComparedDatabase): RootDeclared[] {
  const out: RootDeclared[] = [];
  const stamp = openStamp(state);
  for (const { root, ws } of state.projectWorkspaces()) {
    if (ws.fileCount === 0) continue;
    const key = `${ws.version}\u0000${migrationRole}\u0000${major}\u0000${database?.name}\u0000${database?.owner}`;
    const hit = cache.get(ws);
    if (hit && hit.key === key) {
      if (hit.stamp !== stamp) {
        hit.value = { ...hit.value, places: placesOf(state, ws, hit.value.declared) };
        hit.stamp = stamp;
      }
      out.push(hit.value);
      continue;
    }
    const value = rootDeclared(state, root, ws, migrationRole, major, database);
    if (!value) continue;
    cache.set(ws, { key, stamp, value });
    out.push(value);
  }
  return out.sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
}

function rootDeclared(state: ServerState, root: string, ws: Workspace, migrationRole: string, major: number, database?: ComparedDatabase): RootDeclared | undefined {
  const model = ws.model();
  const declared = declaredFacts(model.state, migrationRole, { major, database });
  // A root of queries or tests only declares nothing: there is nothing to compare it with.
  if (!declared.facts.some((f) => f.at)) return undefined;
  let lastMigration: string | undefined;
  for (const file of model.files) {
    const kind = ws.layoutOf(file.uri)?.kind;
    if ((kind === 'up' || kind === undefined || kind === 'schema') && file.uri.startsWith('file:')) lastMigration = fileURLToPath(file.uri);
  }
  return { root, declared, places: placesOf(state, ws, declared), ...(lastMigration ? { lastMigration } : {}) };
}

/** Where each declared fact's statement stands now, as an editor range. */
function placesOf(state: ServerState, ws: Workspace, declared: DeclaredFacts): Record<string, DriftPlace> {
  const model = ws.model();
  const lines = new Map<string, LineIndex | undefined>();
  const linesOf = (uri: string) => {
    if (!lines.has(uri)) {
      const open = state.get(uri)?.analysis.lines;
      let text: string | undefined;
      if (!open) {
        try {
          text = readText(fileURLToPath(uri));
        } catch {
          text = undefined;
        }
      }
      lines.set(uri, open ?? (text === undefined ? undefined : new LineIndex(text)));
    }
    return lines.get(uri);
  };
  const places: Record<string, DriftPlace> = {};
  for (const f of declared.facts) {
    if (!f.at) continue;
    const li = linesOf(f.at.uri);
    const start = model.startOf(f.at);
    if (li) places[f.key] = { uri: f.at.uri, range: toRange(li, start, start + (f.at.end - f.at.start)) };
  }
  return places;
}

/** The schemas every root's declared objects stand in (with `public`): what the live side reads, without the facts crossing threads. */
export function driftSchemas(state: ServerState, migrationRole: string, major: number): string[] {
  const out = new Set<string>(['public']);
  for (const r of driftDeclared(state, migrationRole, major)) for (const s of r.declared.schemas) out.add(s);
  return [...out].sort();
}

/**
 * Policy expressions as pg_get_expr writes them, each in the canonical form the comparison
 * uses (core/drift/expression.ts), or null when it does not parse (compared as unknown).
 */
export function expressionKeys(texts: readonly string[]): Array<string | null> {
  return texts.map((t) => {
    const ast = typeof t === 'string' ? parseExpression(t) : undefined;
    return ast === undefined ? null : expressionKey(ast);
  });
}
