// The embedded PostgreSQL 18 for tests: scripts/pglite-server.mjs in a child process
// (PGlite's WASM heap stays out of the test process, and the script the demo uses is the
// one tested). Waits for its `PGLITE_PORT=` line with a deadline; no sleeps.

import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export interface PgliteServer {
  host: '127.0.0.1';
  port: number;
  /** PGlite's server_version_num major: 18. */
  version: number;
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '../..');

export async function startPglite(opts: { seed?: boolean; timeoutMs?: number } = {}): Promise<PgliteServer> {
  const args = [join(ROOT, 'scripts', 'pglite-server.mjs'), '--port', '0'];
  if (opts.seed === false) args.push('--no-seed');
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`PGlite did not start within ${opts.timeoutMs ?? 90_000} ms: ${err.slice(-500)}`));
    }, opts.timeoutMs ?? 90_000);
    const check = () => {
      const m = /PGLITE_PORT=(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`PGlite server exited (${code}): ${err.slice(-500)}`));
    });
  });
  return {
    host: '127.0.0.1',
    port,
    version: 18,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
