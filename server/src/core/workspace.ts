// The workspace model: the facts of every indexed SQL file, merged, plus (while a
// database is connected) facts read from its catalog. Rules ask it questions; they
// never see individual files.

import { QualifiedName } from './sql/ast';
import { ExecuteRevoke, FileFacts, LocatedName } from './sql/facts';
import { sameFactsBesidesLocations, sameJson } from './sql/facts-equality';
import { Effect } from './model/effects';
import { compareLayout, extensionSearchPath, FileLayout, naturalCompare } from './model/layout';
import { Model } from './model/model';
import { FileEffects } from './model/state';
import type { IdentFact } from './ident/rule';
import type { LiveServer } from './live/settings';

/** Facts read from a live catalog; every field is optional because a role may not read all of it. */
export interface CatalogFacts {
  superusers: string[];
  roles: string[];
  /** Tables with RLS enabled, forced, or having policies, schema-qualified. */
  rlsEnabled: QualifiedName[];
  rlsForced: QualifiedName[];
  policies: QualifiedName[];
  /** The connected servers' pg_settings, for conf-server-differs. */
  servers?: LiveServer[];
}

/** Names match when their names are equal and their schemas are equal or either is unqualified. */
export function sameName(a: QualifiedName, b: QualifiedName): boolean {
  return a.name === b.name && (!a.schema || !b.schema || a.schema === b.schema);
}

export class Workspace {
  private readonly files = new Map<string, FileFacts>();
  /** The mappings of pg_ident.conf files, by URI or path, as the server loads them. */
  private readonly identFiles = new Map<string, IdentFact[]>();
  private catalog: CatalogFacts | undefined;
  private cache: Merged | undefined;
  private models: Map<string, Model> | undefined;
  private supersededUris: Set<string> | undefined;
  private extensionRoots: Map<string, boolean> | undefined;
  /** Root URIs, longest first. */
  private roots: string[] = [];
  /** Increases whenever a fact changes, so dependants can tell whether to re-check. */
  version = 0;

  setFile(uri: string, facts: FileFacts): boolean {
    const before = this.files.get(uri);
    if (before && sameFactsBesidesLocations(before, facts)) {
      // Only positions moved: keep them current without counting it as a change of facts.
      this.files.set(uri, facts);
      this.cache = undefined;
      // The models stay: their places are read by effect index through current facts.
      return false;
    }
    this.files.set(uri, facts);
    this.changed();
    return true;
  }

  deleteFile(uri: string): boolean {
    const had = this.files.delete(uri);
    if (had) this.changed();
    return had;
  }

  /**
   * The maps of a pg_ident.conf (undefined forgets it). A file with any invalid line gives
   * undefined: the server then loads no map from it, or keeps the old ones on reload.
   */
  setIdentMaps(uri: string, maps: IdentFact[] | undefined): boolean {
    const before = this.identFiles.get(uri);
    if (maps === undefined ? before === undefined : before !== undefined && sameJson(before, maps)) return false;
    if (maps === undefined) this.identFiles.delete(uri);
    else this.identFiles.set(uri, maps);
    this.changed();
    return true;
  }

  /** The maps of the pg_ident.conf beside a pg_hba.conf (same folder), when the workspace knows it. */
  identMapsFor(hbaUri: string): IdentFact[] | undefined {
    const dir = hbaUri.slice(0, hbaUri.lastIndexOf('/') + 1);
    return this.identFiles.get(`${dir}pg_ident.conf`);
  }

  setCatalog(catalog: CatalogFacts | undefined): void {
    this.catalog = catalog;
    this.changed();
  }

  hasCatalog(): boolean {
    return this.catalog !== undefined;
  }

  /** The settings of every connected server whose pg_settings could be read. */
  liveServers(): readonly LiveServer[] {
    return this.catalog?.servers ?? [];
  }

  get fileCount(): number {
    return this.files.size;
  }

  private changed(): void {
    this.version++;
    this.cache = undefined;
    this.models = undefined;
    this.supersededUris = undefined;
    this.extensionRoots = undefined;
  }

