// The one place that talks to libpg-query. It must be loaded (async, WASM) once before
// any synchronous parse; a WASM failure recreates the module on the next load.
//
// It drives libpg-query's Emscripten module directly rather than through the package's
// wrappers: those copy the text in and the JSON out with JavaScript loops (and look for
// the result's terminating NUL byte by byte), where TextEncoder, TextDecoder and
// Uint8Array.indexOf do the same natively. The C entry points and structs are the ones
// libpg-query's own wrappers use (wasm/index.cjs).

/** The parts of libpg-query's Emscripten module this file uses. */
interface PgModule {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  /** Returns a PgQueryParseResult*: { char *parse_tree; char *stderr_buffer; PgQueryError *error }. */
  _wasm_parse_query_raw(text: number): number;
  _wasm_free_parse_result(result: number): void;
  /** Returns a string: the functions' JSON, or an error message. */
  _wasm_parse_plpgsql(text: number): number;
  _wasm_free_string(ptr: number): void;
  stringToUTF8(text: string, ptr: number, maxBytes: number): void;
  UTF8ToString(ptr: number): string;
}

/**
 * Instantiating the module reserves some 100 MB of memory, so it happens on first use:
 * the language server's main thread, which never parses, and CLI commands that do not
 * lint never pay for it.
 */
let wasm: PgModule | undefined;
let loaded: Promise<void> | undefined;

