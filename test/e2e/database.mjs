// The seeded PostgreSQL of the e2e run and of `npm run screenshots`: test/e2e/db-server.ts
// run through tsx as a child process, so closing its stdin always stops the cluster.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { E2E_DIR, ROOT } from './prepare.mjs';

/**
 * Starts a real PostgreSQL (test/e2e/db-server.ts through tsx) seeded with the insecure
 * sample; resolves with { port, user, password, roles, stop() }.
 */
export async function startDatabase(timeoutMs = 90_000) {
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(E2E_DIR, 'db-server.ts')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let exited = false;
  child.on('exit', () => (exited = true));
  child.stderr.on('data', (b) => (err += b));
  const stop = () =>
    new Promise((r) => {
      if (exited) return r();
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(kill);
        r();
      });
      // Closing stdin makes the helper stop its cluster and remove the data directory.
      child.stdin.end();
    });
  const info = await new Promise((resolveInfo, reject) => {
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within ${timeoutMs / 1000} s:\n${err}`)), timeoutMs);
    child.stdout.on('data', (b) => {
      out += b;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolveInfo(JSON.parse(out.slice(0, nl)));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the PostgreSQL helper exited (${code}) before it was ready:\n${err}`));
    });
  });
  return { ...info, stop };
}