  /**
   * The declared state of the project root holding `uri`: its files' effects folded in the
   * order the migration tool runs them (compareLayout; URI order between files the layout
   * cannot tell apart). Down migrations and tests are not part of the schema's history, and
   * a pg_dump counts only in a root without up migrations (beside migrations it repeats
   * them). Such a file is asked about against the root's history with itself folded last,
   * as it would run against the migrated schema.
   */
  model(uri?: string): Model {
    const root = uri === undefined ? '' : this.rootOf(uri);
    this.models ??= new Map();
    const own = uri !== undefined && this.files.has(uri) && !this.countsInRoot(uri, root);
    const cacheKey = own ? `${root}\u0000${uri}` : root;
    let m = this.models.get(cacheKey);
    if (!m) {
      const files = this.rootFiles(root);
      if (own) files.push(fileEffects(uri!, this.files.get(uri!)!));
      m = new Model(files, (u) => this.files.get(u)?.effects);
      this.models.set(cacheKey, m);
    }
    return m;
  }

  /** A root's files that make its schema's history, in migration order. */
  private rootFiles(root: string): FileEffects[] {
    return [...this.files.entries()]
      .filter(([u]) => this.rootOf(u) === root && this.countsInRoot(u, root))
      .sort(([a, fa], [b, fb]) => (fa.layout && fb.layout ? compareLayout(fa.layout, fb.layout) : 0) || (a < b ? -1 : a > b ? 1 : 0))
      .map(([u, f]) => fileEffects(u, f));
  }

  /** Whether a file is part of its root's schema history (see model()). */
  private countsInRoot(uri: string, root: string): boolean {
    const kind = this.files.get(uri)?.layout?.kind;
    if (kind === 'down' || kind === 'test' || this.superseded(uri)) return false;
    if (kind !== 'dump') return true;
    for (const [u, f] of this.files) if (f.layout?.kind === 'up' && this.rootOf(u) === root) return false;
    return true;
  }


  /** A file's place in its project (kind, order, extension script), when indexed with one. */
  layoutOf(uri: string): FileLayout | undefined {
    return this.files.get(uri)?.layout;
  }

  /** A file's effects in statement order, as the model folds them (undefined for a file not indexed). */
  effectsOf(uri: string): readonly Effect[] | undefined {
    return this.files.get(uri)?.effects;
  }

  /**
   * Whether a file is an extension script that a newer full install script of the same
   * extension, in the same folder, supersedes: `name--1.0.sql` and `name--0.9--1.0.sql`
   * beside `name--2.0.sql`. CREATE EXTENSION runs one install script and then the upgrades
   * after it, so the older scripts are alternative histories no new install runs; the
   * newest install script and the upgrades past it are the extension's state.
   */
  superseded(uri: string): boolean {
    if (!this.supersededUris) {
      const newest = new Map<string, string>();
      const group = (u: string, name: string) => `${u.slice(0, u.lastIndexOf('/'))}\u0000${name}`;
      for (const [u, f] of this.files) {
        const e = f.layout?.extension;
        if (!e || e.from !== undefined || f.layout?.kind !== 'up') continue;
        const k = group(u, e.name);
        const had = newest.get(k);
        if (had === undefined || naturalCompare(e.to, had) > 0) newest.set(k, e.to);
      }
      this.supersededUris = new Set();
      for (const [u, f] of this.files) {
        const e = f.layout?.extension;
        const top = e && newest.get(group(u, e.name));
        if (!e || top === undefined) continue;
        const c = naturalCompare(e.to, top);
        if (c < 0 || (c === 0 && e.from !== undefined)) this.supersededUris.add(u);
      }
    }
    return this.supersededUris.has(uri);
  }

  /**
   * Whether the file's project is a PostgreSQL extension: its root holds extension scripts
   * (`name--1.0.sql`, `name--1.0--1.1.sql`, timescaledb's `1.0--1.1.sql`), whose objects
   * are created by CREATE EXTENSION, like PostgreSQL's own catalogs.
   */
  extensionProject(uri: string): boolean {
    const root = this.rootOf(uri);
    this.extensionRoots ??= new Map();
    let is = this.extensionRoots.get(root);
    if (is === undefined) {
      is = false;
      for (const [u, f] of this.files) if (f.layout?.tool === 'extension' && this.rootOf(u) === root) is = true;
      this.extensionRoots.set(root, is);
    }
    return is;
  }

