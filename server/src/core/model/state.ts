// The declared access-control state of one project root: the effects of its files folded
// in migration order, names resolved through the search_path in effect where each
// statement stands. Plain data (maps of plain objects), so a live catalog read into the
// same shape can be compared with it object by object. What the files cannot tell (an
// EXECUTE built from variables, a search_path set from a variable) is listed in
// `unknowns`, never guessed.
// Longer than 400 lines because the fold of every object kind shares one name resolution
// and one ACL model.

import { QualifiedName } from '../sql/ast';
import { AclKind, CURRENT, Effect, FunctionRef, Grantee, Privilege, PUBLIC, RelKind } from './effects';
import { ALL_PRIVILEGES, COLUMN_PRIVILEGES, privilegeName, publicDefaults } from './privileges';

/** Where a statement stands: the file and its UTF-16 offsets. */
export interface Place {
  uri: string;
  start: number;
  end: number;
  /**
   * The effect's index among its file's effects: an edit that only moves statements keeps
   * indexes, so the model answers with current offsets without folding again (Model.madeAt).
   */
  index?: number;
}

export interface AclItem {
  grantee: Grantee;
  privilege: string;
  /** A column privilege names its column. */
  column?: string;
  grantOption: boolean;
  /** The statement that granted it (undefined for built-in defaults). */
  at?: Place;
}

export interface RoleState {
  name: string;
  /** Attributes the files set (superuser, createrole, createdb, login, replication, bypassrls, inherit). */
  attributes: Record<string, boolean>;
  at: Place;
  /** The statement that last made the role more privileged (CREATE or ALTER ROLE). */
  attributesAt: Place;
  /** The files alter the role but never create it (a platform's role, or one made by hand): only what they set is known. */
  external?: boolean;
}

export interface MembershipState {
  role: string;
  member: Grantee;
  admin: boolean;
  inherit?: boolean;
  set?: boolean;
  at: Place;
}

interface Owned {
  /** `current_user` when created by the (unnamed) role running the migrations. */
  owner: Grantee;
  /** The effective ACL: built-in defaults, default privileges, grants and revokes applied. */
  acl: AclItem[];
  /** The CREATE; undefined for objects PostgreSQL provides (the `public` schema). */
  at?: Place;
}

export interface RelationState extends Owned {
  schema: string;
  name: string;
  kind: RelKind;
  partition: boolean;
  columns: string[];
  /** Whether `columns` is every column the table has (false for LIKE, INHERITS, PARTITION OF, OF type, AS query, views). */
  columnsComplete: boolean;
  rls: boolean;
  forced: boolean;
  /** Views only: WITH (security_invoker = true). */
  securityInvoker: boolean;
  /** A serial or identity column's sequence: the table (`schema.name`) it is created and dropped with. */
  ownedBy?: string;
  rlsAt?: Place;
  forcedAt?: Place;
  securityInvokerAt?: Place;
}

export interface FunctionState extends Owned {
  schema: string;
  name: string;
  args: string[];
  procedure: boolean;
  securityDefiner: boolean;
  /** The function's own SET search_path, undefined when it has none. */
  searchPath?: string[];
  /** RETURNS trigger or event_trigger: the function cannot be called directly. */
  trigger: boolean;
  returns: string;
  language: string;
  /** The statement that gave the function its current body: the last CREATE [OR REPLACE] of that signature. */
  bodyAt: Place;
  /** The statement that made it SECURITY DEFINER (CREATE or ALTER FUNCTION). */
  definerAt?: Place;
  searchPathAt?: Place;
}

export interface SchemaState extends Owned {
  name: string;
}

export interface TypeState extends Owned {
  schema: string;
  name: string;
}

export interface PolicyState {
  schema: string;
  table: string;
  name: string;
  command: string;
  permissive: boolean;
  roles: Grantee[];
  /** Expression ASTs without locations (compare with JSON). */
  using?: unknown;
  check?: unknown;
  at: Place;
  usingAt?: Place;
  checkAt?: Place;
  rolesAt: Place;
}

export interface DefaultAclState {
  /** The role whose new objects get these privileges (`current_user` for the migrations' role). */
  role: Grantee;
  /** Undefined for the global entry, which replaces the built-in defaults. */
  schema?: string;
  kind: 'table' | 'sequence' | 'function' | 'type' | 'schema';
  acl: AclItem[];
  at: Place;
}

/**
 * A database the files grant on (or create, or give an owner). The files run inside a
 * database that exists before them, so its owner is unknown unless they say it:
 * DATABASE_OWNER stands for it in `acl` until then.
 */
