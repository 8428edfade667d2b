#!/usr/bin/env node
// An embedded PostgreSQL 18 for the demo and the tests: PGlite (PostgreSQL in WASM)
// served over the wire protocol on 127.0.0.1 by @electric-sql/pglite-socket, seeded with
// test/fixtures/seed/insecure.sql. Clients connect with `pg` like to any server.
//
//   node scripts/pglite-server.mjs [--port N] [--no-seed] [--data DIR]
//
// Prints one line `PGLITE_PORT=<port>` on stdout when ready (port 0 picks a free one),
// then serves until SIGINT or SIGTERM. What PGlite does not do, measured here: it
// answers the SSLRequest with "N" (no TLS), and it performs no authentication at all:
// any user name and any password (or none) are accepted, and the session runs as the
// superuser `postgres` whatever user the client names. So password, SCRAM and TLS tests
// need the real server (test/support/postgres.ts); PGlite serves the catalog on 18.
// All socket clients also share PGlite's one backend (pg_backend_pid is the same), so a
// session setting made by one client (pgwarden's default_transaction_read_only and
// statement_timeout) stays in force for every other client and after it disconnects:
// seed before the first pgwarden session, and restart the server to write again.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SEED_FILE = join(ROOT, 'test', 'fixtures', 'seed', 'insecure.sql');

/**
 * Starts PGlite and serves it; returns the port and a stop function.
 * @param {{ port?: number, seed?: boolean, dataDir?: string, host?: string }} [opts]
 */
export async function startPgliteServer(opts = {}) {
  const db = opts.dataDir ? new PGlite(opts.dataDir) : new PGlite();
  await db.waitReady;
  if (opts.seed !== false) await db.exec(readFileSync(SEED_FILE, 'utf8'));
  const host = opts.host ?? '127.0.0.1';
  // Several clients at once: the extension's session plus psql or a test's own checks.
  const server = new PGLiteSocketServer({ db, port: opts.port ?? 0, host, maxConnections: 16 });
  await server.start();
  // The package reports the port it was asked for; with 0 the real one is on the listener.
  const address = server.server?.address?.();
  const port = address && typeof address === 'object' ? address.port : opts.port;
  return {
    host,
    port,
    db,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

function arg(name) {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = await startPgliteServer({
    port: Number(arg('--port') ?? process.env.PGLITE_PORT ?? 0),
    seed: !process.argv.includes('--no-seed'),
    dataDir: arg('--data'),
  });
  process.stdout.write(`PGLITE_PORT=${started.port}\n`);
  process.stderr.write(
    `PGlite (PostgreSQL 18) on ${started.host}:${started.port}; connect with: psql "host=${started.host} port=${started.port} user=postgres dbname=postgres sslmode=disable"\n`,
  );
  const stop = async () => {
    await started.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
