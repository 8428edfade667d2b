// How a project's SQL files relate to its migration tool: what each file is (a migration
// up or down, a test, a pg_dump, seed data, plain schema) and the order the tool runs them.
// Recognised from the path the way each tool names its files, and from a little content
// (pg_dump's header, pgTAP's plan()), so it works with no configuration; pgwarden.json's
// "migrations" overrides both. Pure: the caller reads files and sqitch.plan.

export type FileKind = 'up' | 'down' | 'test' | 'dump' | 'seed' | 'schema';

export type MigrationTool =
  | 'flyway'
  | 'golang-migrate'
  | 'goose'
  | 'dbmate'
  | 'sql-migrate'
  | 'diesel'
  | 'sqitch'
  | 'supabase'
  | 'prisma'
  | 'extension'
  | 'timestamped';

export interface FileLayout {
  /** The root-relative path that was classified, '/'-separated. */
  path: string;
  /** 'schema' is plain SQL with no recognised migration order. */
  kind: FileKind;
  tool?: MigrationTool;
  /** Sort key; compare layouts with compareLayout (digit runs compare as numbers). */
  order: readonly string[];
  /** The content is a pgTAP test (plan(), no_plan(), finish()). */
  pgtap: boolean;
  /** An extension script (`name--1.0.sql` installs, `name--1.0--1.1.sql` upgrades): which extension and version it leads to. */
  extension?: ExtensionScript;
}

export interface ExtensionScript {
  /** The extension's name ('' for timescaledb's updates/, which drop it). */
  name: string;
  /** The version an upgrade starts from; undefined for a full install script. */
  from?: string;
  /** The version the script installs or upgrades to. */
  to: string;
  /** The schema the extension's control file names (`schema = pgsodium`), if the caller read it. */
  schema?: string;
}

/**
 * The schema CREATE EXTENSION runs a script in: it sets search_path to the extension's
 * schema (then pg_temp), so unqualified names there are that schema's. Without a control
 * file naming it, the schema is the one chosen at install time, which the script writes
 * `@extschema@` (linted as `_extschema_`).
 */
export function extensionSearchPath(e: ExtensionScript): string[] {
  return [e.schema ?? '_extschema_', 'pg_temp'];
}

/** The `schema = name` line of an extension control file. */
export function controlSchema(text: string): string | undefined {
  return /^[ \t]*schema[ \t]*=[ \t]*'?([A-Za-z_][A-Za-z0-9_$]*)'?/m.exec(text)?.[1];
}

/** pgwarden.json "migrations": overrides of the recognised order and kinds. */
export interface MigrationsConfig {
  /** Globs (relative to the config's folder); files run group by group in this order, unmatched files after. */
  order: string[];
  /** Globs per kind; the first kind whose globs match a file decides it. */
  kinds: Partial<Record<FileKind, string[]>>;
  /** Folders (relative to the config's folder) that are separate migration roots, each its own model. */
  roots: string[];
}

export interface LayoutOptions {
  /** Sqitch change names in plan order (parseSqitchPlan of the root's sqitch.plan). */
  sqitchPlan?: readonly string[];
  migrations?: MigrationsConfig;
  /** Matches a root-relative path against a glob; given with `migrations` (core stays free of minimatch). */
  matchGlob?: (path: string, glob: string) => boolean;
}

export const FILE_KINDS: readonly FileKind[] = ['up', 'down', 'test', 'dump', 'seed', 'schema'];

/** Where a file stands in a run: migrations and plain schema first, then seed data, then tests. */
const PHASE: Record<FileKind, string> = { schema: '0', up: '0', down: '0', dump: '0', seed: '1', test: '2' };
/** Within the first phase: unversioned files by path, versioned migrations, then Flyway repeatables. */
const UNVERSIONED = '0';
const VERSIONED = '1';
const REPEATABLE = '2';

const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec', 'specs', 'regress', 'pgtap']);
const SEED_DIRS = new Set(['seed', 'seeds', 'seeders', 'fixtures']);
const DOWN_DIRS = new Set(['down', 'rollback', 'rollbacks', 'undo']);