export interface DatabaseState {
  name: string;
  /** Set when CREATE DATABASE or ALTER DATABASE ... OWNER TO says who owns it. */
  owner?: Grantee;
  ownerAt?: Place;
  /** The built-in ACL (the owner's privileges, PUBLIC's CONNECT and TEMPORARY) with the files' grants and revokes applied. */
  acl: AclItem[];
  /**
   * The roles a GRANT or REVOKE on the database names, with the last such statement: what
   * the files say about a role's database privileges. A built-in privilege of a role the
   * files never name is not declared by them.
   */
  named: Map<Grantee, Place>;
  /** The first statement about the database. */
  at: Place;
}

/** The owner of a database the files do not give one (core/drift reads it as the live owner). */
export const DATABASE_OWNER = '\u0000database owner';

/** A database's built-in ACL (acldefault): its owner has every privilege, PUBLIC CONNECT and TEMPORARY. */
export function builtinDatabaseAcl(): AclItem[] {
  return [
    ...ALL_PRIVILEGES.database.map((privilege) => ({ grantee: DATABASE_OWNER, privilege, grantOption: false })),
    ...publicDefaults('database').map((privilege) => ({ grantee: PUBLIC, privilege, grantOption: false })),
  ];
}

export interface UnknownState {
  at: Place;
  reason: string;
}

export interface DeclaredState {
  roles: Map<string, RoleState>;
  /** By `role\u0000member`. */
  memberships: Map<string, MembershipState>;
  schemas: Map<string, SchemaState>;
  /** By `schema.name`. */
  relations: Map<string, RelationState>;
  /** By `schema.name`, every overload. */
  functions: Map<string, FunctionState[]>;
  types: Map<string, TypeState>;
  /** By `schema.table`, then policy name. */
  policies: Map<string, Map<string, PolicyState>>;
  /** By `role\u0000schema\u0000kind`. */
  defaultAcls: Map<string, DefaultAclState>;
  /** By name: the databases the files grant on, create or give an owner. */
  databases: Map<string, DatabaseState>;
  /** Privileges granted on objects the files never create (languages, objects of other projects). */
  foreignGrants: Array<{ kind: AclKind; name: QualifiedName; item: AclItem; grant: boolean }>;
  unknowns: UnknownState[];
}

/** One file's effects, in statement order, as the fold reads them. */
export interface FileEffects {
  uri: string;
  effects: readonly Effect[];
  /** The search_path the file starts with, when its runner sets one (CREATE EXTENSION does); the default otherwise. */
  searchPath?: readonly string[];
}

export const DEFAULT_SEARCH_PATH: readonly string[] = ['$user', 'public'];

const key = (schema: string, name: string) => `${schema}.${name}`;

export function emptyState(): DeclaredState {
  const s: DeclaredState = {
    roles: new Map(),
    memberships: new Map(),
    schemas: new Map(),
    relations: new Map(),
    functions: new Map(),
    types: new Map(),
    policies: new Map(),
    defaultAcls: new Map(),
    databases: new Map(),
    foreignGrants: [],
    unknowns: [],
  };
  // Every database has the public schema. Since PostgreSQL 15 it belongs to
  // pg_database_owner and PUBLIC has only USAGE on it.
  s.schemas.set('public', {
    name: 'public',
    owner: 'pg_database_owner',
    acl: [
      { grantee: 'pg_database_owner', privilege: 'usage', grantOption: false },
      { grantee: 'pg_database_owner', privilege: 'create', grantOption: false },
      { grantee: PUBLIC, privilege: 'usage', grantOption: false },
    ],
  });
  return s;
}

/** Search-path snapshots of one file: from `start` on (the end of effect `index`; -1 for the file's start), `path` is in effect. */
export interface PathMark {
  start: number;
  index: number;
  path: readonly string[];
  role: Grantee;
}

/** Folds files (already in migration order) into a declared state. */
export class Folder {
  readonly state = emptyState();
  /** Per file, where the search_path (or the current role) changed. */
  readonly marks = new Map<string, PathMark[]>();
  /**
   * Per file, the columns of a policy's table when each CREATE or ALTER POLICY ran
   * (undefined when the files do not say every column the table has then).
   */
  readonly policyColumns = new Map<string, Array<{ at: Place; columns?: readonly string[] }>>();
  private path: readonly string[] = DEFAULT_SEARCH_PATH;
  private role: Grantee = CURRENT;
  private uri = '';
  private index = 0;

  fold(files: readonly FileEffects[]): DeclaredState {
    for (const f of files) this.file(f);
    return this.state;
  }

  /**
   * Each file starts a new session: migration tools run files on fresh or reset connections.
   * `before`, when given, is called before each effect is applied, with its index (a hover
   * reads the state just before a statement and just after it in one fold).
   */
  file(f: FileEffects, before?: (index: number) => void): void {
    this.uri = f.uri;
    this.path = f.searchPath ?? DEFAULT_SEARCH_PATH;
    this.role = CURRENT;
    const marks: PathMark[] = [{ start: 0, index: -1, path: this.path, role: this.role }];
    this.marks.set(f.uri, marks);
    for (let i = 0; i < f.effects.length; i++) {
      const e = f.effects[i];
      this.index = i;
      before?.(i);
      try {
        this.apply(e);
      } catch {
        // A shape the fold does not expect is recorded, not fatal: the rest still counts.
        this.state.unknowns.push({ at: this.place(e), reason: `statement not understood (${e.op})` });
      }
      if (e.op === 'search_path' || e.op === 'set_role') marks.push({ start: e.end, index: i, path: this.path, role: this.role });
    }
  }

