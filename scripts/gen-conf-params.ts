// Generates server/src/core/conf/params.ts, pgwarden's catalog of postgresql.conf
// parameters for PostgreSQL 13 to 18, from two real catalogs and a short list of
// documented version differences, then checked and corrected against a real server of
// every major:
//
//   - PostgreSQL 15: `pg_settings` of a real server (the npm registry's build, started with
//     the test helper's startCluster()).
//   - PostgreSQL 18: `pg_settings` of PGlite (the WASM build of PostgreSQL 18 that is a
//     project dependency). PGlite is built without lz4, zstd, syncfs, io_uring and
//     copy_file_range, so the enum values those builds add are merged back in below, and
//     as a 32-bit build its memory maxima are lower, so the 15 ranges are kept.
//   - 13, 14, 16 and 17: the tables ADDED, REMOVED and OLD_ONLY below, taken from the
//     release notes and the "Server Configuration" chapter of each version. The script
//     refuses to write the catalog when the two dumps differ in a way these tables do not
//     explain, so a new dump cannot silently drift from the version tables (OLD below).
//   - Then every major 13 to 18 (the registry's builds): where its pg_settings gives a
//     parameter another type, unit, range or enum list than the tables say (ranges changed
//     in minor releases, io_combine_limit's maximum grew in 18), that major gets the server's;
//     a parameter the tables give a major that its server lacks, or the reverse, stops the
//     script. Enum values of optional build features (BUILD_VALUES) stay.
//
// Run: npx tsx scripts/gen-conf-params.ts   (fetches the registry's servers, ~1 min)

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster } from '../test/support/postgres';

interface Row {
  name: string;
  vartype: 'bool' | 'integer' | 'real' | 'string' | 'enum';
  unit: string | null;
  min: string | null;
  max: string | null;
  enumvals: string[] | null;
  boot: string | null;
  context: string;
  desc: string;
}

const QUERY = `SELECT json_agg(json_build_object('name', name, 'vartype', vartype, 'unit', unit,
  'min', min_val, 'max', max_val, 'enumvals', enumvals, 'boot', boot_val, 'context', context,
  'desc', short_desc) ORDER BY name) AS j FROM pg_settings`;

/** Parameters added after 13 that the PostgreSQL 15 server has: the first version with each. */
const ADDED_BEFORE_15: Record<string, number> = {
  client_connection_check_interval: 14,
  compute_query_id: 14,
  debug_discard_caches: 14,
  default_toast_compression: 14,
  enable_async_append: 14,
  enable_memoize: 14,
  huge_page_size: 14,
  idle_session_timeout: 14,
  in_hot_standby: 14,
  log_recovery_conflict_waits: 14,
  min_dynamic_shared_memory: 14,
  recovery_init_sync_method: 14,
  remove_temp_files_after_crash: 14,
  ssl_crl_dir: 14,
  track_wal_io_timing: 14,
  vacuum_failsafe_age: 14,
  vacuum_multixact_failsafe_age: 14,
  archive_library: 15,
  log_startup_progress_interval: 15,
  recovery_prefetch: 15,
  recursive_worktable_factor: 15,
  shared_memory_size: 15,
  shared_memory_size_in_huge_pages: 15,
  stats_fetch_consistency: 15,
  wal_decode_buffer_size: 15,
};

/** Parameters PostgreSQL 18 has and 15 lacks: the first version with each. */
const ADDED_AFTER_15: Record<string, number> = {
  createrole_self_grant: 16,
  debug_io_direct: 16,
  debug_logical_replication_streaming: 16,
  debug_parallel_query: 16,
  enable_presorted_aggregate: 16,
  gss_accept_delegation: 16,
  icu_validation_level: 16,
  max_parallel_apply_workers_per_subscription: 16,
  reserved_connections: 16,
  scram_iterations: 16,
  send_abort_for_crash: 16,
  send_abort_for_kill: 16,
  vacuum_buffer_usage_limit: 16,
  // Added in minor releases of 16, 17 and 18 (posix_fallocate problems on some file systems).
  file_extend_method: 16,
  allow_alter_system: 17,
  commit_timestamp_buffers: 17,
  enable_group_by_reordering: 17,
  event_triggers: 17,
  huge_pages_status: 17,
  io_combine_limit: 17,
  max_notify_queue_pages: 17,
  multixact_member_buffers: 17,
  multixact_offset_buffers: 17,
  notify_buffers: 17,
  serializable_buffers: 17,
  subtransaction_buffers: 17,
  summarize_wal: 17,
  sync_replication_slots: 17,
  synchronized_standby_slots: 17,
  trace_connection_negotiation: 17,
  transaction_buffers: 17,
  transaction_timeout: 17,
  wal_summary_keep_time: 17,
  autovacuum_vacuum_max_threshold: 18,
  autovacuum_worker_slots: 18,
  enable_distinct_reordering: 18,
  enable_self_join_elimination: 18,
  extension_control_path: 18,
  file_copy_method: 18,
  idle_replication_slot_timeout: 18,
  io_max_combine_limit: 18,
  io_max_concurrency: 18,
  io_method: 18,
  io_workers: 18,
  log_lock_failures: 18,
  max_active_replication_origins: 18,
  md5_password_warnings: 18,
  num_os_semaphores: 18,
  oauth_validator_libraries: 18,
  ssl_groups: 18,
  ssl_tls13_ciphers: 18,
  track_cost_delay_timing: 18,
  vacuum_max_eager_freeze_failure_rate: 18,
  vacuum_truncate: 18,
};

