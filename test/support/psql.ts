// A synchronous `psql -A -t` for tests, without psql: the registry's server packages have
// only initdb, pg_ctl and postgres. The SQL runs in a worker thread over node-postgres
// (test/support/psql-worker.cjs); this thread blocks on a shared flag until the answer is
// posted, then takes it with receiveMessageOnPort. Output is psql's unaligned, tuples-only
// text: one line per row, fields joined by '|', NULL as empty; an error throws.

import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

export interface PsqlTarget {
  host: string;
  port: number;
  user: string;
  database: string;
}

let worker: Worker | undefined;
let flag: Int32Array | undefined;

function start(): { worker: Worker; flag: Int32Array } {
  if (!worker || !flag) {
    flag = new Int32Array(new SharedArrayBuffer(4));
    worker = new Worker(join(__dirname, 'psql-worker.cjs'), { workerData: { flag } });
    // The worker never keeps a test process alive; a crash is reported by the next call.
    worker.unref();
    worker.on('error', () => {
      worker = undefined;
    });
  }
  return { worker, flag };
}

/** Generous: a seed of thousands of statements on a loaded two-core machine. */
const DEADLINE_MS = 120_000;

export function psqlSync(target: PsqlTarget, sql: string): string {
  const { worker: w, flag: f } = start();
  const { port1, port2 } = new MessageChannel();
  Atomics.store(f, 0, 0);
  w.postMessage({ port: port2, request: { target, sql } }, [port2]);
  const waited = Atomics.wait(f, 0, 0, DEADLINE_MS);
  const message = receiveMessageOnPort(port1);
  port1.close();
  if (!message) throw new Error(waited === 'timed-out' ? `psql: no answer in ${DEADLINE_MS / 1000} s` : 'psql: the worker gave no answer');
  const answer = message.message as { out?: string; error?: string };
  if (answer.error !== undefined) throw new Error(`psql on ${target.database} failed: ${answer.error}`);
  return answer.out ?? '';
}