  private place(e: Effect): Place {
    return { uri: this.uri, start: e.start, end: e.end, index: this.index };
  }

  /** The schema an unqualified CREATE puts an object in: the first schema of the path that can exist. */
  private creationSchema(): string {
    for (const s of this.path) {
      if (s === '$user') {
        if (this.role !== CURRENT && this.state.schemas.has(this.role)) return this.role;
        continue;
      }
      if (s !== 'pg_temp' && s !== 'pg_catalog') return s;
    }
    return 'public';
  }

  private created(q: QualifiedName): { schema: string; name: string } {
    return { schema: q.schema ?? this.creationSchema(), name: q.name };
  }

  /** An existing object's schema: the first schema of the path that holds it, else where a CREATE would put it. */
  private lookup(q: QualifiedName, exists: (schema: string) => boolean): { schema: string; name: string } {
    if (q.schema) return { schema: q.schema, name: q.name };
    for (const s of this.path) {
      const schema = s === '$user' ? (this.role !== CURRENT ? this.role : undefined) : s;
      if (schema && exists(schema)) return { schema, name: q.name };
    }
    return this.created(q);
  }

  relationName(q: QualifiedName): { schema: string; name: string } {
    return this.lookup(q, (s) => this.state.relations.has(key(s, q.name)));
  }

  private functionName(q: QualifiedName): { schema: string; name: string } {
    return this.lookup(q, (s) => this.state.functions.has(key(s, q.name)));
  }

  private typeName(q: QualifiedName): { schema: string; name: string } {
    return this.lookup(q, (s) => this.state.types.has(key(s, q.name)));
  }

  /** The functions a reference names: the overload with those arguments, or every overload. */
  private functionsOf(ref: FunctionRef): FunctionState[] {
    const q = this.functionName(ref);
    const list = this.state.functions.get(key(q.schema, q.name)) ?? [];
    if (!ref.args) return list;
    const sig = ref.args.join(',');
    return list.filter((f) => f.args.join(',') === sig);
  }

  /** The ACL a new object gets: its owner's privileges, PUBLIC's built-in ones, and default privileges. */
  private newAcl(kind: 'table' | 'sequence' | 'function' | 'type' | 'schema', aclKind: AclKind, schema: string | undefined, owner: Grantee, at: Place): AclItem[] {
    const global = this.state.defaultAcls.get(`${owner}\u0000\u0000${kind}`);
    const acl: AclItem[] = global
      ? global.acl.map((i) => ({ ...i, at }))
      : [
          ...ALL_PRIVILEGES[aclKind].map((privilege) => ({ grantee: owner, privilege, grantOption: false })),
          ...publicDefaults(aclKind).map((privilege) => ({ grantee: PUBLIC, privilege, grantOption: false })),
        ];
    const local = schema === undefined ? undefined : this.state.defaultAcls.get(`${owner}\u0000${schema}\u0000${kind}`);
    for (const i of local?.acl ?? []) grantItem(acl, { ...i, at });
    return acl;
  }

