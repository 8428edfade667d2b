// A real PostgreSQL for tests: Debian's package, `initdb` in a temporary directory, run
// as an unprivileged user when we are root (initdb refuses root), listening only on
// 127.0.0.1 at a random free port with a socket directory of its own. Optional TLS with
// a CA and a server certificate made by openssl, for sslmode=verify-full tests.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ClusterOptions {
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
  /** Runs SQL through psql over the socket as the superuser; returns stdout (unaligned, tuples only). */
  psql(sql: string, db?: string): string;
  /** Writes a file into the data directory, owned by the server's user. */
  writeDataFile(name: string, content: string): void;
  reload(): void;
  stop(): void;
}

/** The newest PostgreSQL server binaries from Debian's package, or undefined. */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : undefined;
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
const RUN_AS = 'postgres';

function ownerIds(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const uid = Number(execFileSync('id', ['-u', RUN_AS]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', RUN_AS]).toString().trim());
  return { uid, gid };
}

function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const full = isRoot() ? ['runuser', ['-u', RUN_AS, '--', cmd, ...args]] as const : [cmd, args] as const;
  const r = spawnSync(full[0], full[1] as string[], { input: opts.input, env: { ...process.env, ...opts.env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install postgresql');
  const version = Number(bin.split('/').slice(-2, -1)[0]);
  const base = mkdtempSync(join(tmpdir(), 'pgwarden-pg-'));
  const dataDir = join(base, 'data');
  const socketDir = join(base, 'sock');
  const owner = ownerIds();
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
  const cluster: TestCluster = {
    host: '127.0.0.1',
    port,
    dataDir,
    socketDir,
    superuser: 'postgres',
    password,
    caFile,
    version,
    psql(sql: string, db = 'postgres') {
      return run(join(bin, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', db], { input: sql });
    },
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
