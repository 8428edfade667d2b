#!/usr/bin/env node
// `npm run bench`: pgwarden's performance figures against the targets of issue 2, printed
// as a table and written to test/bench/results.md with a description of the machine.
// Every measurement runs in its own process:
//   core      test/bench/core.ts    libpg-query parse vs full open; edit -> findings in the core
//   memory    test/bench/memory.ts  heap and RSS after opening the 10,000-line file
//   lsp       test/bench/lsp.ts     edit -> publishDiagnostics through dist/server.js, server RSS
//   cli       bin/pgwarden.js lint vs test/bench/parse-only.cjs, alternated, median of runs
//   peers     squawk and the Postgres Language Server on a 50,000-line file (installed into
//             ~/.cache/pgwarden/bench-peers with `npm install --prefix`, never as dependencies)
//   hba       test/bench/hba.ts     pg_hba.conf with 10,000 records
//   body      test/bench/plpgsql-body.ts  dynamic-sql-injection on one PL/pgSQL body and one 4x longer
//   live      test/bench/live.ts    role tree first level and live audit with 10,000 roles and 100,000 grants (needs PostgreSQL)
//   drift     test/bench/drift.ts   pgwarden drift: 1,000 migration files, 10,000 roles, 100,000 grants (needs PostgreSQL)
//   sessions  test/bench/sessions.ts  Sessions node's first page with 200 open sessions (needs PostgreSQL)
// Options (environment): BENCH_EDITS (200), BENCH_CLI_RUNS (5), BENCH_PEER_RUNS (3),
// BENCH_SKIP_PEERS=1, BENCH_NO_INSTALL=1 (use the peers only if already installed),
// BENCH_ONLY=oneshot (only the one-shot comparisons, --cache and the workspace open).
//   peers     also on 20,000 lines and on the corpus folder (../shared/corpus/projects), with
//             pgwarden at --threads auto and 1
//   cache     test/bench: lint --cache cold run vs re-run over unchanged files
//   workspace test/bench/workspace.ts  2,000 SQL files opened in the language server over stdio
//   syntax    test/bench/syntax-only.ts  libpg-query parse vs fingerprint vs scan per statement
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg, totalmem, tmpdir, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EDITS = Number(process.env.BENCH_EDITS ?? 200);
const CLI_RUNS = Number(process.env.BENCH_CLI_RUNS ?? 5);
const PEER_RUNS = Number(process.env.BENCH_PEER_RUNS ?? 3);
const PEERS_DIR = join(homedir(), '.cache', 'pgwarden', 'bench-peers');
const ONESHOT = process.env.BENCH_ONLY === 'oneshot';
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
/** The real projects beside the checkout (as in CI), for the folder comparisons. */
const CORPUS = resolve(ROOT, '../shared/corpus/projects');

/** Every .sql file under a folder, sorted. */
function sqlFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sqlFiles(p));
    else if (e.name.endsWith('.sql')) out.push(p);
  }
  return out.sort();
}

const log = (s) => process.stderr.write(s + '\n');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n, d = 1) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(d));