  private apply(e: Effect): void {
    const at = this.place(e);
    const s = this.state;
    switch (e.op) {
      case 'search_path':
        this.path = e.path ?? DEFAULT_SEARCH_PATH;
        return;
      case 'set_role':
        this.role = e.role ?? CURRENT;
        return;
      case 'unknown':
        s.unknowns.push({ at, reason: e.reason });
        return;
      case 'create_role': {
        s.roles.set(e.role, { name: e.role, attributes: { ...e.attributes }, at, attributesAt: at });
        for (const r of e.inRoles) this.member(r, e.role, {}, at, true);
        for (const m of e.members) this.member(e.role, m, {}, at, true);
        for (const m of e.admins) this.member(e.role, m, { admin: true }, at, true);
        return;
      }
      case 'alter_role': {
        const r = s.roles.get(e.role);
        if (!r) {
          // A role created outside the files (by the platform, or a superuser by hand):
          // what the files set is still declared.
          s.roles.set(e.role, { name: e.role, attributes: { ...e.attributes }, at, attributesAt: at, external: true });
          return;
        }
        const widens = Object.entries(e.attributes).some(([k, v]) => v && k !== 'inherit' && !r.attributes[k]);
        Object.assign(r.attributes, e.attributes);
        if (widens) r.attributesAt = at;
        return;
      }
      case 'drop_role':
        for (const r of e.roles) {
          s.roles.delete(r);
          for (const [k, m] of s.memberships) if (m.role === r || m.member === r) s.memberships.delete(k);
        }
        return;
      case 'grant_role':
        for (const role of e.roles)
          for (const member of e.members) {
            if (e.grant) this.member(role, member, e.options, at, true);
            else this.unmember(role, member, e.options);
          }
        return;
      case 'create_schema': {
        const owner = e.owner ?? this.role;
        if (s.schemas.has(e.schema)) return;
        s.schemas.set(e.schema, { name: e.schema, owner, acl: this.newAcl('schema', 'schema', undefined, owner, at), at });
        return;
      }
      case 'create_relation': {
        if (e.temporary) return;
        const q = this.created(e.name);
        const k = key(q.schema, q.name);
        const existing = s.relations.get(k);
        if (existing) {
          // CREATE OR REPLACE VIEW replaces the view's options with the new statement's.
          if (e.replace && existing.kind === 'view' && existing.securityInvoker !== e.securityInvoker) {
            existing.securityInvoker = e.securityInvoker;
            existing.securityInvokerAt = at;
          }
          return; // IF NOT EXISTS, or a second CREATE that would fail
        }
        const aclKind = e.kind === 'sequence' ? 'sequence' : 'table';
        // Object literals without spreads: a spread followed by more keys made every new
        // object a slow copy, and the fold spent most of its time there.
        s.relations.set(k, {
          schema: q.schema,
          name: q.name,
          kind: e.kind,
          partition: e.partition,
          columns: [...e.columns],
          columnsComplete: e.columnsComplete,
          owner: this.role,
          acl: this.newAcl(aclKind, aclKind, q.schema, this.role, at),
          rls: false,
          forced: false,
          securityInvoker: e.securityInvoker,
          at,
          securityInvokerAt: e.securityInvoker ? at : undefined,
        });
        return;
      }
      case 'owned_sequence': {
        const t = s.relations.get(key(...pair(this.relationName(e.table))));
        if (!t) return;
        const q = e.sequence ? { schema: e.sequence.schema ?? t.schema, name: e.sequence.name } : { schema: t.schema, name: this.sequenceName(t.schema, t.name, e.column) };
        s.relations.set(key(q.schema, q.name), {
          schema: q.schema,
          name: q.name,
          kind: 'sequence',
          partition: false,
          columns: [],
          columnsComplete: false,
          owner: t.owner,
          acl: this.newAcl('sequence', 'sequence', q.schema, t.owner, at),
          rls: false,
          forced: false,
          securityInvoker: false,
          ownedBy: key(t.schema, t.name),
          at,
        });
        return;
      }
      case 'create_type': {
        const q = this.created(e.name);
        const k = key(q.schema, q.name);
        if (s.types.has(k)) return;
        s.types.set(k, { schema: q.schema, name: q.name, owner: this.role, acl: this.newAcl('type', 'type', q.schema, this.role, at), at });
        if (!e.range) return;
        // CREATE TYPE ... AS RANGE makes the range's constructors, and (PostgreSQL 14) its
        // multirange type's: `name` with "multi" before its first "range", else `name_multirange`.
        const sub = e.range.subtype;
        const i = q.name.indexOf('range');
        const multi = e.range.multirange ?? { name: i >= 0 ? `${q.name.slice(0, i)}multi${q.name.slice(i)}` : `${q.name}_multirange` };
        const multiSchema = multi.schema ?? q.schema;
        for (const [schema, name, args] of [
          [q.schema, q.name, [sub, sub]],
          [q.schema, q.name, [sub, sub, 'text']],
          [multiSchema, multi.name, []],
          [multiSchema, multi.name, [q.name]],
          [multiSchema, multi.name, [`${q.name}[]`]],
        ] as Array<[string, string, string[]]>)
          this.addFunction(schema, name, args, at, { procedure: false, securityDefiner: false, trigger: false, returns: name, language: 'internal', bodyAt: at });
        return;
      }
      case 'create_function': {
        const q = this.created(e.fn);
        const k = key(q.schema, q.name);
        const list = s.functions.get(k) ?? [];
        const sig = (e.fn.args ?? []).join(',');
        const existing = list.find((f) => f.args.join(',') === sig);
        const trigger = e.returns === 'trigger' || e.returns === 'event_trigger';
        const props = {
          procedure: e.procedure,
          securityDefiner: e.securityDefiner,
          searchPath: e.searchPath,
          trigger,
          returns: e.returns,
          language: e.language,
          bodyAt: at,
          definerAt: e.securityDefiner ? at : undefined,
          searchPathAt: e.searchPath ? at : undefined,
        };
        // CREATE OR REPLACE keeps the owner and the ACL.
        if (existing) Object.assign(existing, props, { at });
        else this.addFunction(q.schema, q.name, e.fn.args ?? [], at, props);
        return;
      }
      case 'alter_function':
        for (const f of this.functionsOf(e.fn)) {
          if (e.securityDefiner !== undefined) {
            if (e.securityDefiner && !f.securityDefiner) f.definerAt = at;
            f.securityDefiner = e.securityDefiner;
            if (!e.securityDefiner) f.definerAt = undefined;
          }
          if (e.searchPath !== undefined) {
            f.searchPath = e.searchPath ?? undefined;
            f.searchPathAt = e.searchPath ? at : undefined;
          }
        }
        return;
      case 'owner': {
        if (e.kind === 'database') {
          const d = this.database(e.name.name, at);
          // The old owner's own privileges pass to the new owner (aclnewowner).
          const old = d.owner ?? DATABASE_OWNER;
          for (const i of d.acl) if (i.grantee === old) i.grantee = e.owner;
          d.acl = dedupe(d.acl);
          d.owner = e.owner;
          d.ownerAt = at;
          return;
        }
        const relation = e.kind === 'relation' ? s.relations.get(key(...pair(this.relationName(e.name)))) : undefined;
        const objects: Owned[] =
          e.kind === 'relation'
            ? // ALTER TABLE ... OWNER TO takes the table's serial and identity sequences along.
              [relation, ...(relation ? this.ownedSequences(key(relation.schema, relation.name)) : [])].filter(isDefined)
            : e.kind === 'function'
              ? this.functionsOf(e.name)
              : e.kind === 'schema'
                ? [s.schemas.get(e.name.name)].filter(isDefined)
                : [s.types.get(key(...pair(this.typeName(e.name))))].filter(isDefined);
        for (const o of objects) {
          // The old owner's own privileges pass to the new owner (aclnewowner).
          for (const i of o.acl) if (i.grantee === o.owner) i.grantee = e.owner;
          o.acl = dedupe(o.acl);
          o.owner = e.owner;
        }
        return;
      }
      case 'rls': {
        const r = s.relations.get(key(...pair(this.relationName(e.table))));
        if (!r) {
          s.unknowns.push({ at, reason: `row-level security changed on ${e.table.schema ? e.table.schema + '.' : ''}${e.table.name}, which the files never create` });
          return;
        }
        if (e.enabled !== undefined) {
          if (e.enabled && !r.rls) r.rlsAt = at;
          r.rls = e.enabled;
          if (!e.enabled) r.rlsAt = at;
        }
        if (e.forced !== undefined) {
          r.forced = e.forced;
          r.forcedAt = at;
        }
        return;
      }
      case 'view_option': {
        const r = s.relations.get(key(...pair(this.relationName(e.view))));
        if (!r) return;
        r.securityInvoker = e.securityInvoker;
        r.securityInvokerAt = at;
        return;
      }
      case 'rename': {
        if (e.kind === 'relation') {
          const q = this.relationName(e.name);
          this.moveRelation(q, q.schema, e.to);
        } else if (e.kind === 'policy' && e.policy) {
          const q = this.relationName(e.name);
          const pols = s.policies.get(key(q.schema, q.name));
          const p = pols?.get(e.policy);
          if (pols && p) {
            pols.delete(e.policy);
            p.name = e.to;
            pols.set(e.to, p);
          }
        } else if (e.kind === 'function') {
          for (const f of this.functionsOf(e.name)) this.moveFunction(f, f.schema, e.to);
        } else if (e.kind === 'schema') {
          const sc = s.schemas.get(e.name.name);
          if (sc) {
            s.schemas.delete(e.name.name);
            sc.name = e.to;
            s.schemas.set(e.to, sc);
          }
        }
        return;
      }
      case 'set_schema': {
        if (e.kind === 'relation') {
          const q = this.relationName(e.name);
          this.moveRelation(q, e.to, q.name);
        } else for (const f of this.functionsOf(e.name)) this.moveFunction(f, e.to, f.name);
        return;
      }
      case 'drop':
        for (const n of e.names) {
          if (e.kind === 'relation') {
            const q = this.relationName(n);
            s.relations.delete(key(q.schema, q.name));
            s.policies.delete(key(q.schema, q.name));
            for (const seq of this.ownedSequences(key(q.schema, q.name))) s.relations.delete(key(seq.schema, seq.name));
          } else if (e.kind === 'policy' && e.policy) {
            const q = this.relationName(n);
            s.policies.get(key(q.schema, q.name))?.delete(e.policy);
          } else if (e.kind === 'function') {
            const q = this.functionName(n);
            const gone = new Set(this.functionsOf(n));
            const left = (s.functions.get(key(q.schema, q.name)) ?? []).filter((f) => !gone.has(f));
            if (left.length) s.functions.set(key(q.schema, q.name), left);
            else s.functions.delete(key(q.schema, q.name));
          } else if (e.kind === 'type') {
            const q = this.typeName(n);
            s.types.delete(key(q.schema, q.name));
          } else if (e.kind === 'schema') {
            s.schemas.delete(n.name);
            if (e.cascade) this.dropSchemaContents(n.name);
          }
        }
        return;
      case 'grant':
        this.grant(e, at);
        return;
      case 'create_database': {
        s.databases.delete(e.name);
        const d = this.database(e.name, at);
        const owner = e.owner ?? this.role;
        for (const i of d.acl) if (i.grantee === DATABASE_OWNER) i.grantee = owner;
        d.owner = owner;
        d.ownerAt = at;
        return;
      }
      case 'default_privileges': {
        const roles = e.forRoles ?? [this.role];
        const schemas: Array<string | undefined> = e.schemas ?? [undefined];
        const aclKind: AclKind = e.kind;
        for (const role of roles)
          for (const schema of schemas) {
            const k = `${role}\u0000${schema ?? ''}\u0000${e.kind}`;
            let d = s.defaultAcls.get(k);
            if (!d) {
              // The global entry starts from the built-in defaults it replaces; a
              // per-schema entry starts empty and only adds to them.
              const acl: AclItem[] =
                schema === undefined
                  ? [
                      ...ALL_PRIVILEGES[aclKind].map((privilege) => ({ grantee: role, privilege, grantOption: false })),
                      ...publicDefaults(aclKind).map((privilege) => ({ grantee: PUBLIC, privilege, grantOption: false })),
                    ]
                  : [];
              d = { role, schema, kind: e.kind, acl, at };
              s.defaultAcls.set(k, d);
            }
            d.at = at;
            for (const g of e.grantees) {
              for (const p of expand(e.privileges, aclKind)) {
                const item = { grantee: g, privilege: p.privilege, grantOption: e.grantOption, at };
                if (e.grant) grantItem(d.acl, item);
                else revokeItem(d.acl, item, e.grantOption);
              }
            }
          }
        return;
      }
      case 'columns': {
        const t = s.relations.get(key(...pair(this.relationName(e.table))));
        if (!t) return;
        if (e.add !== undefined && !t.columns.includes(e.add)) t.columns.push(e.add);
        if (e.drop !== undefined) t.columns = t.columns.filter((c) => c !== e.drop);
        if (e.rename) t.columns = t.columns.map((c) => (c === e.rename!.from ? e.rename!.to : c));
        return;
      }
      case 'create_policy': {
        this.notePolicyColumns(e.table, at);
        const q = this.relationName(e.table);
        const k = key(q.schema, q.name);
        const pols = s.policies.get(k) ?? new Map<string, PolicyState>();
        s.policies.set(k, pols);
        if (pols.has(e.policy)) return;
        pols.set(e.policy, {
          schema: q.schema,
          table: q.name,
          name: e.policy,
          command: e.command,
          permissive: e.permissive,
          roles: e.roles,
          using: e.using,
          check: e.check,
          at,
          usingAt: e.using !== undefined ? at : undefined,
          checkAt: e.check !== undefined ? at : undefined,
          rolesAt: at,
        });
        return;
      }
      case 'alter_policy': {
        this.notePolicyColumns(e.table, at);
        const q = this.relationName(e.table);
        const p = s.policies.get(key(q.schema, q.name))?.get(e.policy);
        if (!p) {
          s.unknowns.push({ at, reason: `ALTER POLICY ${e.policy} on a policy the files never create` });
          return;
        }
        if (e.roles) {
          p.roles = e.roles;
          p.rolesAt = at;
        }
        if (e.using !== undefined) {
          p.using = e.using;
          p.usingAt = at;
        }
        if (e.check !== undefined) {
          p.check = e.check;
          p.checkAt = at;
        }
        return;
      }
    }
  }

