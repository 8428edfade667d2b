// Shared pieces of the db tests: targets for a test cluster, the seed, an in-memory CliIo.

import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { join, resolve } from 'node:path';
import { CliIo } from '../../server/src/cli/io';
import { ConnectionProfile, resolveProfile, ResolvedTarget } from '../../server/src/db';

export const ROOT = resolve(__dirname, '../..');
export const SEED_SQL = readFileSync(join(ROOT, 'test/fixtures/seed/insecure.sql'), 'utf8');

/**
 * The predefined role the seed grants analyst: pg_read_all_data came with 14; before, the
 * equally dangerous pg_read_server_files stands in (it reads files, not tables).
 */
export const seedPredefinedRole = (major: number): string => (major >= 14 ? 'pg_read_all_data' : 'pg_read_server_files');

/** The seed as a server of this major runs it. */
export function seedSql(major: number): string {
  return major >= 14 ? SEED_SQL : SEED_SQL.replace('GRANT pg_read_all_data TO analyst;', `GRANT ${seedPredefinedRole(major)} TO analyst;`);
}

/** An environment with no PG* variables and no ~/.pgpass or ~/.postgresql to leak in. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { HOME: '/nonexistent-pgwarden-home', USER: 'nobody', PGSYSCONFDIR: '/nonexistent-pgwarden-etc', ...extra };
}

export function target(port: number, over: Partial<ConnectionProfile> = {}, env: NodeJS.ProcessEnv = cleanEnv()): ResolvedTarget {
  return resolveProfile({ name: 't', host: '127.0.0.1', port, user: 'postgres', database: 'postgres', sslmode: 'disable', ...over }, env);
}

export interface CapturedIo extends CliIo {
  out: string;
  err: string;
  prompts: string[];
}

export function captureIo(env: NodeJS.ProcessEnv, answer?: string): CapturedIo {
  const io: CapturedIo = {
    out: '',
    err: '',
    prompts: [],
    env,
    stdout: (s) => {
      io.out += s;
    },
    stderr: (s) => {
      io.err += s;
    },
    promptPassword: async (q) => {
      io.prompts.push(q);
      return answer;
    },
  };
  return io;
}

/** A TCP server that accepts connections and never answers: for connect timeouts. */
export async function blackHole(): Promise<{ port: number; close(): void }> {
  const sockets: import('node:net').Socket[] = [];
  const srv: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return {
    port: (srv.address() as { port: number }).port,
    close: () => {
      for (const s of sockets) s.destroy();
      srv.close();
    },
  };
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Polls `check` until it returns true or the deadline passes. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A pass-through TCP proxy to a server whose next answer can be replaced with a message
 * of an unknown type: a broken protocol stream, as a faulty middlebox would produce.
 */
export async function corruptingProxy(upstreamPort: number): Promise<{ port: number; corruptNextAnswer(): void; close(): void }> {
  const net = await import('node:net');
  let armed = false;
  const sockets: import('node:net').Socket[] = [];
  const srv = net.createServer((client) => {
    const up = net.connect(upstreamPort, '127.0.0.1');
    sockets.push(client, up);
    client.on('data', (b) => up.write(b));
    up.on('data', (b) => {
      if (armed) {
        armed = false;
        client.write(Buffer.from([0x01, 0, 0, 0, 4]));
        return;
      }
      client.write(b);
    });
    const end = () => {
      client.destroy();
      up.destroy();
    };
    client.on('error', end);
    up.on('error', end);
    client.on('close', end);
    up.on('close', end);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return {
    port: (srv.address() as { port: number }).port,
    corruptNextAnswer: () => {
      armed = true;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      srv.close();
    },
  };
}
