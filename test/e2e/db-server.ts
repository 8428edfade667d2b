// A real PostgreSQL for the e2e role-tree check, run by the driver as a child process
// (`npx tsx test/e2e/db-server.ts`): starts a throwaway cluster with SCRAM password
// authentication on 127.0.0.1 (test/support/postgres.ts), loads the insecure seed, prints
// one JSON line {port, user, password, roles} and stops the cluster when its stdin
// closes or it is signalled, so the driver can never leak a server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster } from '../support/postgres';

async function main(): Promise<void> {
  const cluster = await startCluster();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    cluster.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  try {
    cluster.psql(readFileSync(join(__dirname, '..', 'fixtures', 'seed', 'insecure.sql'), 'utf8'));
    const roles = cluster
      .psql("SELECT rolname FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY 1")
      .split('\n')
      .filter((r) => r !== '');
    process.stdout.write(JSON.stringify({ port: cluster.port, user: cluster.superuser, password: cluster.password, version: cluster.version, roles }) + '\n');
  } catch (err) {
    process.stderr.write(`db-server: ${err instanceof Error ? err.message : err}\n`);
    stop();
  }
}

void main();
