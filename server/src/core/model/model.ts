// The questions rules ask about a project's declared state, answered from the folded
// history (state.ts). Every answer is about the final state; the *At places on the state
// say which statement made it so, so a rule reports there and nowhere else.

import { QualifiedName } from '../sql/ast';
import { CURRENT, Effect, PUBLIC } from './effects';
import { DEFAULT_SEARCH_PATH, DeclaredState, FileEffects, Folder, FunctionState, PathMark, Place, PolicyState, RelationState } from './state';

export interface At {
  uri: string;
  start: number;
}

const key = (schema: string, name: string) => `${schema}.${name}`;

/** The schemas a search_path looks names up in for a role (`$user` is the role's own schema, pg_temp is left out). */
function lookupSchemas(path: readonly string[], role: string): readonly string[] {
  return path.map((s) => (s === '$user' ? (role !== CURRENT ? role : '') : s)).filter((s) => s !== '' && s !== 'pg_temp');
}

let defaultSchemas: readonly string[] | undefined;

export class Model {
  readonly state: DeclaredState;
  /** The files folded, in migration order (for questions about a point inside the history). */
  readonly files: readonly FileEffects[];
  private readonly marks: Map<string, PathMark[]>;
  private readonly policyColumns: Folder['policyColumns'];
  private readonly markSchemas = new WeakMap<PathMark, readonly string[]>();
  private readonly policyColumnsIndex = new Map<string, { effects: readonly Effect[] | undefined; byStart: Map<number, { columns?: readonly string[] }> }>();

  /**
   * `current` gives a file's effects as they stand now: after an edit that only moved
   * statements, places and search_path marks are read through it by index, so the model
   * stays valid without a new fold.
   */
  constructor(
    files: readonly FileEffects[],
    private readonly current?: (uri: string) => readonly Effect[] | undefined,
  ) {
    const folder = new Folder();
    this.files = files;
    this.state = folder.fold(files);
    this.marks = folder.marks;
    this.policyColumns = folder.policyColumns;
  }

  /** Where a recorded place stands now. */
  startOf(place: Place): number {
    const e = place.index === undefined ? undefined : this.current?.(place.uri)?.[place.index];
    return e ? e.start : place.start;
  }

  private markStart(uri: string, mark: PathMark): number {
    if (mark.index < 0) return 0;
    return this.current?.(uri)?.[mark.index]?.end ?? mark.start;
  }

  /** The search_path in effect at a place (the default one for a file the model has not folded). */
  searchPathAt(at: At | undefined): readonly string[] {
    return this.markAt(at)?.path ?? DEFAULT_SEARCH_PATH;
  }