  private notePolicyColumns(table: QualifiedName, at: Place): void {
    const t = this.state.relations.get(key(...pair(this.relationName(table))));
    const list = this.policyColumns.get(at.uri) ?? [];
    this.policyColumns.set(at.uri, list);
    list.push(t?.columnsComplete && (t.kind === 'table' || t.kind === 'foreign table') ? { at, columns: [...t.columns] } : { at });
  }

  private addFunction(schema: string, name: string, args: string[], at: Place, props: Omit<FunctionState, 'schema' | 'name' | 'args' | 'owner' | 'acl' | 'at'>): void {
    const k = key(schema, name);
    const list = this.state.functions.get(k) ?? [];
    list.push({ schema, name, args, owner: this.role, acl: this.newAcl('function', 'function', schema, this.role, at), at, ...props });
    this.state.functions.set(k, list);
  }

  /** The sequences a table's serial and identity columns own. */
  private ownedSequences(table: string): RelationState[] {
    const out: RelationState[] = [];
    for (const r of this.state.relations.values()) if (r.ownedBy === table) out.push(r);
    return out;
  }

  /**
   * The name PostgreSQL gives a serial or identity column's sequence (ChooseRelationName):
   * `table_column_seq`, the longer part cut until it fits in 63 bytes, and a number after
   * `seq` while the name is taken.
   */
  private sequenceName(schema: string, table: string, column: string): string {
    for (let pass = 0; ; pass++) {
      const label = pass === 0 ? 'seq' : `seq${pass}`;
      let a = table;
      let b = column;
      const avail = 63 - label.length - 2;
      while (Buffer.byteLength(a) + Buffer.byteLength(b) > avail) {
        if (Buffer.byteLength(a) > Buffer.byteLength(b)) a = [...a].slice(0, -1).join('');
        else b = [...b].slice(0, -1).join('');
      }
      const name = `${a}_${b}_${label}`;
      if (!this.state.relations.has(key(schema, name))) return name;
    }
  }

