// `--db CONN` for `pgwarden roles|access|audit`: parses the connection string, applies
// libpq's defaults, finds the password (PGPASSWORD, then ~/.pgpass, then a prompt; never
// an argument) and opens a read-only session. Every failure becomes a one-line CliError.

import { connect, ConnStringError, DbError, describeTarget, parseConnectionString, resolveProfile, Session, tlsWarning } from '../db';
import { CliError, CliIo } from './io';
import { parseSchemaQualified } from '../core/identifier';

export interface OpenOptions {
  statementTimeoutMs?: number;
}

export async function openSession(conn: string | undefined, io: CliIo, usage: string, opts: OpenOptions = {}): Promise<Session> {
  if (conn === undefined || conn.trim() === '') throw new CliError(`--db CONN is required\n${usage}`);
  let target;
  try {
    target = resolveProfile(parseConnectionString(conn, 'cli'), io.env);
  } catch (err) {
    if (err instanceof ConnStringError) throw new CliError(err.message);
    throw err;
  }
  const warning = tlsWarning(target);
  if (warning) io.stderr(`pgwarden: warning: ${warning}\n`);
  // libpq prefers PGPASSWORD to the pgpass file; an empty PGPASSWORD counts as unset.
  const envPassword = io.env.PGPASSWORD;
  const hasEnvPassword = envPassword !== undefined && envPassword !== '';
  try {
    return await connect(
      target,
      async () => (hasEnvPassword ? envPassword : io.promptPassword(`Password for ${describeTarget(target)}: `)),
      { pgpass: !hasEnvPassword, env: io.env, statementTimeoutMs: opts.statementTimeoutMs, applicationName: 'pgwarden' },
    );
  } catch (err) {
    if (err instanceof DbError) throw new CliError(err.message);
    throw err;
  }
}

/** Runs `body` with a session and always closes it; database errors become CliErrors. */
export async function withSession<T>(session: Session, body: (s: Session) => Promise<T>): Promise<T> {
  try {
    return await body(session);
  } catch (err) {
    if (err instanceof DbError) throw new CliError(err.message);
    throw err;
  } finally {
    await session.close();
  }
}

/**
 * Splits `schema.name` the way SQL reads a qualified name: double quotes keep case and
 * dots, unquoted parts are folded to lower case.
 */
export function parseQualifiedName(s: string): { schema: string; name: string } | undefined {
  return parseSchemaQualified(s);
}