/** Parameters PostgreSQL 15 has and 18 lacks: the last version with each. */
const REMOVED_AFTER_15: Record<string, number> = {
  force_parallel_mode: 15, // renamed debug_parallel_query in 16
  lc_collate: 15,
  lc_ctype: 15,
  promote_trigger_file: 15,
  vacuum_defer_cleanup_age: 15,
  db_user_namespace: 16,
  old_snapshot_threshold: 16,
  trace_recovery_messages: 16,
};

/**
 * Parameters PGlite's pg_settings does not show although PostgreSQL 18 accepts them:
 * extension_destdir is a Debian/Ubuntu packaging patch present in every version they
 * ship, and ssl_ecdh_curve became a hidden alias of ssl_groups in 18.
 */
const STILL_IN_18 = new Set(['extension_destdir', 'ssl_ecdh_curve']);

/**
 * Debian's and Ubuntu's packaging patch adds extension_destdir to every version they ship;
 * upstream builds (the registry's, PGlite) lack it. pgwarden accepts it, so the file of a
 * server from those packages gets no false error.
 */
const DEBIAN_ONLY: Row[] = [
  { name: 'extension_destdir', vartype: 'string', unit: null, min: null, max: null, enumvals: null, boot: '', context: 'superuser', desc: 'Path to prepend for extension loading.' },
];

/** PGlite-only parameters, not part of PostgreSQL. */
const NOT_POSTGRES = new Set(['output_plugin_libraries']);

/** Parameters that 13 or 14 had and 15 no longer has (from the 14 and 15 release notes). */
const OLD: Array<Row & { until: number }> = [
  { name: 'operator_precedence_warning', vartype: 'bool', unit: null, min: null, max: null, enumvals: null, boot: 'off', context: 'user', desc: 'Emit a warning for constructs that changed meaning since PostgreSQL 9.4.', until: 13 },
  { name: 'vacuum_cleanup_index_scale_factor', vartype: 'real', unit: null, min: '0', max: '1e+10', enumvals: null, boot: '0.1', context: 'user', desc: 'Number of tuple inserts prior to index cleanup as a fraction of reltuples.', until: 13 },
  { name: 'stats_temp_directory', vartype: 'string', unit: null, min: null, max: null, enumvals: null, boot: 'pg_stat_tmp', context: 'sighup', desc: 'Writes temporary statistics files to the specified directory.', until: 14 },
];

/**
 * Parameters pg_settings does not show (GUC_NO_SHOW_ALL) but the server reads in a file;
 * their types and ranges come from guc_tables.c. The script asks both servers that each
 * one exists (current_setting) before writing it.
 */
const NOT_SHOWN: Row[] = [
  { name: 'default_with_oids', vartype: 'bool', unit: null, min: null, max: null, enumvals: null, boot: 'off', context: 'user', desc: 'WITH OIDS is no longer supported; this can only be false.' },
  { name: 'is_superuser', vartype: 'bool', unit: null, min: null, max: null, enumvals: null, boot: 'off', context: 'internal', desc: 'Shows whether the current user is a superuser.' },
  { name: 'role', vartype: 'string', unit: null, min: null, max: null, enumvals: null, boot: 'none', context: 'user', desc: 'Sets the current role.' },
  { name: 'seed', vartype: 'real', unit: null, min: '-1', max: '1', enumvals: null, boot: '0', context: 'user', desc: 'Sets the seed for random-number generation.' },
  { name: 'session_authorization', vartype: 'string', unit: null, min: null, max: null, enumvals: null, boot: '', context: 'user', desc: 'Sets the session user name.' },
  { name: 'ssl_renegotiation_limit', vartype: 'integer', unit: null, min: '0', max: '0', enumvals: null, boot: '0', context: 'user', desc: 'SSL renegotiation is no longer supported; this can only be 0.' },
];