  /** Files a relation and its policies under a new schema and name (ALTER ... RENAME TO / SET SCHEMA). */
  private moveRelation(q: { schema: string; name: string }, schema: string, name: string): void {
    const s = this.state;
    const r = s.relations.get(key(q.schema, q.name));
    if (!r) return;
    s.relations.delete(key(q.schema, q.name));
    r.schema = schema;
    r.name = name;
    s.relations.set(key(schema, name), r);
    // Owned sequences keep their names, and follow the table to a new schema.
    for (const seq of this.ownedSequences(key(q.schema, q.name))) {
      seq.ownedBy = key(schema, name);
      if (seq.schema === schema) continue;
      s.relations.delete(key(seq.schema, seq.name));
      seq.schema = schema;
      s.relations.set(key(schema, seq.name), seq);
    }
    const pols = s.policies.get(key(q.schema, q.name));
    if (!pols) return;
    s.policies.delete(key(q.schema, q.name));
    for (const p of pols.values()) {
      p.schema = schema;
      p.table = name;
    }
    s.policies.set(key(schema, name), pols);
  }

  /** Files a function under a new schema and name (ALTER FUNCTION ... RENAME TO / SET SCHEMA). */
  private moveFunction(f: FunctionState, schema: string, name: string): void {
    const fns = this.state.functions;
    const from = key(f.schema, f.name);
    const left = (fns.get(from) ?? []).filter((x) => x !== f);
    if (left.length) fns.set(from, left);
    else fns.delete(from);
    f.schema = schema;
    f.name = name;
    fns.set(key(schema, name), [...(fns.get(key(schema, name)) ?? []), f]);
  }