  /**
   * Project roots: URI prefixes (folder URIs ending in '/') each with a model of its own, so
   * one project's history never answers for another's. A file belongs to the longest root
   * that holds it; files under none share the '' root.
   */
  setRoots(roots: readonly string[]): void {
    const next = [...new Set(roots.map((r) => (r.endsWith('/') ? r : r + '/')))].sort((a, b) => b.length - a.length);
    if (next.join('\n') === this.roots.join('\n')) return;
    this.roots = next;
    this.changed();
  }

  /** The root holding a file ('' when none does). */
  rootOf(uri: string): string {
    return this.roots.find((r) => uri.startsWith(r)) ?? '';
  }


  private merged(): Merged {
    if (this.cache) return this.cache;
    const m: Merged = {
      tables: [],
      rlsEnabled: byName(),
      rlsForced: byName(),
      policies: byName(),
      superusers: new Set(),
      roles: new Set(),
      revoked: byName(),
      revokedSchemas: new Set(),
      executeRevokedFunctions: byName(),
      executeRevokeScopes: [],
      searchPathSet: byName(),
      securityInvokerViews: byName(),
      restrictivePolicies: [],
    };
    for (const f of this.files.values()) {
      m.tables.push(...f.tables);
      f.rlsEnabled.forEach((t) => add(m.rlsEnabled, t));
      f.rlsForced.forEach((t) => add(m.rlsForced, t));
      f.policies.forEach((t) => add(m.policies, t));
      f.superusers.forEach((r) => m.superusers.add(r));
      f.roles.forEach((r) => m.roles.add(r));
      f.publicExecuteRevoked.forEach((q) => add(m.revoked, q));
      f.publicExecuteRevokedSchemas.forEach((s) => m.revokedSchemas.add(s));
      for (const r of f.executeRevokes ?? []) {
        if (r.kind === 'function') add(m.executeRevokedFunctions, r.name);
        else m.executeRevokeScopes.push(r);
      }
      (f.searchPathSet ?? []).forEach((q) => add(m.searchPathSet, q));
      (f.securityInvokerViews ?? []).forEach((q) => add(m.securityInvokerViews, q));
      m.restrictivePolicies.push(...(f.restrictivePolicies ?? []));
    }
    if (this.catalog) {
      this.catalog.rlsEnabled.forEach((t) => add(m.rlsEnabled, t));
      this.catalog.rlsForced.forEach((t) => add(m.rlsForced, t));
      this.catalog.policies.forEach((t) => add(m.policies, t));
      this.catalog.superusers.forEach((r) => m.superusers.add(r));
      this.catalog.roles.forEach((r) => m.roles.add(r));
    }
    this.cache = m;
    return m;
  }

  rlsEnabled(t: QualifiedName): boolean {
    return has(this.merged().rlsEnabled, t);
  }

  rlsForced(t: QualifiedName): boolean {
    return has(this.merged().rlsForced, t);
  }

  hasPolicy(t: QualifiedName): boolean {
    return has(this.merged().policies, t);
  }

  /** Roles that are superusers: `postgres`, SUPERUSER roles in the workspace or catalog, and the config's list. */
  isSuperuser(role: string, configured: readonly string[]): boolean {
    return role === 'postgres' || configured.includes(role) || this.merged().superusers.has(role);
  }

  /** Where a superuser is known from, for messages: the workspace's SQL or the connected database. */
  superuserSource(role: string): 'workspace' | 'database' | undefined {
    for (const f of this.files.values()) if (f.superusers.includes(role)) return 'workspace';
    return this.catalog?.superusers.includes(role) ? 'database' : undefined;
  }

  superusers(configured: readonly string[]): string[] {
    return [...new Set(['postgres', ...configured, ...this.merged().superusers])];
  }