/**
 * Enum values the server accepts but pg_settings hides (config_enum_entry with hidden =
 * true in guc_tables.c and xlog.c), matched case-insensitively like the visible ones.
 */
const BOOLISH = ['true', 'false', 'yes', 'no', '1', '0'];
const HIDDEN: Record<string, string[]> = {
  archive_mode: BOOLISH,
  backslash_quote: BOOLISH,
  compute_query_id: BOOLISH,
  constraint_exclusion: BOOLISH,
  debug_parallel_query: BOOLISH,
  force_parallel_mode: BOOLISH,
  huge_pages: BOOLISH,
  recovery_prefetch: BOOLISH,
  synchronous_commit: BOOLISH,
  wal_compression: BOOLISH,
  wal_level: ['archive', 'hot_standby'],
  client_min_messages: ['debug', 'info'],
  icu_validation_level: ['debug', 'info'],
  log_min_messages: ['debug'],
  log_min_error_statement: ['debug'],
  trace_recovery_messages: ['debug'],
};

/** Values of build options PGlite lacks (lz4, zstd, syncfs, io_uring, copy_file_range) that Linux packages have. */
const BUILD_VALUES: Record<string, string[]> = {
  file_copy_method: ['clone'],
  default_toast_compression: ['lz4'],
  wal_compression: ['lz4', 'zstd'],
  recovery_init_sync_method: ['syncfs'],
  io_method: ['io_uring'],
};

/** One catalog entry, valid for the versions since..until (inclusive). */
interface Entry {
  row: Row;
  since: number;
  until: number;
  hidden?: string[];
}

async function dump(major: number): Promise<Row[]> {
  const c = await startCluster({ major });
  try {
    if (c.version !== major) throw new Error(`expected a PostgreSQL ${major} server, found ${c.version}`);
    for (const r of NOT_SHOWN) c.psql(`SELECT current_setting('${r.name}')`);
    return JSON.parse(c.psql(QUERY));
  } finally {
    c.stop();
  }
}

async function dump18(): Promise<Row[]> {
  // PGlite is an ES module with top-level await; load it through a dynamic import.
  const { PGlite } = await (new Function('m', 'return import(m)') as (m: string) => Promise<any>)('@electric-sql/pglite');
  const db = new PGlite();
  const version = (await db.query('SHOW server_version_num')).rows[0] as { server_version_num: string };
  if (!version.server_version_num.startsWith('18')) throw new Error(`expected PGlite on PostgreSQL 18, found ${version.server_version_num}`);
  for (const r of NOT_SHOWN) await db.query(`SELECT current_setting('${r.name}')`);
  const r = await db.query(QUERY);
  await db.close();
  return (r.rows[0] as { j: Row[] }).j;
}