  private dropSchemaContents(schema: string): void {
    const s = this.state;
    for (const m of [s.relations, s.functions, s.types, s.policies] as Array<Map<string, unknown>>)
      for (const k of [...m.keys()]) if (k.startsWith(`${schema}.`)) m.delete(k);
  }

  private member(role: string, member: Grantee, options: { admin?: boolean; inherit?: boolean; set?: boolean }, at: Place, grant: boolean): void {
    const k = `${role}\u0000${member}`;
    const m = this.state.memberships.get(k);
    if (m) {
      if (grant && options.admin) m.admin = true;
      if (options.inherit !== undefined) m.inherit = options.inherit;
      if (options.set !== undefined) m.set = options.set;
      return;
    }
    const created: MembershipState = { role, member, admin: options.admin === true, at };
    // Since PostgreSQL 16 a grant's INHERIT option defaults to the member's INHERIT attribute
    // at the time of the grant, and SET to true. For a member the files never create, the
    // attribute is not known, so neither is the option.
    const known = this.state.roles.get(member);
    const inherit = options.inherit ?? (known && !known.external ? known.attributes.inherit ?? true : known?.attributes.inherit);
    if (inherit !== undefined) created.inherit = inherit;
    created.set = options.set ?? true;
    this.state.memberships.set(k, created);
  }

  private unmember(role: string, member: Grantee, options: { admin?: boolean; inherit?: boolean; set?: boolean }): void {
    const k = `${role}\u0000${member}`;
    const m = this.state.memberships.get(k);
    if (!m) return;
    // REVOKE ADMIN/INHERIT/SET OPTION FOR takes away only that option.
    if (options.admin === false) m.admin = false;
    else if (options.inherit === false) m.inherit = false;
    else if (options.set === false) m.set = false;
    else this.state.memberships.delete(k);
  }

  /** A database's state, made with the built-in ACL when the files first speak of it. */
  private database(name: string, at: Place): DatabaseState {
    let d = this.state.databases.get(name);
    if (!d) {
      d = { name, acl: builtinDatabaseAcl(), named: new Map(), at };
      this.state.databases.set(name, d);
    }
    return d;
  }

