// Shared settings of the property tests. CI runs a fixed seed with at least 2,000 cases per
// target; `npm run fuzz` (scripts/fuzz.mjs) sets PGWARDEN_FUZZ_RUNS=100000 and a report file
// that collects per-target counts and timings.

import { appendFileSync } from 'node:fs';
import fc from 'fast-check';

export const RUNS = Math.max(1, Number(process.env.PGWARDEN_FUZZ_RUNS) || 2000);
export const SEED = Number(process.env.PGWARDEN_FUZZ_SEED) || 20260101;

/** A mocha timeout that grows with the number of runs (10 ms per case, at least a minute). */
export const TIMEOUT = Math.max(60_000, RUNS * 10);

/**
 * Checks one property with the project's seed and run count and, for `npm run fuzz`,
 * appends a line of JSON to the report file: target, runs, milliseconds, outcome.
 */
export function check<T>(target: string, arb: fc.Arbitrary<T>, predicate: (value: T) => void): void {
  const t0 = Date.now();
  let error: unknown;
  try {
    fc.assert(fc.property(arb, predicate), { seed: SEED, numRuns: RUNS, endOnFailure: RUNS > 10_000 });
  } catch (err) {
    error = err;
  }
  const report = process.env.PGWARDEN_FUZZ_REPORT;
  if (report) {
    appendFileSync(
      report,
      JSON.stringify({ target, runs: RUNS, seed: SEED, ms: Date.now() - t0, ok: !error, error: error ? String((error as Error).message).slice(0, 4000) : undefined }) +
        '\n',
    );
  }
  if (error) throw error;
}

/** Inserts: the characters and tokens that change how SQL and psql scripts are scanned. */
export const SQL_TOKENS = [
  "'", '"', '$$', '$a$', '$ü$', '/*', '*/', '--', '\\', '\\gset\n', '\n\\set x 1\n', '\\.\n', ':v', ":'v'", ':"v"', '::',
  ';', '(', ')', ',', ' ', '\n', '\r\n', '\r', '\t', "E'", "U&'", 'begin atomic ', ' end', ' case ', '日本', '🙂', '\0', '\ud800',
  '\udc00', '\ufeff', 'public', 'PUBLIC', ' SUPERUSER', ' WITH GRANT OPTION', ' SECURITY DEFINER', 'copy t from stdin;\n',
  '$1', '||', ' PASSWORD ', "'md5" + '0'.repeat(32) + "'",
];

export type Mutation = { kind: 'delete' | 'insert' | 'duplicate'; at: number; len: number; token: string };

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('delete', 'insert', 'insert', 'duplicate'),
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 12 }),
  token: fc.oneof(fc.constantFrom(...SQL_TOKENS), fc.string({ unit: 'binary', maxLength: 3 })),
});

/** Applies mutations in order; positions wrap around the current text's length. */
export function mutate(text: string, mutations: readonly Mutation[]): string {
  let t = text;
  for (const m of mutations) {
    const at = t.length === 0 ? 0 : m.at % (t.length + 1);
    if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + m.len);
    else if (m.kind === 'insert') t = t.slice(0, at) + m.token + t.slice(at);
    else t = t.slice(0, at) + t.slice(at, at + m.len) + t.slice(at);
  }
  return t;
}

/** Any UTF-16 code unit, lone surrogates and NUL included. */
export const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