interface Recognised {
  kind: FileKind;
  tool?: MigrationTool;
  group: string;
  version: string;
  /** Breaks ties between files of one version: up before down, install before upgrade. */
  rank: string;
  name: string;
  extension?: ExtensionScript;
}

/** What classifyFile reads from a file's text: a cache can keep this instead of the text. */
export interface ContentTraits {
  dump: boolean;
  pgtap: boolean;
}

export function contentTraits(text: string): ContentTraits {
  return { dump: isDump(text), pgtap: isPgtap(text) };
}

/** `content`: the file's text, or its ContentTraits. */
export function classifyFile(relPath: string, content?: string | ContentTraits, options: LayoutOptions = {}): FileLayout {
  const path = relPath.split('\\').join('/').replace(/^\.\//, '');
  const segments = path.split('/');
  const base = segments[segments.length - 1];
  const dirs = segments.slice(0, -1).map((d) => d.toLowerCase());
  let r = recognise(base, segments, dirs, options.sqitchPlan);
  const traits = typeof content === 'string' ? contentTraits(content) : content;
  const pgtap = traits?.pgtap === true;
  if (traits?.dump) r = { ...r, kind: 'dump' };
  else if (pgtap) r = { ...r, kind: 'test' };
  const { migrations, matchGlob } = options;
  let groupIndex = '';
  if (migrations && matchGlob) {
    for (const kind of FILE_KINDS) {
      if ((migrations.kinds[kind] ?? []).some((g) => matchGlob(path, g))) {
        r = { ...r, kind };
        break;
      }
    }
    if (migrations.order.length > 0) {
      const i = migrations.order.findIndex((g) => matchGlob(path, g));
      groupIndex = String(i < 0 ? migrations.order.length : i);
    }
  }
  const order = [groupIndex, PHASE[r.kind], r.group, r.version, r.rank, r.name, path];
  return { path, kind: r.kind, ...(r.tool ? { tool: r.tool } : {}), order, pgtap, ...(r.extension ? { extension: r.extension } : {}) };
}

function recognise(base: string, segments: string[], dirs: string[], plan: readonly string[] | undefined): Recognised {
  const lower = base.toLowerCase();
  const parent = dirs[dirs.length - 1] ?? '';
  const plain = (kind: FileKind): Recognised => ({ kind, group: UNVERSIONED, version: '', rank: '', name: '' });

  // sqitch: deploy/, revert/ and verify/ hold one script per change, run in sqitch.plan order.
  const sq = dirs.findIndex((d) => d === 'deploy' || d === 'revert' || d === 'verify');
  if (sq >= 0) {
    const change = segments.slice(sq + 1).join('/').replace(/\.sql$/i, '');
    const kind: FileKind = dirs[sq] === 'deploy' ? 'up' : dirs[sq] === 'revert' ? 'down' : 'test';
    const at = plan ? plan.indexOf(change) : -1;
    return { kind, tool: 'sqitch', group: VERSIONED, version: at < 0 ? '' : String(at), rank: kind === 'up' ? '0' : '1', name: change };
  }

  // Diesel (<ts>_name/up.sql, down.sql) and Prisma (migrations/<ts>_name/migration.sql):
  // the folder carries the version.
  if (lower === 'up.sql' || lower === 'down.sql' || lower === 'migration.sql') {
    const folder = segments[segments.length - 2] ?? '';
    const m = /^(\d[\d-]*)[_-]?(.*)$/.exec(folder);
    if (m) {
      const kind: FileKind = lower === 'down.sql' ? 'down' : 'up';
      const tool: MigrationTool = lower === 'migration.sql' ? 'prisma' : 'diesel';
      return { kind, tool, group: VERSIONED, version: m[1].replace(/-/g, ''), rank: kind === 'up' ? '0' : '1', name: m[2] };
    }
  }

  // Flyway: V<version>__desc.sql, U<version>__desc.sql (undo), R__desc.sql (repeatable, after all versioned).
  const fw = /^([VUR])(\d[\d._]*)?__(.+)\.sql$/i.exec(base);
  if (fw && (fw[2] || fw[1].toUpperCase() === 'R')) {
    const letter = fw[1].toUpperCase();
    if (letter === 'R') return { kind: 'up', tool: 'flyway', group: REPEATABLE, version: '', rank: '0', name: fw[3] };
    return { kind: letter === 'U' ? 'down' : 'up', tool: 'flyway', group: VERSIONED, version: fw[2].replace(/_/g, '.'), rank: letter === 'U' ? '1' : '0', name: fw[3] };
  }

  // Extension scripts: name--1.0.sql installs, name--1.0--1.1.sql upgrades (a downgrade
  // when the target is older); timescaledb's updates/ drop the name.
  const ext = /^(?:([A-Za-z_][\w-]*?)--)?(\d[\w.]*)(?:--(\d[\w.]*))?\.sql$/.exec(base);
  if (ext && (ext[1] !== undefined || ext[3] !== undefined)) {
    const [, , from, to] = ext;
    const name = ext[1] ?? '';
    if (to === undefined) return { kind: 'up', tool: 'extension', group: VERSIONED, version: from, rank: '0', name, extension: { name, to: from } };
    const down = naturalCompare(to, from) < 0;
    return { kind: down ? 'down' : 'up', tool: 'extension', group: VERSIONED, version: to, rank: down ? '2' : '1', name, extension: { name, from, to } };
  }

  // golang-migrate, pop and friends: <version>_title[.dialect].up.sql / .down.sql.
  const ud = /^V?(\d+)[._-](.*?)[._](up|down)\.sql$/i.exec(base);
  if (ud) {
    const kind: FileKind = ud[3].toLowerCase() === 'down' ? 'down' : 'up';
    return { kind, tool: 'golang-migrate', group: VERSIONED, version: ud[1], rank: kind === 'up' ? '0' : '1', name: ud[2] };
  }

  // Numbered or timestamped files (goose, dbmate, sql-migrate, Supabase, hand-rolled):
  // up and down live in sections of one file.
  const num = /^V?(\d+)(?:[._-](.*))?\.sql$/i.exec(base);
  if (num && !dirs.some((d) => TEST_DIRS.has(d))) {
    const tool: MigrationTool = dirs.join('/').endsWith('supabase/migrations') ? 'supabase' : 'timestamped';
    return { kind: DOWN_DIRS.has(parent) ? 'down' : 'up', tool, group: VERSIONED, version: num[1], rank: '0', name: num[2] ?? '' };
  }

  if (/(^|[._-])(down|rollback|undo)\.sql$/i.test(base) || DOWN_DIRS.has(parent)) return plain('down');
  if (dirs.some((d) => TEST_DIRS.has(d)) || /[._-](test|spec)\.sql$/i.test(base)) return plain('test');
  if (/^seeds?([._-].*)?\.sql$|[._-]seeds?\.sql$/i.test(base) || dirs.some((d) => SEED_DIRS.has(d))) return plain('seed');
  if (dirs.includes('migrations') || dirs.includes('migrate')) {
    return { kind: 'up', tool: 'timestamped', group: VERSIONED, version: '', rank: '0', name: base };
  }
  return plain('schema');
}

/**
 * pg_dump's output: its header comment (pg_dumpall's too), or, where the comments were
 * stripped, its preamble of session settings; only the head is searched.
 */
function isDump(text: string): boolean {
  const head = text.slice(0, 4096);
  if (/^--\s*PostgreSQL database (cluster )?dump\b|^-- Dumped (from|by) /m.test(head)) return true;
  return /^SELECT pg_catalog\.set_config\('search_path', '', false\);$/m.test(head) && /^SET check_function_bodies = false;$/m.test(head);
}

/** pgTAP: a plan or no_plan() up front and finish() at the end; either pair is specific enough. */
function isPgtap(text: string): boolean {
  const head = text.slice(0, 16384);
  const tail = text.length > 16384 ? text.slice(-4096) : '';
  const plan = /\b(plan\s*\(\s*\d+\s*\)|no_plan\s*\(\s*\))/i.test(head);
  const finish = /\bfinish\s*\(\s*\)/i.test(tail) || /\bfinish\s*\(\s*\)/i.test(head);
  return plan && (finish || /\bcreate\s+extension\b[^;]*\bpgtap\b/i.test(head) || /\b(throws_ok|lives_ok|results_eq|has_table|is)\s*\(/i.test(head));
}

/** Compares strings with runs of digits as numbers (`2` before `10`, `0001` equal to `1`), else by code unit. */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      let ie = i;
      while (ie < a.length && isDigit(a.charCodeAt(ie))) ie++;
      let je = j;
      while (je < b.length && isDigit(b.charCodeAt(je))) je++;
      // Timestamps such as 20190100000004000000 exceed a double's precision: compare as text.
      let is = i;
      while (is < ie - 1 && a.charCodeAt(is) === 48) is++;
      let js = j;
      while (js < je - 1 && b.charCodeAt(js) === 48) js++;
      if (ie - is !== je - js) return ie - is - (je - js);
      const sa = a.slice(is, ie);
      const sb = b.slice(js, je);
      if (sa !== sb) return sa < sb ? -1 : 1;
      i = ie;
      j = je;
      continue;
    }
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** The order a migration tool runs files in: a total order, ties broken by path. */
export function compareLayout(a: FileLayout, b: FileLayout): number {
  const n = Math.min(a.order.length, b.order.length);
  for (let k = 0; k < n; k++) {
    const c = naturalCompare(a.order[k], b.order[k]);
    if (c !== 0) return c;
  }
  if (a.order.length !== b.order.length) return a.order.length - b.order.length;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Sqitch change names in plan order: each change line's first word; pragmas, tags and comments skipped. */
export function parseSqitchPlan(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('%') || line.startsWith('#') || line.startsWith('@')) continue;
    const name = /^[^\s[#@]+/.exec(line)?.[0];
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

/**
 * The section markers of goose (`-- +goose Up`), sql-migrate (`-- +migrate Down`) and dbmate
 * (`-- migrate:up`), read from a comment's body (the text after `--`). A marker ends the
 * statement before it, as those tools cut the file at marker lines.
 */
export function sectionMarker(body: string): 'up' | 'down' | 'begin' | 'end' | undefined {
  const m = /^\s*(?:\+(?:goose|migrate)\s+(up|down|statementbegin|statementend)\b|migrate:(up|down)\b)/i.exec(body);
  if (!m) return undefined;
  const word = (m[1] ?? m[2]).toLowerCase();
  return word === 'statementbegin' ? 'begin' : word === 'statementend' ? 'end' : (word as 'up' | 'down');
}

/** Whether a `--` comment starting at `i` is a section marker; checked by the splitter on every comment, so cheap. */
export function isSectionMarkerAt(text: string, i: number, end: number): boolean {
  let k = i + 2;
  while (k < end && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
  const c = text.charCodeAt(k);
  // '+' (goose, sql-migrate) or 'm' (dbmate's migrate:)
  if (c !== 43 && c !== 109 && c !== 77) return false;
  const m = sectionMarker(text.slice(i + 2, end));
  return m === 'up' || m === 'down';
}

/** The ranges of a file under a Down marker, up to the next Up marker or the end: not part of the schema's state. */
export function downRanges(comments: ReadonlyArray<{ start: number; end: number; body: string }>, textLength: number): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let openAt = -1;
  for (const c of comments) {
    const m = c.body.length < 200 ? sectionMarker(c.body) : undefined;
    if (m === 'down' && openAt < 0) openAt = c.end;
    else if (m === 'up' && openAt >= 0) {
      out.push({ start: openAt, end: c.start });
      openAt = -1;
    }
  }
  if (openAt >= 0) out.push({ start: openAt, end: textLength });
  return out;
}
