// Runs `pgwarden lint` in this process for the cache and replay tests, counting what the
// run did: statements parsed, SQL files read, files whose rules ran. Never timed.

import { statSync } from 'node:fs';
import { lintCounts, run } from '../../server/src/cli/lint';
import { CliIo } from '../../server/src/cli/io';
import { parseCounts } from '../../server/src/core/sql/parser';
import { racyWindowMs } from '../../server/src/lint-cache';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  /** Statements and PL/pgSQL bodies handed to the parser during the run. */
  parses: number;
  /** SQL files read from disk during the run. */
  reads: number;
  /** Files whose rules ran (not answered from the cache). */
  linted: number;
}

/** `pgwarden lint ARGS` with the given environment and terminal-ness of stdout (one thread: the parses counted are this thread's). */
export async function lintRun(args: string[], how: { env?: NodeJS.ProcessEnv; tty?: boolean } = {}): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: how.env ?? {}, tty: how.tty, promptPassword: async () => undefined };
  const before = parseCounts.sql + parseCounts.plpgsql;
  const readBefore = lintCounts.sqlTextsRead;
  const lintedBefore = lintCounts.filesLinted;
  const code = await run(args, io);
  return { code, stdout, stderr, parses: parseCounts.sql + parseCounts.plpgsql - before, reads: lintCounts.sqlTextsRead - readBefore, linted: lintCounts.filesLinted - lintedBefore };
}

/**
 * Waits until the files' last changes are old enough for a run to trust their metadata
 * (racyWindowMs): a file changed within that window of a run is read again by the next.
 */
export async function settle(...files: string[]): Promise<void> {
  const until = Math.max(...files.map((f) => statSync(f)).map((s) => Math.max(s.mtimeMs, s.ctimeMs) + racyWindowMs(s.mtimeMs, s.ctimeMs))) + 1;
  while (Date.now() <= until) await new Promise((r) => setTimeout(r, Math.max(1, until - Date.now() + 1)));
}
