// Loads a pgwarden bundle (dist/cli.js) as `require` would, with V8's code cache: the
// bytecode of the functions a run compiled is kept in a per-user folder, so later runs
// skip compiling them. Node 20 has no
// module.enableCompileCache, hence vm.Script with cachedData.
//
// The cache is an optimisation only: any problem (no home folder, a folder that cannot be
// written, data V8 rejects, a bundle without its build stamp) falls back to compiling as
// usual, silently. Compiled code is trusted input, so the folder must be this user's own
// and not writable by others; cached data is never read from anywhere else.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const os = require('node:os');
const Module = require('node:module');

/** Files of other builds left this long are removed when a new one is written. */
const STALE_MS = 7 * 24 * 3600 * 1000;

/** The per-user cache folder: PGWARDEN_CODE_CACHE (a folder, or 0/off), else $XDG_CACHE_HOME/pgwarden or ~/.cache/pgwarden. */
function cacheDir(env) {
  const given = env.PGWARDEN_CODE_CACHE;
  if (given === '0' || given === 'off' || given === 'false') return undefined;
  if (given) return path.resolve(given);
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'pgwarden');
  let home;
  try {
    home = os.homedir();
  } catch {
    return undefined;
  }
  return home ? path.join(home, '.cache', 'pgwarden') : undefined;
}

/** Whether a file or folder belongs to this user and no one else may write it (POSIX; elsewhere the per-user folder is trusted). */
function ownedSafely(stat) {
  if (typeof process.getuid !== 'function') return true;
  return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

/** The cached data for `file`, or undefined (none, or not safe to use). */
function readCached(dir, file) {
  try {
    if (!ownedSafely(fs.statSync(dir))) return undefined;
    const fd = fs.openSync(file, 'r');
    try {
      if (!ownedSafely(fs.fstatSync(fd))) return undefined;
      return fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** Writes the data through a temporary file renamed over the old one, so a concurrent run never reads half of it. */
function writeCached(dir, file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownedSafely(fs.statSync(dir))) return;
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // Nothing was written.
    }
    return;
  }
  // Other builds' files (an older install, an earlier checkout) are removed once unused for a week.
  try {
    const now = Date.now();
    for (const name of fs.readdirSync(dir)) {
      const other = path.join(dir, name);
      if (other === file || !/^cli-.*\.v8cache$/.test(name)) continue;
      if (now - fs.statSync(other).mtimeMs > STALE_MS) fs.unlinkSync(other);
    }
  } catch {
    // Left for a later run.
  }
}

/**
 * Runs `bundle` as the main program's module. The code cache is keyed by the bundle's
 * build stamp (its first line, written by scripts/build.mjs), V8's version and the
 * architecture; V8 itself also refuses data made by other flags or another V8.
 */
function loadBundle(bundle, env = process.env) {
  let source;
  try {
    source = fs.readFileSync(bundle, 'utf8');
  } catch {
    return require(bundle);
  }
  const stamp = /^\/\/ pgwarden build ([0-9a-f]{40})\r?\n/.exec(source.slice(0, 80));
  const dir = stamp ? cacheDir(env) : undefined;
  if (!dir) return require(bundle);
  const file = path.join(dir, `cli-${stamp[1]}-${process.versions.v8}-${process.arch}.v8cache`);
  const cachedData = readCached(dir, file);
  let script;
  try {
    script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  } catch {
    // A syntax error: `require` reports it as it would without a cache.
    return require(bundle);
  }
  // Written at exit, so the data holds every function this run compiled, not only the top level.
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        writeCached(dir, file, script.createCachedData());
      } catch {
        // No code cache this time.
      }
    });
  }
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  require.cache[bundle] = mod;
  const wrapper = script.runInThisContext({ displayErrors: true });
  wrapper.call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle));
  mod.loaded = true;
  return mod.exports;
}

module.exports = { loadBundle, cacheDir };