  private grant(e: Extract<Effect, { op: 'grant' }>, at: Place): void {
    const s = this.state;
    const targets: Array<{ acl: AclItem[]; kind: AclKind; owner: Grantee }> = [];
    if (e.kind === 'database') {
      for (const o of e.objects) {
        const d = this.database(o.name, at);
        for (const g of e.grantees) d.named.set(g, at);
        targets.push({ acl: d.acl, kind: 'database', owner: d.owner ?? DATABASE_OWNER });
      }
    } else if (e.inSchemas) {
      for (const schema of e.inSchemas) {
        if (e.kind === 'function')
          for (const [k, list] of s.functions) if (k.startsWith(`${schema}.`)) for (const f of list) targets.push({ acl: f.acl, kind: 'function', owner: f.owner });
        if (e.kind === 'table' || e.kind === 'sequence')
          for (const r of s.relations.values())
            if (r.schema === schema && (r.kind === 'sequence') === (e.kind === 'sequence')) targets.push({ acl: r.acl, kind: e.kind, owner: r.owner });
      }
    } else {
      for (const o of e.objects) {
        let found: Array<{ acl: AclItem[]; kind: AclKind; owner: Grantee }> = [];
        if (e.kind === 'table' || e.kind === 'sequence') {
          const r = s.relations.get(key(...pair(this.relationName(o))));
          if (r) found = [{ acl: r.acl, kind: r.kind === 'sequence' ? 'sequence' : 'table', owner: r.owner }];
        } else if (e.kind === 'function') found = this.functionsOf(o).map((f) => ({ acl: f.acl, kind: 'function' as AclKind, owner: f.owner }));
        else if (e.kind === 'schema') {
          const sc = s.schemas.get(o.name);
          if (sc) found = [{ acl: sc.acl, kind: 'schema', owner: sc.owner }];
        } else if (e.kind === 'type') {
          const t = s.types.get(key(...pair(this.typeName(o))));
          if (t) found = [{ acl: t.acl, kind: 'type', owner: t.owner }];
        }
        if (found.length) targets.push(...found);
        else
          for (const g of e.grantees)
            for (const p of expand(e.privileges, e.kind))
              s.foreignGrants.push({ kind: e.kind, name: o, grant: e.grant, item: { grantee: g, privilege: p.privilege, column: p.column, grantOption: e.grantOption, at } });
      }
    }
    for (const t of targets)
      for (const g of e.grantees)
        for (const p of expand(e.privileges, t.kind)) {
          const item: AclItem = { grantee: g, privilege: p.privilege, grantOption: e.grantOption, at };
          if (p.column) item.column = p.column;
          if (e.grant) grantItem(t.acl, item);
          else revokeItem(t.acl, item, e.grantOption);
        }
  }
}

function isDefined<T>(x: T | undefined): x is T {
  return x !== undefined;
}

function pair(q: { schema: string; name: string }): [string, string] {
  return [q.schema, q.name];
}

/** Privileges of a GRANT for an object kind: ALL expanded, columns one by one. */
function expand(privs: readonly Privilege[], kind: AclKind): Array<{ privilege: string; column?: string }> {
  if (privs.length === 0) return ALL_PRIVILEGES[kind].map((privilege) => ({ privilege }));
  const out: Array<{ privilege: string; column?: string }> = [];
  for (const p of privs) {
    const name = privilegeName(p.name);
    const names = name === 'all' ? (p.columns ? COLUMN_PRIVILEGES : ALL_PRIVILEGES[kind]) : [name];
    for (const n of names) {
      if (p.columns) for (const column of p.columns) out.push({ privilege: n, column });
      else out.push({ privilege: n });
    }
  }
  return out;
}

function sameItem(a: AclItem, b: { grantee: Grantee; privilege: string; column?: string }): boolean {
  return a.grantee === b.grantee && a.privilege === b.privilege && a.column === b.column;
}

function grantItem(acl: AclItem[], item: AclItem): void {
  const had = acl.find((i) => sameItem(i, item));
  if (had) {
    if (item.grantOption && !had.grantOption) {
      had.grantOption = true;
      had.at = item.at;
    }
    return;
  }
  acl.push(item);
}

/** REVOKE (or REVOKE GRANT OPTION FOR, when `optionOnly`); a table-level REVOKE takes the column privileges too. */
function revokeItem(acl: AclItem[], item: AclItem, optionOnly: boolean): void {
  for (let i = acl.length - 1; i >= 0; i--) {
    const a = acl[i];
    if (a.grantee !== item.grantee || a.privilege !== item.privilege) continue;
    if (item.column !== undefined && a.column !== item.column) continue;
    if (optionOnly) a.grantOption = false;
    else acl.splice(i, 1);
  }
}

function dedupe(acl: AclItem[]): AclItem[] {
  const out: AclItem[] = [];
  for (const i of acl) {
    const had = out.find((o) => sameItem(o, i));
    if (had) had.grantOption ||= i.grantOption;
    else out.push(i);
  }
  return out;
}