export function loadParser(): Promise<void> {
  if (!loaded) {
    const factory = require('libpg-query/wasm/libpg-query.js') as () => Promise<PgModule>;
    loaded = factory()
      .then((m) => {
        wasm = m;
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
  return wasm !== undefined;
}

function module(): PgModule {
  if (!wasm) throw new Error('WASM module not initialized. Call loadParser() first.');
  return wasm;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Whether a text has no lone surrogate: String.prototype.isWellFormed where the runtime has
 * it (not yet in TypeScript's ES2022 lib), else no surrogate at all.
 */
const wellFormed = (text: string): boolean => {
  const t = text as unknown as { isWellFormed?: () => boolean };
  return typeof t.isWellFormed === 'function' ? t.isWellFormed() : !/[\ud800-\udfff]/.test(text);
};

/** Copies a text into the module's memory as a NUL-terminated UTF-8 string (to be freed by the caller). */
function toWasm(m: PgModule, text: string): number {
  const size = Buffer.byteLength(text, 'utf8') + 1;
  const ptr = m._malloc(size);
  if (!ptr) throw new Error('Failed to parse query: memory allocation failed');
  if (wellFormed(text)) {
    const written = encoder.encodeInto(text, m.HEAPU8.subarray(ptr, ptr + size - 1)).written;
    m.HEAPU8[ptr + written] = 0;
  } else {
    // A lone surrogate: Emscripten writes its three bytes as they are where TextEncoder
    // writes U+FFFD, and the parser's view of a literal must not change with the path.
    m.stringToUTF8(text, ptr, size);
  }
  return ptr;
}

/** A NUL-terminated UTF-8 string in the module's memory. */
function fromWasm(m: PgModule, ptr: number): string {
  const heap = m.HEAPU8;
  const end = heap.indexOf(0, ptr);
  // Emscripten decodes short strings with its own loop, which treats invalid bytes
  // differently from TextDecoder: keep its answer for those.
  if (end - ptr <= 16) return m.UTF8ToString(ptr);
  return decoder.decode(heap.subarray(ptr, end));
}

/** A 32-bit int (or pointer) in the module's memory. */
const i32 = (m: PgModule, ptr: number): number => m.HEAPU32[ptr >> 2] | 0;

/** An error the parser reported, with its position; anything else libpg-query would throw is thrown. */
class ParserError extends Error {
  constructor(
    message: string,
    readonly cursor: number,
  ) {
    super(message);
  }
}

/**
 * JSON texts kept outside the JavaScript heap, in large buffers: the garbage collector
 * never copies them, where thousands of strings kept alive would be copied by every
 * scavenge until promoted.
 */
export class JsonStore {
  private chunk = new Uint8Array(0);
  private used = 0;

  keep(bytes: Uint8Array): KeptJson {
    if (this.used + bytes.length > this.chunk.length) {
      // Chunks grow from small (most files are) to a cap: V8 counts this memory against
      // its heap limits, and a large chunk per small file made it collect much more often.
      this.chunk = new Uint8Array(Math.max(Math.min(JSON_CHUNK_MAX, this.chunk.length * 2 || JSON_CHUNK_MIN), bytes.length));
      this.used = 0;
    }
    const start = this.used;
    this.chunk.set(bytes, start);
    this.used += bytes.length;
    return { chunk: this.chunk, start, end: this.used };
  }
}

const JSON_CHUNK_MIN = 16 << 10;
const JSON_CHUNK_MAX = 1 << 20;

/** Where a JsonStore keeps one JSON text. */
export interface KeptJson {
  chunk: Uint8Array;
  start: number;
  end: number;
}

/** A kept JSON text as a string. */
const keptText = (k: KeptJson): string => decoder.decode(k.chunk.subarray(k.start, k.end));

/** The statements of a kept JSON text. */
export const readKept = (k: KeptJson): RawStmt[] => readStmts(keptText(k));

/** Parses SQL text: libpg-query's JSON of its statements (also kept in `store` when given), or a ParserError. */
function parseJson(text: string, store?: JsonStore): { json: string; kept?: KeptJson } {
  // libpg-query's parseSync refuses an empty text with this message; callers saw it as an outcome.
  if (text === '') throw new Error('Query cannot be empty');
  const m = module();
  const input = toWasm(m, text);
  let result = 0;
  try {
    result = m._wasm_parse_query_raw(input);
    if (!result) throw new Error('Failed to parse query: memory allocation failed');
    const tree = i32(m, result);
    const error = i32(m, result + 8);
    if (error) {
      // PgQueryError: { char *message; char *funcname; char *filename; int lineno; int cursorpos; ... }
      const message = i32(m, error);
      const cursorpos = i32(m, error + 16);
      throw new ParserError(message ? fromWasm(m, message) : 'Unknown error', cursorpos > 0 ? cursorpos - 1 : 0);
    }
    if (!tree) throw new Error('No parse tree generated');
    if (!store) return { json: fromWasm(m, tree) };
    const kept = store.keep(m.HEAPU8.subarray(tree, m.HEAPU8.indexOf(0, tree)));
    return { json: keptText(kept), kept };
  } finally {
    m._free(input);
    if (result) m._wasm_free_parse_result(result);
  }
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

/** The statements of libpg-query's JSON (parseJson's). */
export const readStmts = (json: string): RawStmt[] => (JSON.parse(json) as { stmts?: RawStmt[] }).stmts ?? [];

export function parseText(text: string): ParseOutcome {
  return parseTextKeeping(text).outcome;
}

/**
 * parseText, with the JSON an ok outcome's statements were read from: readStmts(json)
 * reads an equal tree again, for a caller that lets the first one go (document.ts's
 * transient statements).
 */
export function parseTextKeeping(text: string, store?: JsonStore): { outcome: ParseOutcome; kept?: KeptJson } {
  parseCounts.sql++;
  try {
    const { json, kept } = parseJson(text, store);
    return { outcome: { ok: true, stmts: readStmts(json) }, kept };
  } catch (err: any) {
    if (err instanceof ParserError) return { outcome: { ok: false, error: { message: err.message, cursor: Math.max(0, err.cursor) } } };
    // A WASM abort can leave the module unusable: let the caller replace it (the server
    // runs the parser in a worker it can throw away) rather than report garbage.
    if (isWasmFailure(err)) throw err;
    // A RangeError (deep recursion) or a WASM abort: report it on the statement, not as a crash.
    return { outcome: { ok: false, error: { message: `could not be parsed: ${err?.message ?? String(err)}`, cursor: 0 } } };
  }
}

export type PlpgsqlOutcome = { ok: true; functions: any[] } | { ok: false; error: ParseError };

/** Parses the PL/pgSQL body of one CREATE FUNCTION/PROCEDURE/DO statement. */
export function parsePlpgsql(text: string): PlpgsqlOutcome {
  parseCounts.plpgsql++;
  try {
    const m = module();
    const input = toWasm(m, text);
    let result = 0;
    let json: string;
    try {
      result = m._wasm_parse_plpgsql(input);
      json = fromWasm(m, result);
    } finally {
      m._free(input);
      if (result) m._wasm_free_string(result);
    }
    // Success is always a JSON object; anything else is an error message.
    if (!json.startsWith('{')) return { ok: false, error: { message: json, cursor: 0 } };
    const parsed = JSON.parse(json) as { plpgsql_funcs?: any[] } | any[];
    return { ok: true, functions: Array.isArray(parsed) ? parsed : parsed.plpgsql_funcs ?? [] };
  } catch (err: any) {
    return { ok: false, error: { message: String(err?.message ?? err), cursor: 0 } };
  }
}

/** A WebAssembly trap or an Emscripten abort: the module may be unusable afterwards. */
export function isWasmFailure(err: unknown): boolean {
  return err instanceof Error && (err.name === 'RuntimeError' || /\bAborted\(/.test(err.message));
}