  /** Whether a role is created somewhere in the workspace or exists in the connected database. */
  knowsRole(role: string): boolean {
    return this.merged().roles.has(role) || this.merged().superusers.has(role);
  }

  /** Tables created in the workspace (non-temporary), with where they are created. */
  tables(): readonly LocatedName[] {
    return this.merged().tables;
  }

  /** Whether EXECUTE on a function has been revoked from PUBLIC anywhere in the workspace. */
  publicExecuteRevoked(fn: QualifiedName): boolean {
    const m = this.merged();
    if (m.revokedSchemas.has('*') || (fn.schema && m.revokedSchemas.has(fn.schema))) return true;
    if (!fn.schema && m.revokedSchemas.has('public')) return true;
    return has(m.revoked, fn);
  }

  /**
   * Whether EXECUTE on the function created at `at` is revoked from PUBLIC, taking order
   * into account: a REVOKE naming the function counts wherever it is (it cannot run before
   * the function exists); REVOKE ... ON ALL FUNCTIONS IN SCHEMA only covers functions
   * created before it; a global ALTER DEFAULT PRIVILEGES only covers functions created
   * after it. Files run in the order of their URIs, as migration tools sort them.
   */
  executeRevokedFromPublicAt(fn: QualifiedName, at: { uri: string; start: number }): boolean {
    const schema = fn.schema ?? 'public';
    const m = this.merged();
    // Revokes of named functions are indexed by name (a large schema has thousands); the
    // schema-wide and default-privilege ones are few and need the order check.
    if (has(m.executeRevokedFunctions, fn)) return true;
    return m.executeRevokeScopes.some((r) => (r.kind === 'schema' ? r.schema === schema && before(at, r) : r.kind === 'default' && before(r, at)));
  }

  /** Whether a policy of that name on that table is created AS RESTRICTIVE somewhere in the workspace. */
  policyRestrictive(table: QualifiedName, policy: string): boolean {
    return this.merged().restrictivePolicies.some((p) => p.policy === policy && sameName(p.table, table));
  }

  /** Whether a view is switched to security_invoker by an ALTER VIEW ... SET anywhere in the workspace. */
  viewSecurityInvoker(view: QualifiedName): boolean {
    return has(this.merged().securityInvokerViews, view);
  }

  /** Whether the function is created or altered with SET search_path anywhere in the workspace. */
  setsSearchPath(fn: QualifiedName): boolean {
    return has(this.merged().searchPathSet, fn);
  }
}

/** A file's effects as the fold reads them, with the search_path its runner starts it with. */
function fileEffects(uri: string, f: FileFacts): FileEffects {
  const e = f.layout?.extension;
  return e ? { uri, effects: f.effects ?? [], searchPath: extensionSearchPath(e) } : { uri, effects: f.effects ?? [] };
}

/** Whether position a comes before position b: files in URI order, then offsets. */
function before(a: { uri: string; start: number }, b: { uri: string; start: number }): boolean {
  return a.uri < b.uri || (a.uri === b.uri && a.start < b.start);
}

interface Merged {
  tables: LocatedName[];
  rlsEnabled: Map<string, QualifiedName[]>;
  rlsForced: Map<string, QualifiedName[]>;
  policies: Map<string, QualifiedName[]>;
  superusers: Set<string>;
  roles: Set<string>;
  revoked: Map<string, QualifiedName[]>;
  revokedSchemas: Set<string>;
  executeRevokedFunctions: Map<string, QualifiedName[]>;
  executeRevokeScopes: ExecuteRevoke[];
  searchPathSet: Map<string, QualifiedName[]>;
  securityInvokerViews: Map<string, QualifiedName[]>;
  restrictivePolicies: Array<{ table: QualifiedName; policy: string }>;
}

const byName = () => new Map<string, QualifiedName[]>();

function add(index: Map<string, QualifiedName[]>, q: QualifiedName): void {
  const list = index.get(q.name);
  if (list) list.push(q);
  else index.set(q.name, [q]);
}

function has(index: Map<string, QualifiedName[]>, q: QualifiedName): boolean {
  return (index.get(q.name) ?? []).some((x) => sameName(x, q));
}
