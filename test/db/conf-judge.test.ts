// The server is the judge of postgresql.conf syntax. A real PostgreSQL of each supported
// major (13 to 18, one per test run: see test/support/postgres.ts) reads each candidate file
// through `include_if_exists 'candidate.conf'` in postgresql.auto.conf, and pg_file_settings
// (which re-reads the files on every query without applying them) says which lines it
// rejects. Every line the server rejects must get conf-syntax from pgwarden, configured for
// that major, and no line it accepts may. The corpus states what PostgreSQL 15 and 18 say of
// each candidate, so a server that silently stopped checking (say, bailing out early) would
// fail the test; on the other majors the server's verdicts must still reject most of it.
// PostgreSQL 18 judges a second time through PGlite (a WASM build of 18 that is a dependency).
//
// How the server checks, and so how the corpus is split into files: a syntax error stops
// the file; an unknown name stops the checking of values; only the last of several lines
// spelled exactly alike has its value checked; and a valid change to a postmaster
// parameter is reported as "could not be applied" (restart needed), so value cases use
// parameters that a reload can change. Check hooks of string parameters (time zones,
// search_path) are not emulated by pgwarden, so the corpus has none that fail them.

import assert from 'node:assert/strict';
import { chownSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig } from '../../server/src/core/config';
import { paramsOf } from '../../server/src/core/conf/catalog';
import { lintConf } from '../../server/src/core/conf/lint';
import { LineIndex } from '../../server/src/core/text';
import { Workspace } from '../../server/src/core/workspace';
import { matrixRun, startCluster, TestCluster } from '../support/postgres';

interface Candidate {
  /** The file's lines. */
  lines: string[];
  /** 1-based lines the server must reject. */
  bad: number[];
  /** Extra files (relative to the data directory) the candidate includes. */
  files?: Record<string, string>;
}

const ok = (line: string): Candidate => ({ lines: [line], bad: [] });
const bad = (line: string): Candidate => ({ lines: [line], bad: [1] });

