// The one place that talks to libpg-query. It must be loaded (async, WASM) once before
// any synchronous parse; a WASM failure recreates the module on the next load.

type LibPgQuery = typeof import('libpg-query');

/**
 * Requiring libpg-query instantiates its WASM (some 100 MB of reserved memory), so it is
 * required on first use: the language server's main thread, which never parses, and CLI
 * commands that do not lint never pay for it.
 */
let lib: LibPgQuery | undefined;
const pgQuery = (): LibPgQuery => (lib ??= require('libpg-query') as LibPgQuery);

let loaded: Promise<void> | undefined;
let ready = false;

export function loadParser(): Promise<void> {
  if (!loaded) {
    loaded = pgQuery()
      .loadModule()
      .then(() => {
        ready = true;
      })
      .catch((err: unknown) => {
        loaded = undefined;
        throw err;
      });
  }
  return loaded;
}

/** Whether this thread has loaded the parser (code that may run where it is not, such as the LSP main thread, asks first). */
export function parserReady(): boolean {
  return ready;
}

export interface ParseError {
  message: string;
  /** 0-based code-point index into the parsed text, as libpg-query reports it. */
  cursor: number;
}

export type RawStmt = { stmt?: Record<string, any>; stmt_location?: number; stmt_len?: number };

export type ParseOutcome = { ok: true; stmts: RawStmt[] } | { ok: false; error: ParseError };

/**
 * How many texts this thread handed to the parser: tests of the caches count parses
 * rather than time them.
 */
export const parseCounts = { sql: 0, plpgsql: 0 };

export function parseText(text: string): ParseOutcome {
  parseCounts.sql++;
  try {
    const result = pgQuery().parseSync(text) as unknown as { stmts?: RawStmt[] };
    return { ok: true, stmts: result.stmts ?? [] };
  } catch (err: any) {
    const details = err?.sqlDetails;
    if (details && typeof details.message === 'string') {
      return { ok: false, error: { message: details.message, cursor: Math.max(0, details.cursorPosition ?? 0) } };
    }
    // A WASM abort can leave the module unusable: let the caller replace it (the server
    // runs the parser in a worker it can throw away) rather than report garbage.
    if (isWasmFailure(err)) throw err;
    // A RangeError (deep recursion) or a WASM abort: report it on the statement, not as a crash.
    return { ok: false, error: { message: `could not be parsed: ${err?.message ?? String(err)}`, cursor: 0 } };
  }
}

export type PlpgsqlOutcome = { ok: true; functions: any[] } | { ok: false; error: ParseError };

/** Parses the PL/pgSQL body of one CREATE FUNCTION/PROCEDURE/DO statement. */
export function parsePlpgsql(text: string): PlpgsqlOutcome {
  parseCounts.plpgsql++;
  try {
    const result = pgQuery().parsePlPgSQLSync(text) as unknown as { plpgsql_funcs?: any[] } | any[];
    const funcs = Array.isArray(result) ? result : result.plpgsql_funcs ?? [];
    return { ok: true, functions: funcs };
  } catch (err: any) {
    const details = err?.sqlDetails;
    return {
      ok: false,
      error: { message: details?.message ?? String(err?.message ?? err), cursor: details?.cursorPosition ?? 0 },
    };
  }
}

/** A WebAssembly trap or an Emscripten abort: the module may be unusable afterwards. */
export function isWasmFailure(err: unknown): boolean {
  return err instanceof Error && (err.name === 'RuntimeError' || /\bAborted\(/.test(err.message));
}
