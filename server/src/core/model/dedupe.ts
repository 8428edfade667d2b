// A pg_dump of the migrated schema, kept beside the migrations (a test fixture, a
// structure.sql), repeats every object the migrations create, and so every finding on
// them. Each such finding is reported once, on the migration that a reviewer can fix.

import { Finding } from '../rules';
import { SqlDocument } from '../sql/document';
import { FileLayout } from './layout';

export interface LintedFile<F extends Finding = Finding> {
  /** The project root: a dump repeats only its own project's migrations. */
  root: string;
  layout?: FileLayout;
  findings: readonly F[];
  /** The text of the statement a finding is in (a generic message, "GRANT to PUBLIC ...", needs it to tell objects apart). */
  statementOf?: (f: F) => string | undefined;
}

/**
 * The findings of dump files that a non-dump file of the same root also has: same rule,
 * same message and same statement head (up to its first parenthesis) once pg_dump's
 * spelling is normalised (schema `public.` prefixes, quotes, case, `ON TABLE`, which
 * pg_dump writes and a migration usually does not).
 */
export function dumpRepeats<F extends Finding>(files: ReadonlyArray<LintedFile<F>>): Set<F> {
  const key = (file: LintedFile<F>, f: F) => `${file.root}\u0000${f.ruleId}\u0000${normalise(f.message)}\u0000${statementHead(file.statementOf?.(f) ?? '')}`;
  // A finding repeats only within its root (the root is part of the key): roots without a
  // pg_dump file need no keys, which on most runs is every root.
  const dumpRoots = new Set(files.filter((file) => file.layout?.kind === 'dump').map((file) => file.root));
  if (dumpRoots.size === 0) return new Set();
  const seen = new Set<string>();
  for (const file of files) {
    if (file.layout?.kind === 'dump' || !dumpRoots.has(file.root)) continue;
    for (const f of file.findings) seen.add(key(file, f));
  }
  const repeats = new Set<F>();
  for (const file of files) {
    if (file.layout?.kind !== 'dump') continue;
    for (const f of file.findings) if (seen.has(key(file, f))) repeats.add(f);
  }
  return repeats;
}

/** A statement up to its first parenthesis, normalised like messages, ON TABLE as ON and IF NOT EXISTS dropped. */
export function statementHead(statement: string): string {
  const head = statement.split('(')[0];
  return normalise(head)
    .replace(/\bon table\b/g, 'on')
    .replace(/\bif not exists\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A message as pg_dump and a hand-written migration would both give it. */
export function normalise(message: string): string {
  return message
    .replace(/"/g, '')
    .replace(/\bpublic\./gi, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** The document text of the top-level statement holding an offset (statements are in document order). */
export function statementTextAt(
  doc: Pick<SqlDocument, 'text'> & { statements: ReadonlyArray<{ unit: { start: number; end: number } }> },
  offset: number,
): string | undefined {
  const stmts = doc.statements;
  let lo = 0;
  let hi = stmts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (stmts[mid].unit.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  const s = stmts[lo - 1];
  return s && offset <= s.unit.end ? doc.text.slice(s.unit.start, s.unit.end) : undefined;
}