/** Runs a TypeScript benchmark under tsx and returns its one line of JSON. */
function tsx(script, args = [], nodeFlags = []) {
  const r = spawnSync(process.execPath, [...nodeFlags, '--require', 'tsx/cjs', join(ROOT, script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** Wall time (ms) of a command, with CPU seconds and peak RSS when /usr/bin/time exists. */
function timed(cmd, args, env) {
  const full = TIME ? [TIME, ['-f', '@@time %U %S %M', cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...(env ? { env: { ...process.env, ...env } } : {}) });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /@@time ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  return { ms, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined, maxRssMb: m ? Number(m[3]) / 1024 : undefined, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ensurePeers() {
  const squawk = join(PEERS_DIR, 'node_modules/@squawk-cli/linux-x64/bin/squawk');
  const pls = join(PEERS_DIR, 'node_modules/.bin/postgres-language-server');
  if (!(existsSync(squawk) && existsSync(pls)) && !process.env.BENCH_NO_INSTALL) {
    log(`installing squawk-cli and @postgres-language-server/cli into ${PEERS_DIR} ...`);
    mkdirSync(PEERS_DIR, { recursive: true });
    const r = spawnSync('npm', ['install', '--prefix', PEERS_DIR, '--no-audit', '--no-fund', '--no-save', 'squawk-cli', '@postgres-language-server/cli'], {
      encoding: 'utf8',
    });
    if (r.status !== 0) log(`peer install failed: ${r.stderr.split('\n').slice(-3).join(' ')}`);
  }
  const version = (pkg) => {
    try {
      return JSON.parse(readFileSync(join(PEERS_DIR, 'node_modules', pkg, 'package.json'), 'utf8')).version;
    } catch {
      return undefined;
    }
  };
  return {
    squawk: existsSync(squawk) ? { bin: squawk, version: version('squawk-cli') } : undefined,
    pls: existsSync(pls) ? { bin: pls, version: version('@postgres-language-server/cli') } : undefined,
  };
}

function main() {
  if (!existsSync(join(ROOT, 'dist/server.js')) || !existsSync(join(ROOT, 'dist/cli.js'))) {
    log('building dist/ first ...');
    const b = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
    if (b.status !== 0) process.exit(2);
  }
  const load0 = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'pgwarden-bench-'));
  const files = {};
  for (const [name, lines] of [['200', 200], ['10k', 10_000], ['20k', 20_000], ['50k', 50_000]]) {
    const file = join(dir, `bench-${name}.sql`);
    files[name] = tsx('test/bench/generate.ts', [String(lines), file]);
    writeFileSync(`${file}.sites.json`, JSON.stringify(files[name].editSites));
  }

  let core, memory, lsp10k, lsp200, hba, body, live;
  const cli = [];
  const parseOnly = [];
  if (!ONESHOT) {
    log('core: parse vs open, edit latency ...');
    core = tsx('test/bench/core.ts', [String(EDITS)]);
    log('core: memory ...');
    memory = tsx('test/bench/memory.ts', [], ['--expose-gc']);
    log('language server: 10,000 lines ...');
    lsp10k = tsx('test/bench/lsp.ts', [files['10k'].file, `${files['10k'].file}.sites.json`, String(EDITS)]);
    log('language server: 200 lines ...');
    lsp200 = tsx('test/bench/lsp.ts', [files['200'].file, `${files['200'].file}.sites.json`, String(EDITS)]);

    log(`cli vs parse-only process, ${CLI_RUNS} runs each, alternated ...`);
    for (let i = 0; i < CLI_RUNS; i++) {
      parseOnly.push(timed(process.execPath, [join(ROOT, 'test/bench/parse-only.cjs'), files['10k'].file]));
      const c = timed(process.execPath, [join(ROOT, 'bin/pgwarden.js'), 'lint', '--format', 'json', files['10k'].file]);
      if (c.status === 2) throw new Error(`pgwarden lint failed: ${c.stderr}`);
      cli.push(c);
    }

    try {
      log('pg_hba.conf: 10,000 records ...');
      hba = tsx('test/bench/hba.ts');
    } catch (err) {
      log(String(err.message).split('\n')[0]);
    }

    log('dynamic-sql-injection: one PL/pgSQL body and one 4x longer ...');
    body = tsx('test/bench/plpgsql-body.ts');
    try {
      log('live database: 10,000 roles, 100,000 grants ...');
      live = tsx('test/bench/live.ts');
    } catch (err) {
      log(String(err.message).split('\n')[0]);
    }
  }
  let sessions;
  try {
    log('live database: 200 open sessions ...');
    sessions = tsx('test/bench/sessions.ts');
  } catch (err) {
    log(String(err.message).split('\n')[0]);
  }

  let drift;
  if (!ONESHOT) {
    try {
      log('drift: 1,000 migration files, 10,000 roles, 100,000 grants ...');
      drift = tsx('test/bench/drift.ts');
    } catch (err) {
      log(String(err.message).split('\n')[0]);
    }
  }

  const peers = { ran: false };
  const sum = (list) =>
    list.length ? { ms: median(list.map((r) => r.ms)), cpuMs: median(list.map((r) => r.cpuMs ?? NaN)), maxRssMb: median(list.map((r) => r.maxRssMb ?? NaN)), exit: list[0].status } : undefined;
  const pgwardenBin = join(ROOT, 'bin/pgwarden.js');
  if (!process.env.BENCH_SKIP_PEERS) {
    const p = ensurePeers();
    Object.assign(peers, { ran: true, squawkVersion: p.squawk?.version, plsVersion: p.pls?.version, subjects: {} });
    // The same input to each tool, alternated run by run so that other load hits them alike.
    // squawk takes files, not folders: a folder is given as its list of .sql files.
    const subjects = [
      ['20k', files['20k'].file, [files['20k'].file]],
      ['50k', files['50k'].file, [files['50k'].file]],
      ...(existsSync(CORPUS) ? [['corpus', CORPUS, sqlFiles(CORPUS)]] : []),
    ];
    for (const [name, path, sqlList] of subjects) {
      log(`${name}: pgwarden (--threads auto and 1), squawk ${p.squawk?.version ?? '(missing)'}, Postgres Language Server ${p.pls?.version ?? '(missing)'}, ${PEER_RUNS} runs each ...`);
      const runs = { pgwarden: [], pgwarden1: [], squawk: [], pls: [] };
      for (let i = 0; i < PEER_RUNS; i++) {
        runs.pgwarden.push(timed(process.execPath, [pgwardenBin, 'lint', '--format', 'json', path]));
        runs.pgwarden1.push(timed(process.execPath, [pgwardenBin, 'lint', '--format', 'json', '--threads', '1', path]));
        if (p.squawk) runs.squawk.push(timed(p.squawk.bin, ['--reporter=json', ...sqlList]));
        if (p.pls) runs.pls.push(timed(p.pls.bin, ['check', '--disable-db', '--reporter=json', path]));
      }
      peers.subjects[name] = { pgwarden: sum(runs.pgwarden), pgwarden1: sum(runs.pgwarden1), squawk: sum(runs.squawk), pls: sum(runs.pls) };
    }
  }

  // --cache: a cold run writes the cache, re-runs over the unchanged files read it: the
  // command replays the cold run's report; with PGWARDEN_REPLAY=off it goes through the
  // linter (what a re-run costs once something changed, less the parse of that project).
  const cacheSubject = existsSync(CORPUS) ? CORPUS : files['50k'].file;
  log(`--cache on ${cacheSubject === CORPUS ? 'the corpus' : '50k lines'}: cold run vs re-run, ${CLI_RUNS} runs each ...`);
  const cacheFile = join(dir, 'bench.pgwardencache');
  const cacheRuns = { cold: [], warm: [], relint: [] };
  const cacheArgs = [pgwardenBin, 'lint', '--format', 'json', '--cache', '--cache-location', cacheFile, cacheSubject];
  for (let i = 0; i < CLI_RUNS; i++) {
    rmSync(cacheFile, { force: true });
    const cold = timed(process.execPath, cacheArgs);
    const warm = timed(process.execPath, cacheArgs);
    const relint = timed(process.execPath, cacheArgs, { PGWARDEN_REPLAY: 'off' });
    if (warm.stdout !== cold.stdout || relint.stdout !== cold.stdout) log('--cache: A RE-RUN PRINTED ANOTHER REPORT THAN THE COLD RUN');
    cacheRuns.cold.push(cold);
    cacheRuns.warm.push(warm);
    cacheRuns.relint.push(relint);
  }
  const cache = { subject: cacheSubject === CORPUS ? 'corpus' : '50k', cold: sum(cacheRuns.cold), warm: sum(cacheRuns.warm), relint: sum(cacheRuns.relint) };

  log('language server: opening a workspace of 2,000 SQL files ...');
  const workspace = tsx('test/bench/workspace.ts', ['2000', join(dir, 'workspace')]);
  log('libpg-query: full parse vs syntax-only paths on the 50k statements ...');
  const syntaxOnly = tsx('test/bench/syntax-only.ts', [files['50k'].file]);
  rmSync(dir, { recursive: true, force: true });
  const load1 = loadavg();

  const cliMs = median(cli.map((r) => r.ms));
  const parseOnlyMs = median(parseOnly.map((r) => r.ms));
  const cliCpu = median(cli.map((r) => r.cpuMs ?? NaN));
  const parseOnlyCpu = median(parseOnly.map((r) => r.cpuMs ?? NaN));

  const rows = ONESHOT ? [] : [
    ['edit -> diagnostics, 10k lines, p50 (LSP)', `${fmt(lsp10k.p50)} ms`, '<= 15 ms', lsp10k.p50 <= 15],
    ['edit -> diagnostics, 10k lines, p99 (LSP)', `${fmt(lsp10k.p99)} ms`, '<= 50 ms', lsp10k.p99 <= 50],
    ['edit -> diagnostics, 200 lines, p99 (LSP)', `${fmt(lsp200.p99)} ms`, '<= 10 ms', lsp200.p99 <= 10],
    ['open 10k lines vs libpg-query parse (core)', `${fmt(core.openMs)} / ${fmt(core.parseMs)} ms = ${fmt(core.openMs / core.parseMs, 2)}x`, '<= 2x', core.openMs / core.parseMs <= 2],
    ['one-shot CLI vs parse-only process, 10k (wall)', `${fmt(cliMs, 0)} / ${fmt(parseOnlyMs, 0)} ms = ${fmt(cliMs / parseOnlyMs, 2)}x`, '<= 1.5x', cliMs / parseOnlyMs <= 1.5],
    ['server RSS with the 10k file open', `${fmt(lsp10k.rssOpenMb)} MB`, '<= 150 MB', lsp10k.rssOpenMb <= 150],
    ['pg_hba.conf 10,000 records', hba ? `${fmt(hba.medianMs)} ms` : 'not run', '<= 200 ms', hba ? hba.medianMs <= 200 : undefined],
    // Linear work on a 4x longer body costs about 4x; a quadratic step would cost about 16x.
    ['dynamic-sql-injection, body 4x longer (rule time)', `${fmt(body.large.ms, 0)} / ${fmt(body.small.ms, 0)} ms = ${fmt(body.ratio, 1)}x`, '<= 6x', body.ratio <= 6],
    ['role tree first level, 10,000 roles', live ? `${fmt(live.firstLevelMedianMs)} ms` : 'not run', '<= 1000 ms', live ? live.firstLevelMedianMs <= 1000 : undefined],
    ['live audit, 10,000 roles and 100,000 grants', live ? `${fmt(live.auditMedianMs)} ms` : 'not run', '<= 5000 ms', live ? live.auditMedianMs <= 5000 : undefined],
    ['drift, 1,000 files, 10,000 roles, 100,000 grants', drift ? `${fmt(drift.medianMs, 0)} ms` : 'not run', '<= 5000 ms', drift ? drift.medianMs <= 5000 : undefined],
    ['impact hover on a GRANT in that project', drift ? `${fmt(drift.hoverMs, 0)} ms` : 'not run', '<= 1000 ms', drift ? drift.hoverMs <= 1000 : undefined],
    ['Sessions node first page, 200 open sessions', sessions ? `${fmt(sessions.firstPageMedianMs)} ms` : 'not run', '<= 1000 ms', sessions ? sessions.firstPageMedianMs <= 1000 : undefined],
  ];
  if (peers.ran) {
    for (const [name, label] of [['50k', '50k lines'], ['corpus', 'corpus folder']]) {
      const x = peers.subjects[name];
      if (!x) continue;
      const pw = x.pgwarden?.ms;
      rows.push(
        [`${label}: pgwarden CLI vs squawk (wall)`, x.squawk ? `${fmt(pw, 0)} vs ${fmt(x.squawk.ms, 0)} ms${x.squawk.exit ? ` (squawk exit ${x.squawk.exit})` : ''}` : 'squawk not installed', 'faster', x.squawk ? pw < x.squawk.ms : undefined],
        [`${label}: pgwarden CLI vs Postgres LS (wall)`, x.pls ? `${fmt(pw, 0)} vs ${fmt(x.pls.ms, 0)} ms` : 'PLS not installed', 'faster', x.pls ? pw < x.pls.ms : undefined],
      );
    }
  }
  rows.push(
    [`--cache re-run vs cold run, ${cache.subject} (wall)`, `${fmt(cache.warm.ms, 0)} / ${fmt(cache.cold.ms, 0)} ms = ${fmt((100 * cache.warm.ms) / cache.cold.ms, 0)}%`, '<= 15%', cache.warm.ms <= 0.15 * cache.cold.ms],
    ['open 2,000 SQL files: first (provisional) diagnostics (LSP, cold)', `${fmt(workspace.noCacheMs, 0)} ms`, '< 2000 ms', workspace.noCacheMs < 2000],
    ['open 2,000 SQL files: first (provisional) diagnostics (LSP, index cache)', `${fmt(workspace.warmMs, 0)} ms`, '< 2000 ms', workspace.warmMs < 2000],
    ['open 2,000 SQL files: final diagnostics, index complete (LSP, cold)', `${fmt(workspace.noCacheFinalMs, 0)} ms`, '', null],
    ['open 2,000 SQL files: final diagnostics, index complete (LSP, index cache)', `${fmt(workspace.warmFinalMs, 0)} ms`, '', null],
  );

  // null: a figure shown for information, with no target of its own.
  const verdict = (ok) => (ok === null ? '' : ok === undefined ? 'NOT RUN' : ok ? 'PASS' : 'FAIL');
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\n${'target'.padEnd(width)}  ${'measured'.padEnd(34)} ${'goal'.padEnd(10)} result`);
  for (const [name, value, goal, ok] of rows) console.log(`${name.padEnd(width)}  ${value.padEnd(34)} ${goal.padEnd(10)} ${verdict(ok)}`);

  const cpu = cpus();
  const machine = `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} logical cores, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Linux ${release()}, Node ${process.version}`;
  const loadNote = `load average ${load0.map((x) => x.toFixed(1)).join(' / ')} at the start, ${load1.map((x) => x.toFixed(1)).join(' / ')} at the end`;
  const details = {
    files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, { lines: v.lines, bytes: v.bytes }])),
    core,
    memory,
    lsp10k,
    lsp200,
    cli: { wallMs: cliMs, cpuMs: cliCpu, maxRssMb: median(cli.map((r) => r.maxRssMb ?? NaN)), runs: cli.map((r) => Math.round(r.ms)) },
    parseOnly: { wallMs: parseOnlyMs, cpuMs: parseOnlyCpu, runs: parseOnly.map((r) => Math.round(r.ms)) },
    hba,
    body,
    live,
    drift,
    sessions,
    peers,
    cache,
    workspace,
    syntaxOnly,
  };
  const md = [
    '# pgwarden benchmark results',
    '',
    `Written by \`npm run bench\` (scripts/bench.mjs) on ${new Date().toISOString()}.`,
    '',
    `Machine: ${machine}; ${loadNote}. A load average above the core count means other processes competed for the CPU during the run, which inflates every wall-clock figure (CPU times are less affected).`,
    '',
    `Files: generated schemas (test/bench/generate.ts) of ${files['200'].lines}, ${files['10k'].lines} and ${files['50k'].lines} lines: roles, tables with constraints, RLS and policies, grants, views, PL/pgSQL functions, and some insecure statements. Edits replace one digit (a column DEFAULT or a PL/pgSQL initialiser) in a different statement each time; ${EDITS} measured edits after 10 warm-up edits.`,
    '',
    '| target | measured | goal | result |',
    '|---|---|---|---|',
    ...rows.map(([name, value, goal, ok]) => `| ${name} | ${value} | ${goal} | ${verdict(ok)} |`),
    '',
    '## More figures',
    '',
    ...(ONESHOT
      ? []
      : [
          `- libpg-query on the 10k file, warm, in process: SQL ${fmt(core.parseSqlMs)} ms, PL/pgSQL bodies ${fmt(core.parsePlpgsqlMs)} ms, both ${fmt(core.parseMs)} ms. pgwarden open (split, parse per statement, bodies, facts, every rule): ${fmt(core.openMs)} ms, of which analysis without rules ${fmt(core.analyzeMs)} ms; ${core.file10k.findings} findings.`,
          `- Core edit -> findings (analyzeSql with the previous ParseCache, workspace update, every rule with remembered results): 10k lines p50 ${fmt(core.edit10k.p50)} ms, p99 ${fmt(core.edit10k.p99)} ms (CPU time p50 ${fmt(core.edit10k.cpuP50)} ms, p99 ${fmt(core.edit10k.cpuP99)} ms); ${files['200'].lines} lines p50 ${fmt(core.edit200.p50, 2)} ms, p99 ${fmt(core.edit200.p99)} ms (CPU p50 ${fmt(core.edit200.cpuP50, 2)}, p99 ${fmt(core.edit200.cpuP99)} ms).`,
          `- Open vs parse by CPU time (less sensitive to other load): ${fmt(core.openCpuMs)} / ${fmt(core.parseCpuMs)} ms = ${fmt(core.openCpuMs / core.parseCpuMs, 2)}x.`,
          `- Language server: open of the 10k file to first diagnostics ${fmt(lsp10k.openMs, 0)} ms (${lsp10k.diagnosticsOnOpen} diagnostics); 10k edits p50 ${fmt(lsp10k.p50)} / p99 ${fmt(lsp10k.p99)} / max ${fmt(lsp10k.max)} ms; 200-line edits p50 ${fmt(lsp200.p50)} / p99 ${fmt(lsp200.p99)} ms; server CPU time (main thread and worker) per edit ${fmt(lsp10k.cpuPerEditMs)} ms on 10k lines, ${fmt(lsp200.cpuPerEditMs)} ms on 200 lines. Server RSS: ${fmt(lsp10k.rssOpenMb)} MB with the 10k file open, ${fmt(lsp10k.rssAfterEditsMb)} MB after the edits (every 50 edits: ${(lsp10k.rssAlongMb ?? []).join(', ')} MB; ${fmt(lsp200.rssOpenMb)} MB with the 200-line file).`,
          `- Core memory in a fresh process after opening the 10k file: RSS ${memory.rssMb} MB (${memory.rssBeforeMb} MB before), JS heap ${memory.heapUsedMb} MB (+${memory.heapDeltaMb} MB), external/ArrayBuffers ${memory.externalMb} MB (mostly the WASM module's reserved linear memory).`,
          `- CLI on the 10k file: wall median ${fmt(cliMs, 0)} ms (runs ${details.cli.runs.join(', ')}), CPU ${fmt(cliCpu, 0)} ms; parse-only process ${fmt(parseOnlyMs, 0)} ms (runs ${details.parseOnly.runs.join(', ')}), CPU ${fmt(parseOnlyCpu, 0)} ms.`,
        ]),
    ...(peers.ran
      ? Object.entries(peers.subjects).map(
          ([name, x]) =>
            `- ${name === 'corpus' ? 'The corpus folder (../shared/corpus/projects)' : `${name} lines (${files[name].bytes} bytes)`}, median of ${PEER_RUNS}, wall / CPU / peak RSS: pgwarden ${fmt(x.pgwarden?.ms, 0)} ms / ${fmt(x.pgwarden?.cpuMs, 0)} ms / ${fmt(x.pgwarden?.maxRssMb, 0)} MB (--threads 1: ${fmt(x.pgwarden1?.ms, 0)} / ${fmt(x.pgwarden1?.cpuMs, 0)} ms); squawk ${peers.squawkVersion ?? 'n/a'} ${fmt(x.squawk?.ms, 0)} ms / ${fmt(x.squawk?.cpuMs, 0)} ms / ${fmt(x.squawk?.maxRssMb, 0)} MB (exit ${x.squawk?.exit ?? 'n/a'}); Postgres Language Server ${peers.plsVersion ?? 'n/a'} ${fmt(x.pls?.ms, 0)} ms / ${fmt(x.pls?.cpuMs, 0)} ms / ${fmt(x.pls?.maxRssMb, 0)} MB.`,
        )
      : ['- Peers not run (BENCH_SKIP_PEERS).']),
    `- --cache on the ${cache.subject === 'corpus' ? 'corpus' : '50k file'}, median of ${CLI_RUNS}: cold ${fmt(cache.cold.ms, 0)} ms wall / ${fmt(cache.cold.cpuMs, 0)} ms CPU, re-run ${fmt(cache.warm.ms, 0)} ms / ${fmt(cache.warm.cpuMs, 0)} ms (CPU ratio ${fmt((100 * cache.warm.cpuMs) / cache.cold.cpuMs, 0)}%), replayed; through the linter (PGWARDEN_REPLAY=off) ${fmt(cache.relint.ms, 0)} ms / ${fmt(cache.relint.cpuMs, 0)} ms.`,
    `- Opening a workspace of ${workspace.files} generated SQL files (${workspace.lines} lines, ${workspace.bytes} bytes) over stdio, initialize to the opened file's first diagnostics (${workspace.diagnostics}): no index cache ${fmt(workspace.noCacheMs, 0)} ms wall / ${fmt(workspace.noCacheCpuMs, 0)} ms server CPU; first start with the cache ${fmt(workspace.coldMs, 0)} / ${fmt(workspace.coldCpuMs, 0)} ms; reopened ${fmt(workspace.warmMs, 0)} / ${fmt(workspace.warmCpuMs, 0)} ms. These first diagnostics are provisional (the files indexed so far); the final ones, once every file is indexed: no index cache ${fmt(workspace.noCacheFinalMs, 0)} ms wall / ${fmt(workspace.noCacheFinalCpuMs, 0)} ms CPU; first start with the cache ${fmt(workspace.coldFinalMs, 0)} / ${fmt(workspace.coldFinalCpuMs, 0)} ms; reopened ${fmt(workspace.warmFinalMs, 0)} / ${fmt(workspace.warmFinalCpuMs, 0)} ms.`,
    `- libpg-query on the ${syntaxOnly.statements} statements of the 50k file, one call each, CPU: parse to a JSON tree ${fmt(syntaxOnly.parseMs, 0)} ms, fingerprint (parses, no tree) ${fmt(syntaxOnly.fingerprintMs, 0)} ms, scan ${fmt(syntaxOnly.scanMs, 0)} ms.`,
    hba ? `- pg_hba.conf: ${hba.records} records (${hba.bytes} bytes), ${hba.findings} findings, median ${fmt(hba.medianMs)} ms, best ${fmt(hba.minMs)} ms.` : '- pg_hba.conf: not run.',
    '',
    '## Raw figures',
    '',
    '```json',
    JSON.stringify(details, null, 2),
    '```',
    '',
  ].join('\n');
  // A partial run (BENCH_ONLY) never replaces the full results.
  const out = ONESHOT ? 'test/bench/results-oneshot.md' : 'test/bench/results.md';
  writeFileSync(join(ROOT, out), md);
  console.log(`\n${machine}; ${loadNote}\nwritten to ${out}`);
}

main();