function build(pg15: Row[], pg18: Row[]): Entry[] {
  const a = new Map(pg15.map((r) => [r.name, r]));
  const b = new Map(pg18.filter((r) => !NOT_POSTGRES.has(r.name)).map((r) => [r.name, r]));
  const problems: string[] = [];
  const entries: Entry[] = [];
  const hiddenFor = (name: string) => HIDDEN[name];
  // Compression methods go after pglz, as a build with them lists them; others at the end.
  const withBuildValues = (r: Row): Row => {
    if (!r.enumvals || !BUILD_VALUES[r.name]) return r;
    const extra = BUILD_VALUES[r.name].filter((v) => !r.enumvals!.includes(v));
    const at = r.enumvals.indexOf('pglz') + 1 || r.enumvals.length;
    return { ...r, enumvals: [...r.enumvals.slice(0, at), ...extra, ...r.enumvals.slice(at)] };
  };

  for (const [name, r15] of a) {
    const since = ADDED_BEFORE_15[name] ?? 13;
    const r18 = b.get(name);
    if (!r18) {
      const last = REMOVED_AFTER_15[name] ?? (STILL_IN_18.has(name) ? 18 : undefined);
      if (last === undefined) problems.push(`${name}: in 15, not in 18, and not in REMOVED_AFTER_15`);
      entries.push({ row: withBuildValues(r15), since, until: last ?? 15, hidden: hiddenFor(name) });
      continue;
    }
    if (REMOVED_AFTER_15[name]) problems.push(`${name}: listed as removed but PostgreSQL 18 has it`);
    if (name === 'log_connections') {
      // 18 turned the boolean into a list of aspects (receipt, authentication, ...).
      entries.push({ row: r15, since, until: 17 });
      entries.push({ row: r18, since: 18, until: 18 });
      continue;
    }
    if (name === 'wal_compression') {
      // A boolean until 14; 15 made it an enum of compression methods.
      entries.push({ row: { ...r15, vartype: 'bool', enumvals: null, boot: 'off' }, since: 13, until: 14 });
      entries.push({ row: withBuildValues(r15), since: 15, until: 18, hidden: hiddenFor(name) });
      continue;
    }
    if (name === 'password_encryption') {
      // 13 still took on/true/yes/1 as md5 and defaulted to md5; 14 removed those spellings.
      entries.push({ row: { ...r15, boot: 'md5' }, since: 13, until: 13, hidden: ['on', 'true', 'yes', '1'] });
      entries.push({ row: r15, since: 14, until: 18 });
      continue;
    }
    const same = r15.vartype === r18.vartype && r15.unit === r18.unit;
    if (!same) problems.push(`${name}: type changed ${r15.vartype}/${r15.unit} -> ${r18.vartype}/${r18.unit}, not explained`);
    // The 15 row is the one checked against a real server. An enum value that 18 has and
    // 15 lacks would need its own version entry; none does today, so refuse rather than guess.
    const added = (r18.enumvals ?? []).filter((v) => !(r15.enumvals ?? []).includes(v));
    if (added.length) problems.push(`${name}: 18 adds enum values ${added.join(', ')}, not explained`);
    // A range that 18 widened (maintenance_work_mem's minimum, log_rotation_size's
    // maximum) is real; a narrower maximum is PGlite's 32-bit build. Which release widened
    // it is not in the dumps, so 16 and 17 get the wider range: never a false finding.
    const lo = (x: string | null) => (x === null ? null : Number(x));
    const widerMin = lo(r18.min) !== null && lo(r15.min) !== null && lo(r18.min)! < lo(r15.min)!;
    const widerMax = lo(r18.max) !== null && lo(r15.max) !== null && lo(r18.max)! > lo(r15.max)!;
    if ((widerMin || widerMax) && name !== 'server_version_num') {
      entries.push({ row: withBuildValues(r15), since, until: 15, hidden: hiddenFor(name) });
      const wide = { ...r15, min: widerMin ? r18.min : r15.min, max: widerMax ? r18.max : r15.max };
      entries.push({ row: withBuildValues(wide), since: 16, until: 18, hidden: hiddenFor(name) });
      continue;
    }
    entries.push({ row: withBuildValues(r15), since, until: 18, hidden: hiddenFor(name) });
  }
  for (const [name, r18] of b) {
    if (a.has(name)) continue;
    if (STILL_IN_18.has(name)) continue;
    const since = ADDED_AFTER_15[name];
    if (since === undefined) problems.push(`${name}: in 18, not in 15, and not in ADDED_AFTER_15`);
    entries.push({ row: withBuildValues(r18), since: since ?? 18, until: 18, hidden: hiddenFor(name) });
  }
  for (const name of Object.keys(ADDED_BEFORE_15)) if (!a.has(name)) problems.push(`${name}: in ADDED_BEFORE_15 but not in 15`);
  for (const name of Object.keys(ADDED_AFTER_15)) if (!b.has(name)) problems.push(`${name}: in ADDED_AFTER_15 but not in 18`);
  for (const old of OLD) entries.push({ row: old, since: 13, until: old.until });
  for (const row of NOT_SHOWN) {
    if (a.has(row.name) || b.has(row.name)) problems.push(`${row.name}: listed as not shown, but pg_settings shows it`);
    entries.push({ row, since: 13, until: 18 });
  }
  for (const row of DEBIAN_ONLY) if (!a.has(row.name)) entries.push({ row, since: 13, until: 18 });
  if (problems.length) throw new Error('the version tables do not explain the dumps:\n' + problems.join('\n'));
  return entries.sort((x, y) => x.row.name.localeCompare(y.row.name) || x.since - y.since);
}