  private markAt(at: At | undefined): PathMark | undefined {
    if (!at) return undefined;
    const marks = this.marks.get(at.uri);
    if (!marks) return undefined;
    let lo = 0;
    let hi = marks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.markStart(at.uri, marks[mid]) <= at.start) lo = mid;
      else hi = mid - 1;
    }
    return marks[lo];
  }

  /** The schemas an unqualified name is looked up in, at a place. */
  private schemasAt(at: At | undefined): readonly string[] {
    const mark = this.markAt(at);
    if (!mark) return (defaultSchemas ??= lookupSchemas(DEFAULT_SEARCH_PATH, CURRENT));
    // Worked out once per search_path mark: every unqualified name a rule resolves asks.
    let schemas = this.markSchemas.get(mark);
    if (!schemas) this.markSchemas.set(mark, (schemas = lookupSchemas(mark.path, mark.role)));
    return schemas;
  }

  private resolve(q: QualifiedName, at: At | undefined, exists: (k: string) => boolean): { schema: string; name: string } {
    if (q.schema) return { schema: q.schema, name: q.name };
    const schemas = this.schemasAt(at);
    for (const s of schemas) if (exists(key(s, q.name))) return { schema: s, name: q.name };
    return { schema: schemas.find((s) => s !== 'pg_catalog') ?? 'public', name: q.name };
  }

  /** A relation name resolved through the search_path in effect at `at`. */
  resolveRelation(q: QualifiedName, at?: At): { schema: string; name: string } {
    return this.resolve(q, at, (k) => this.state.relations.has(k));
  }

  relation(q: QualifiedName, at?: At): RelationState | undefined {
    const r = this.resolveRelation(q, at);
    return this.state.relations.get(key(r.schema, r.name));
  }

  /** Roles (`public` for PUBLIC) holding any privilege on the table or one of its columns, its owner excluded. */
  tableGrantees(q: QualifiedName, at?: At): string[] {
    const r = this.relation(q, at);
    if (!r) return [];
    return [...new Set(r.acl.filter((i) => i.grantee !== r.owner).map((i) => i.grantee))];
  }

  /** Whether a role holds USAGE on a schema; undefined when the files never declare the schema. */
  schemaUsage(schema: string, role: string = PUBLIC): boolean | undefined {
    const s = this.state.schemas.get(schema);
    if (!s) return undefined;
    return s.owner === role || s.acl.some((i) => i.privilege === 'usage' && (i.grantee === role || i.grantee === PUBLIC));
  }

  /** Whether the project uses row-level security at all: a table with RLS enabled, or a policy. */
  usesRls(): boolean {
    for (const r of this.state.relations.values()) if (r.rls) return true;
    for (const p of this.state.policies.values()) if (p.size > 0) return true;
    return false;
  }

  functions(q: QualifiedName, at?: At): FunctionState[] {
    const r = this.resolve(q, at, (k) => this.state.functions.has(k));
    return this.state.functions.get(key(r.schema, r.name)) ?? [];
  }

  isTriggerFunction(q: QualifiedName, at?: At): boolean {
    const fns = this.functions(q, at);
    return fns.length > 0 && fns.every((f) => f.trigger);
  }

  /** Whether a role (PUBLIC by default) holds EXECUTE on the function in the final state. */
  executableBy(fn: FunctionState, role: string = PUBLIC): boolean {
    return fn.acl.some((i) => i.privilege === 'execute' && (i.grantee === role || i.grantee === PUBLIC));
  }

  policies(q: QualifiedName, at?: At): PolicyState[] {
    const r = this.resolve(q, at, (k) => this.state.policies.has(k) || this.state.relations.has(k));
    return [...(this.state.policies.get(key(r.schema, r.name))?.values() ?? [])];
  }

  /**
   * Every column the table of the CREATE or ALTER POLICY at `stmt` had when it ran, in
   * migration order; undefined when the files do not say them all (a table created with
   * LIKE, INHERITS or PARTITION OF, or created elsewhere) or the model did not fold it.
   */
  columnsAtPolicy(stmt: At): readonly string[] | undefined {
    return this.policyColumnsOf(stmt.uri)?.get(stmt.start)?.columns;
  }

  /**
   * A file's policy statements by where each stands now (the first one at a place, as a
   * scan in order would find it): looking each policy up by scanning them all made a file
   * with thousands of policies quadratic. Rebuilt when the file's current effects change.
   */
  private policyColumnsOf(uri: string): Map<number, { columns?: readonly string[] }> | undefined {
    const list = this.policyColumns.get(uri);
    if (!list) return undefined;
    const effects = this.current?.(uri);
    let index = this.policyColumnsIndex.get(uri);
    if (!index || index.effects !== effects) {
      const byStart = new Map<number, { columns?: readonly string[] }>();
      for (const p of list) {
        if (p.at.uri !== uri) continue;
        const start = this.startOf(p.at);
        if (!byStart.has(start)) byStart.set(start, p);
      }
      index = { effects, byStart };
      this.policyColumnsIndex.set(uri, index);
    }
    return index.byStart;
  }

  /** Whether a recorded place is the statement a rule is checking (same file, same start). */
  madeAt(place: Place | undefined, stmt: At): boolean {
    return place !== undefined && place.uri === stmt.uri && this.startOf(place) === stmt.start;
  }
}