const CORPUS: Candidate[] = [
  // Memory units: case-sensitive, optional blank only inside quotes, fractions, octal and hex.
  ok('work_mem = 4MB'),
  ok("work_mem = '4MB'"),
  bad('work_mem = 4mb'),
  bad('work_mem = 4Mb'),
  ok("work_mem = '4 MB'"),
  bad('work_mem = 4 MB'),
  bad('work_mem = 10'),
  ok('work_mem = 64'),
  ok("work_mem = '1.5GB'"),
  bad('work_mem = 1.5GB'),
  bad('work_mem = 08MB'),
  ok('work_mem = 010MB'),
  ok('work_mem = 0x100'),
  ok("work_mem = '1e3'"),
  bad('work_mem = 4096B'),
  ok('work_mem = 65536B'),
  ok("work_mem = '64kB '"),
  bad('work_mem = 4MBs'),
  bad('work_mem = 4TB'),
  bad("work_mem = ''"),
  bad('work_mem = kB'),
  ok('maintenance_work_mem = 1GB'),
  ok("temp_buffers = '16MB'"),
  bad('temp_buffers = 16'),
  ok('temp_buffers = 100'),
  // Time units.
  ok('statement_timeout = 5min'),
  bad('statement_timeout = 5m'),
  ok("statement_timeout = '1.5s'"),
  ok('statement_timeout = 100us'),
  bad('statement_timeout = -1'),
  bad('statement_timeout = 5MB'),
  ok('statement_timeout = 0'),
  ok('log_rotation_age = 1d'),
  ok('log_rotation_age = 30s'),
  bad('log_rotation_age = 1w'),
  ok('idle_in_transaction_session_timeout = 10min'),
  ok("authentication_timeout = '60s'"),
  bad('authentication_timeout = 1h'),
  // Modes, as the conf-log-files and conf-file-permissions judgements read them: octal with
  // a leading 0, decimal otherwise, at most 0777.
  ok('log_file_mode = 0640'),
  ok('log_file_mode = 416'),
  ok("log_file_mode = '0600'"),
  bad('log_file_mode = 0800'),
  bad('log_file_mode = 01000'),
  // The strings the TLS, replication and preload judgements parse: the server takes any text.
  ok("ssl_ciphers = 'HIGH:MEDIUM:+3DES:!aNULL:!kRSA'"),
  ok("primary_conninfo = 'host=10.0.0.1 user=replicator password=''p w'' sslmode=verify-full'"),
  ok("primary_conninfo = 'postgresql://replicator:secret@10.0.0.1:5432/postgres?sslmode=require'"),
  ok("pgaudit.log = 'all, -misc'"),
  ok('log_min_error_statement = FATAL'),
  ok('log_error_verbosity = Terse'),
  bad('log_error_verbosity = quiet'),
  // Reals.
  ok('vacuum_cost_delay = 2ms'),
  ok('vacuum_cost_delay = 0.5'),
  bad('vacuum_cost_delay = 200'),
  bad("vacuum_cost_delay = '1s'"),
  ok('random_page_cost = 1.1'),
  bad('random_page_cost = -1'),
  bad('random_page_cost = abc'),
  ok("random_page_cost = '4 '"),
  bad("random_page_cost = '1e400'"),
  bad('random_page_cost = 1e400'),
  ok('seq_page_cost = .5'),
  bad('cpu_tuple_cost = 0.01ms'),
  bad('random_page_cost = inf'),
  bad('random_page_cost = nan'),
  // Booleans: any unambiguous prefix, case-insensitive.
  ok('log_checkpoints = on'),
  ok('log_checkpoints = of'),
  bad('log_checkpoints = o'),
  ok('log_checkpoints = tr'),
  ok('log_checkpoints = Y'),
  ok('log_checkpoints = 1'),
  bad('log_checkpoints = 2'),
  ok("log_checkpoints = 'TRUE'"),
  bad('log_checkpoints = onn'),
  bad('log_checkpoints = truex'),
  bad("log_checkpoints = ' on'"),
  bad("log_checkpoints = ''"),
  ok('ssl = off'),
  bad('ssl = maybe'),
  // Enums: case-insensitive, with hidden spellings.
  ok('log_statement = ddl'),
  ok('log_statement = DDL'),
  bad('log_statement = nonee'),
  ok("log_statement = 'all'"),
  ok('synchronous_commit = yes'),
  ok('synchronous_commit = 0'),
  bad('synchronous_commit = maybe'),
  ok('client_min_messages = info'),
  ok('log_min_messages = debug'),
  ok('ssl_min_protocol_version = TLSv1.1'),
  ok("ssl_min_protocol_version = 'tlsv1.3'"),
  bad('ssl_min_protocol_version = TLSv1.4'),
  bad("ssl_min_protocol_version = ''"),
  ok('password_encryption = md5'),
  bad('password_encryption = on'),
  ok("password_encryption = 'scram-sha-256'"),
  // Strings and quoting.
  ok(`search_path = '"$user", public'`),
  ok("log_line_prefix = '%m [%p] %q%u@%d '"),
  ok("application_name = 'it''s \\'quoted\\''"),
  ok("log_directory = 'x/y'"),
  ok('log_directory = x/y'),
  bad('log_directory = /tmp/x'),
  ok('log_directory = x:y'),
  bad('listen_addresses = *'),
  // Names.
  bad('bogus_parameter = 1'),
  ok('Work_Mem = 8MB'),
  ok('WORK_MEM = 8MB'),
  ok('my_ext.setting = anything'),
  ok("pg_stat_statements.max = 'lots'"),
  bad('allow_alter_system = off'),
  bad('debug_parallel_query = off'),
  ok('force_parallel_mode = off'),
  bad("stats_temp_directory = 'pg_stat_tmp'"),
  bad('a.b.c = 1'),
  bad('work-mem = 4MB'),
  bad('_x = 1'),
  // Line shapes.
  bad('= 4MB'),
  bad('work_mem'),
  bad('work_mem ='),
  bad('work_mem = 4MB extra'),
  bad("work_mem = 'unterminated"),
  ok('work_mem 4MB'),
  ok('work_mem=4MB'),
  ok('work_mem = 4MB # a comment'),
  ok('work_mem = 4MB#no blank before the comment'),
  ok('   # only a comment'),
  ok('work_mem = 4MB\r'),
  bad('work_mem = 4MB = 5MB'),
  bad("work_mem = '4MB' '5MB'"),
  bad('9lives = 1'),
  bad('\ufeffwork_mem = 4MB'),
  ok("application_name = '\\303\\251t\\351'"),
  ok("work_mem = '\\064MB'"),
  bad("work_mem = '\\061\\060'"),
  // Parameters pg_settings does not list, internal ones, and a superuser-backend one.
  ok('seed = 0'),
  bad('seed = 2'),
  ok('default_with_oids = off'),
  bad('default_with_oids = on'),
  ok('ssl_renegotiation_limit = 0'),
  bad('ssl_renegotiation_limit = 1'),
  ok("role = 'postgres'"),
  bad('is_superuser = off'),
  bad('block_size = 8192'),
  bad("server_version = '15'"),
  bad('data_checksums = off'),
  ok("client_encoding = 'UTF8'"),
  bad('log_disconnections = bogus'),
  ok('log_disconnections = on'),
  // Several lines in one file: each bad value is reported on its own line.
  { lines: ['work_mem = 4MB', 'temp_buffers = 1', 'log_statement = sometimes', 'enable_seqscan = off', 'statement_timeout = 1y'], bad: [2, 3, 5] },
  // Only the last line spelled exactly alike is checked; other spellings are checked too.
  { lines: ['work_mem = bogus', 'work_mem = 4MB'], bad: [] },
  { lines: ['Work_Mem = bogus', 'work_mem = 4MB'], bad: [1] },
  // Every unknown name is reported, not only the first.
  { lines: ['nope_one = 1', 'work_mem = 4MB', 'nope_two = 2'], bad: [1, 3] },
  // Includes.
  bad("include 'missing.conf'"),
  ok("include_if_exists 'missing.conf'"),
  bad("include_dir 'no_such_dir'"),
  bad("include = ''"),
  bad("include 'candidate.conf'"),
  { lines: ["include 'inc/good.conf'"], bad: [], files: { 'inc/good.conf': 'work_mem = 4MB\n' } },
  { lines: ['work_mem = 4MB', "include 'inc/bad.conf'"], bad: [2], files: { 'inc/bad.conf': 'work_mem = 4 MB\n' } },
  { lines: ["include_dir 'incdir'"], bad: [], files: { 'incdir/a.conf': 'work_mem = 4MB\n', 'incdir/.hidden.conf': 'nonsense here\n', 'incdir/b.txt': 'nonsense here\n' } },
  { lines: ["include_dir 'incdir2'"], bad: [1], files: { 'incdir2/a.conf': 'bogus_setting = 1\n' } },
];