function num(s: string | null): number | null {
  if (s === null || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function render(entries: Entry[]): string {
  const lines = entries.map((e) => {
    const r = e.row;
    const tuple = [
      r.name,
      r.vartype,
      r.unit ?? '',
      num(r.min),
      num(r.max),
      r.enumvals ?? null,
      e.hidden ?? null,
      r.boot ?? '',
      r.context,
      r.desc,
      e.since,
      e.until,
    ];
    return '  ' + JSON.stringify(tuple) + ',';
  });
  return `// GENERATED by scripts/gen-conf-params.ts from pg_settings of PostgreSQL 15 (a real
// server) and 18 (PGlite), plus the documented differences of 13, 14, 16 and 17, checked
// and corrected against a real server of each major 13 to 18.
// Do not edit by hand: change the script and run it again.
//
// Each row: name, type, unit (as pg_settings shows it), min, max (in that unit),
// enum values, hidden enum aliases, boot value, context, short description,
// first version, last version.
// Longer than 400 lines because it is one generated table, one row per parameter.

export type ParamRow = [
  name: string,
  type: 'bool' | 'integer' | 'real' | 'string' | 'enum',
  unit: string,
  min: number | null,
  max: number | null,
  values: string[] | null,
  hidden: string[] | null,
  boot: string,
  context: string,
  description: string,
  since: number,
  until: number,
];

export const PARAM_ROWS: readonly ParamRow[] = [
${lines.join('\n')}
];
`;
}

/** Parameters whose pg_settings range is the server's own version number, not a limit. */
const VERSION_ONLY = new Set(['server_version_num']);

const shape = (r: Row) => JSON.stringify([r.vartype, r.unit ?? '', num(r.min), num(r.max), r.enumvals ? [...r.enumvals].sort() : null]);

/** Gives each major what its real server says, splitting entries where a major differs. */
function correct(entries: Entry[], dumps: Map<number, Row[]>): Entry[] {
  const problems: string[] = [];
  let out = entries;
  for (const [v, rows] of dumps) {
    const live = new Map(rows.filter((r) => !NOT_POSTGRES.has(r.name)).map((r) => [r.name, r]));
    for (const e of out) {
      if (e.since > v || v > e.until || live.has(e.row.name)) continue;
      const hidden = NOT_SHOWN.some((r) => r.name === e.row.name) || e.row.name === 'extension_destdir' || (e.row.name === 'ssl_ecdh_curve' && v >= 18);
      if (!hidden) problems.push(`${e.row.name}: the tables give it to ${v}, whose server lacks it`);
    }
    for (const [name, l] of live) {
      const i = out.findIndex((e) => e.row.name === name && e.since <= v && v <= e.until);
      if (i < 0) {
        problems.push(`${name}: PostgreSQL ${v} has it, the tables do not`);
        continue;
      }
      const e = out[i];
      if (VERSION_ONLY.has(name)) continue;
      const optional = (BUILD_VALUES[name] ?? []).filter((x) => (e.row.enumvals ?? []).includes(x) && !(l.enumvals ?? []).includes(x));
      const fixed: Row = { ...e.row, vartype: l.vartype, unit: l.unit, min: l.min, max: l.max, enumvals: l.enumvals ? [...l.enumvals, ...optional] : null };
      if (shape(fixed) === shape(e.row)) continue;
      console.log(`PostgreSQL ${v}: ${name} ${shape(e.row)} -> ${shape(fixed)}`);
      const parts: Entry[] = [];
      if (e.since < v) parts.push({ ...e, until: v - 1 });
      parts.push({ ...e, row: fixed, since: v, until: v });
      if (v < e.until) parts.push({ ...e, since: v + 1 });
      out = [...out.slice(0, i), ...parts, ...out.slice(i + 1)];
    }
  }
  if (problems.length) throw new Error('the real servers disagree with the tables:\n' + problems.join('\n'));
  // Join neighbouring versions that came out alike again.
  const merged: Entry[] = [];
  for (const e of out.sort((x, y) => x.row.name.localeCompare(y.row.name) || x.since - y.since)) {
    const last = merged[merged.length - 1];
    if (last && last.row.name === e.row.name && last.until + 1 === e.since && JSON.stringify([last.row, last.hidden]) === JSON.stringify([e.row, e.hidden])) last.until = e.until;
    else merged.push({ ...e });
  }
  return merged;
}

const MAJORS = [13, 14, 15, 16, 17, 18];

async function main(): Promise<void> {
  const dumps = new Map<number, Row[]>();
  for (const v of MAJORS) dumps.set(v, await dump(v));
  const [pg15, pg18] = [dumps.get(15)!, await dump18()];
  const text = render(correct(build(pg15, pg18), dumps));
  const out = join(__dirname, '..', 'server', 'src', 'core', 'conf', 'params.ts');
  writeFileSync(out, text);
  console.log(`wrote ${out}: ${text.length} characters`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
