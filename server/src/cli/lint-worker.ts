// A worker thread of the lint pool (./pool.ts): loads its own parser and runs the
// LintSession steps it is asked for, keeping the analyses between them. The pool's own
// thread answers its share of the work with the same function.

import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { loadParser } from '../core/sql/parser';
import { LintSession } from '../lint-jobs';
import { baselineJitOnly, serializeFacts } from '../lint-split';
import type { PoolRequest, PoolResponse } from './pool';

/** The answer to a request of the pool, from a session kept between requests (in a worker or in the pool's own thread). */
export function answer(session: LintSession, req: Exclude<PoolRequest, { method: 'reset' }>): unknown {
  if (req.method === 'facts') {
    // A range's facts go out as JSON the main thread forwards to the other workers unread.
    const facts = session.facts(req.files);
    return facts.map((f, i) => (req.files[i].range && f ? serializeFacts(f) : f));
  }
  session.setWorkspaces(req.roots);
  const before = session.internal.length;
  const outcomes = session.lint(req.jobs);
  const parts = session.lintParts(req.parts);
  return { outcomes, parts, internal: session.internal.slice(before) };
}

export function startLintWorker(): void {
  let session = new LintSession();
  const ready = loadParser();
  let baseline = false;
  parentPort?.on('message', async (req: PoolRequest) => {
    let response: PoolResponse;
    try {
      await ready;
      // After the bundle was loaded: V8 checks its code cache against the flags.
      if (!baseline && req.method === 'facts' && req.baselineJit) {
        baseline = true;
        baselineJitOnly(true);
      }
      if (req.method === 'reset') session = new LintSession();
      response = { id: req.id, ok: true, result: req.method === 'reset' ? null : answer(session, req) };
    } catch (err) {
      response = { id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    parentPort?.postMessage(response);
  });
}

// The pool starts its workers on the CLI bundle (or on this file under tsx) with this mark.
if (!isMainThread && (workerData as { pgwardenLintWorker?: boolean } | undefined)?.pgwardenLintWorker) startLintWorker();