/** PostgreSQL 18 differences, judged by a real 18 and by PGlite: 1-based lines each server rejects. */
const CORPUS_18: Candidate[] = [
  ok("log_connections = 'receipt,authorization'"),
  ok("log_connections = 'all'"),
  ok('log_connections = on'),
  ok("log_connections = ''"),
  bad("log_connections = 'receipt,bogus'"),
  ok('allow_alter_system = off'),
  bad('allow_alter_system = maybe'),
  ok('debug_parallel_query = off'),
  bad('force_parallel_mode = off'),
  bad('old_snapshot_threshold = -1'),
  ok("transaction_timeout = '5min'"),
  bad('transaction_timeout = 5mins'),
  ok('md5_password_warnings = on'),
  ok('file_copy_method = copy'),
  bad('file_copy_method = fast'),
  ok("ssl_groups = 'X25519'"),
  ok('maintenance_work_mem = 64kB'),
];

describe('postgresql.conf syntax: the server is the judge (a real server, pg_file_settings)', function () {
  this.timeout(120_000);
  let pg: TestCluster;
  let candidatePath = '';

  before(async () => {
    pg = await startCluster({ conf: "include_if_exists 'candidate.conf'" });
    candidatePath = join(pg.dataDir, 'candidate.conf');
  });
  after(() => pg?.stop());

  /** Writes a file (and its folders) where the server can read it. */
  const write = (rel: string, content: string) => {
    const p = join(pg.dataDir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, content);
    // Files written as root must belong to the server's user, like the data directory.
    const { uid, gid } = statSync(pg.dataDir);
    chownSync(p, uid, gid);
  };

  /** 1-based lines of candidate.conf the server rejects; errors in included files count on the including line. */
  const serverBad = (c: Candidate): number[] => {
    const out = pg.psql(
      `SELECT coalesce(json_agg(json_build_object('file', sourcefile, 'line', sourceline, 'error', error)), '[]') FROM pg_file_settings WHERE error IS NOT NULL`,
    );
    const rows = JSON.parse(out) as Array<{ file: string | null; line: number | null; error: string }>;
    const lines = new Set<number>();
    for (const r of rows) {
      if (r.file === candidatePath && r.line) lines.add(r.line);
      else {
        const inc = Object.keys(c.files ?? {}).find((f) => r.file === join(pg.dataDir, f));
        assert.ok(inc, `an error outside the candidate: ${JSON.stringify(r)}`);
        const top = inc.split('/')[0];
        const at = c.lines.findIndex((l) => l.includes(`'${inc}'`) || l.includes(`'${top}'`));
        assert.ok(at >= 0, `no include line for ${inc}`);
        lines.add(at + 1);
      }
    }
    return [...lines].sort((a, b) => a - b);
  };

  const pgwardenBad = (text: string): number[] => {
    const { findings } = lintConf(
      {
        uri: 'file://' + candidatePath,
        text,
        readFile: (p) => {
          try {
            return readFileSync(p, 'utf8');
          } catch {
            return undefined;
          }
        },
        listDir: (p) => {
          try {
            return readdirSync(p);
          } catch {
            return undefined;
          }
        },
      },
      { workspace: new Workspace(), config: { ...defaultConfig(), postgresVersion: pg.version } },
    );
    const idx = new LineIndex(text);
    return [...new Set(findings.filter((f) => f.ruleId === 'conf-syntax').map((f) => idx.positionAt(f.start).line + 1))].sort((a, b) => a - b);
  };

  it("the catalog for this major is the server's pg_settings: names, types, units, ranges and enum values", () => {
    const live = JSON.parse(
      pg.psql(`SELECT json_agg(json_build_object('name', name, 'type', vartype, 'unit', coalesce(unit, ''), 'min', min_val, 'max', max_val, 'values', enumvals) ORDER BY name) FROM pg_settings`),
    ) as Array<{ name: string; type: string; unit: string; min: string | null; max: string | null; values: string[] | null }>;
    const ours = new Map(paramsOf(pg.version).map((p) => [p.name, p]));
    // Nothing missing; the few the catalog has beyond pg_settings are hidden ones the server knows.
    assert.deepEqual(live.filter((l) => !ours.has(l.name)).map((l) => l.name), []);
    // extension_destdir is Debian's own patch: its servers accept it, upstream builds do not;
    // pgwarden accepts it so a Debian server's file gets no false error.
    const hidden = [...ours.keys()].filter((n) => !live.some((l) => l.name === n) && n !== 'extension_destdir');
    const aliases = pg.version >= 18 ? ['ssl_ecdh_curve'] : [];
    assert.deepEqual(hidden.sort(), ['default_with_oids', 'is_superuser', 'role', 'seed', 'session_authorization', ...aliases, 'ssl_renegotiation_limit']);
    for (const n of hidden) pg.psql(`SELECT current_setting('${n}')`);
    // Enum values that exist only in builds with a library or kernel feature: a server built
    // without one lists fewer, and pgwarden accepts them all (a file is not tied to one build).
    const BUILD_OPTIONAL = new Set(['lz4', 'zstd', 'io_uring', 'syncfs', 'copy_file_range']);
    for (const l of live) {
      // Its "range" is the server's own version number, minor release included.
      if (l.name === 'server_version_num') continue;
      const p = ours.get(l.name)!;
      const values = p.values && l.values ? p.values.filter((v) => l.values!.includes(v) || !BUILD_OPTIONAL.has(v)) : p.values;
      assert.deepEqual(
        [p.type, p.unit, p.min, p.max, values ? [...values].sort() : null],
        [l.type, l.unit, l.min === null ? null : Number(l.min), l.max === null ? null : Number(l.max), l.values ? [...l.values].sort() : null],
        l.name,
      );
    }
  });

  it("accepts the package's postgresql.conf.sample with every setting uncommented, as the server does", () => {
    const sample = readFileSync(join(pg.shareDir, 'postgresql.conf.sample'), 'utf8');
    // Every `#name = default` line becomes a setting; the include examples stay comments.
    const text = sample.replace(/^#(?!include)([a-z_]+\s*=)/gm, '$1');
    const settingLines = text.split('\n').filter((l) => /^[a-z_]+\s*=/.test(l)).length;
    assert.ok(settingLines > 250, `${settingLines} settings`);
    assert.deepEqual(pgwardenBad(sample), [], 'the sample as shipped');
    assert.deepEqual(pgwardenBad(text), [], 'the sample uncommented');
    write('candidate.conf', text);
    const lines = text.split('\n');
    // The server agrees, except that it cannot apply a changed restart-only setting while
    // running ("setting could not be applied"): those lines must all be postmaster ones; and
    // locale settings, whose check hooks depend on the locales of the build and the machine.
    for (const line of serverBad({ lines, bad: [] })) {
      const name = /^([a-z_]+)/.exec(lines[line - 1])?.[1] ?? '';
      if (name.startsWith('lc_')) continue;
      assert.equal(paramsOf(pg.version).find((p) => p.name.toLowerCase() === name)?.context, 'postmaster', `line ${line}: ${lines[line - 1]}`);
    }
  });

  it(`has a corpus of at least 40 lines with both verdicts`, () => {
    const lines = CORPUS.reduce((n, c) => n + c.lines.length, 0);
    assert.ok(lines >= 40, `${lines} lines`);
    assert.ok(CORPUS.filter((c) => c.bad.length).length >= 20);
    assert.ok(CORPUS.filter((c) => !c.bad.length).length >= 20);
  });

  // The 15 corpus on every major, and the 18 corpus from 18 on; each corpus's own verdicts
  // are checked on the major it was written for.
  let rejected = 0;
  const corpora: Array<[string, Candidate[], number, (v: number) => boolean]> = [
    ['', CORPUS, 15, () => true],
    ['18 ', CORPUS_18, 18, (v) => v >= 18],
  ];
  for (const [prefix, corpus, written, applies] of corpora) {
    corpus.forEach((c, i) => {
      it(`${prefix}#${i + 1} ${JSON.stringify(c.lines.join(' | '))}`, function () {
        if (!applies(pg.version)) this.skip();
        const text = c.lines.join('\n') + '\n';
        for (const [rel, content] of Object.entries(c.files ?? {})) write(rel, content);
        write('candidate.conf', text);
        try {
          const server = serverBad(c);
          if (server.length && corpus === CORPUS) rejected++;
          if (pg.version === written) assert.deepEqual(server, c.bad, 'the server does not judge this candidate as the corpus expects');
          assert.deepEqual(pgwardenBad(text), server, `pgwarden (postgresVersion ${pg.version}) disagrees with the server`);
        } finally {
          for (const rel of Object.keys(c.files ?? {})) rmSync(join(pg.dataDir, rel.split('/')[0]), { recursive: true, force: true });
        }
      });
    });
  }

  it('the server rejected most of the 15 corpus on this major too', () => {
    assert.ok(rejected >= 40, `${rejected} rejected candidates`);
  });
});


describe('postgresql.conf syntax: the server is the judge (PostgreSQL 18 in PGlite, pg_file_settings)', function () {
  this.timeout(120_000);
  before(function () {
    if (matrixRun()) this.skip();
  });
  // PGlite runs a PostgreSQL 18 backend in WASM with its own in-memory file system; its
  // postgresql.conf gets an include of candidate.conf, exactly as the 15 server's does.
  let db: any;
  let fs: any;
  const DATA = '/pglite/data';
  const CANDIDATE = `${DATA}/candidate.conf`;

  before(async () => {
    const load = new Function('m', 'return import(m)') as (m: string) => Promise<any>;
    const { PGlite } = await load('@electric-sql/pglite');
    db = new PGlite();
    await db.waitReady;
    fs = db.mod.FS;
    const version = (await db.query('SHOW server_version_num')).rows[0].server_version_num as string;
    assert.match(version, /^18/);
    const conf = fs.readFile(`${DATA}/postgresql.conf`, { encoding: 'utf8' }) as string;
    fs.writeFile(`${DATA}/postgresql.conf`, conf + "\ninclude_if_exists 'candidate.conf'\n");
  });
  after(async () => db?.close());

  const mkdirs = (path: string) => {
    let at = '';
    for (const part of path.split('/').slice(1, -1)) {
      at += '/' + part;
      try {
        fs.mkdir(at);
      } catch {
        // Exists already.
      }
    }
  };
  const removeTree = (path: string) => {
    const st = fs.stat(path);
    if (fs.isDir(st.mode)) {
      for (const n of fs.readdir(path)) if (n !== '.' && n !== '..') removeTree(`${path}/${n}`);
      fs.rmdir(path);
    } else fs.unlink(path);
  };

  const serverBad = async (c: Candidate): Promise<number[]> => {
    const rows = (await db.query('SELECT sourcefile AS file, sourceline AS line, error FROM pg_file_settings WHERE error IS NOT NULL')).rows as Array<{
      file: string | null;
      line: number | null;
      error: string;
    }>;
    const lines = new Set<number>();
    for (const r of rows) {
      if (r.file === CANDIDATE && r.line) lines.add(r.line);
      else {
        const inc = Object.keys(c.files ?? {}).find((f) => r.file === `${DATA}/${f}`);
        assert.ok(inc, `an error outside the candidate: ${JSON.stringify(r)}`);
        const top = inc.split('/')[0];
        const at = c.lines.findIndex((l) => l.includes(`'${inc}'`) || l.includes(`'${top}'`));
        lines.add(at + 1);
      }
    }
    return [...lines].sort((a, b) => a - b);
  };

  const pgwardenBad = (text: string): number[] => {
    const { findings } = lintConf(
      {
        uri: 'file://' + CANDIDATE,
        text,
        readFile: (p) => {
          try {
            return fs.readFile(p, { encoding: 'utf8' });
          } catch {
            return undefined;
          }
        },
        listDir: (p) => {
          try {
            return (fs.readdir(p) as string[]).filter((n) => n !== '.' && n !== '..');
          } catch {
            return undefined;
          }
        },
      },
      { workspace: new Workspace(), config: { ...defaultConfig(), postgresVersion: 18 } },
    );
    const idx = new LineIndex(text);
    return [...new Set(findings.filter((f) => f.ruleId === 'conf-syntax').map((f) => idx.positionAt(f.start).line + 1))].sort((a, b) => a - b);
  };

  const judge = async (c: Candidate): Promise<{ server: number[]; ours: number[] }> => {
    const text = c.lines.join('\n') + '\n';
    for (const [rel, content] of Object.entries(c.files ?? {})) {
      mkdirs(`${DATA}/${rel}`);
      fs.writeFile(`${DATA}/${rel}`, content);
    }
    fs.writeFile(CANDIDATE, text);
    try {
      return { server: await serverBad(c), ours: pgwardenBad(text) };
    } finally {
      for (const rel of Object.keys(c.files ?? {})) {
        try {
          removeTree(`${DATA}/${rel.split('/')[0]}`);
        } catch {
          // Already removed with its folder.
        }
      }
    }
  };

  CORPUS_18.forEach((c, i) => {
    it(`18 #${i + 1} ${JSON.stringify(c.lines.join(' | '))}`, async () => {
      const { server, ours } = await judge(c);
      assert.deepEqual(server, c.bad, 'the server does not judge this candidate as the corpus expects');
      assert.deepEqual(ours, server, 'pgwarden disagrees with the server');
    });
  });

  it("accepts PostgreSQL 18's postgresql.conf.sample with every setting uncommented, as the server does", async () => {
    // output_plugin_libraries is PGlite's own parameter, not PostgreSQL's: it stays a comment.
    const sample = (fs.readFile('/pglite/share/postgresql/postgresql.conf.sample', { encoding: 'utf8' }) as string).replace(/^(output_plugin_libraries)/m, '#$1');
    const text = sample.replace(/^#(?!include|output_plugin_libraries)([a-z_]+\s*=)/gm, '$1');
    const lines = text.split('\n');
    assert.ok(lines.filter((l) => /^[a-z_]+\s*=/.test(l)).length > 280);
    assert.deepEqual(pgwardenBad(sample), [], 'the sample as shipped');
    assert.deepEqual(pgwardenBad(text), [], 'the sample uncommented');
    const { server } = await judge({ lines, bad: [] });
    // As on 15, only restart-only settings that differ from the running ones may fail, and
    // locale settings, whose check hooks depend on the locales of the machine (PGlite has
    // none for lc_messages = '').
    for (const line of server) {
      const name = /^([a-z_]+)/.exec(lines[line - 1])?.[1] ?? '';
      if (name.startsWith('lc_')) continue;
      assert.equal(paramsOf(18).find((p) => p.name.toLowerCase() === name)?.context, 'postmaster', `line ${line}: ${lines[line - 1]}`);
    }
  });

  it('agrees with PostgreSQL 18 on every candidate of the 15 corpus', async () => {
    // The verdicts differ from 15's where the versions differ (allow_alter_system,
    // force_parallel_mode, ...); pgwarden must follow the server either way.
    const disagreements: string[] = [];
    let rejected = 0;
    for (const c of CORPUS) {
      const { server, ours } = await judge(c);
      if (server.length) rejected++;
      if (JSON.stringify(server) !== JSON.stringify(ours)) disagreements.push(`${JSON.stringify(c.lines)}: server ${JSON.stringify(server)}, pgwarden ${JSON.stringify(ours)}`);
    }
    assert.deepEqual(disagreements, []);
    assert.ok(rejected >= 40, `${rejected} rejected candidates`);
  });
});
