// What kind of SQL file a document is, as far as rules care: a test (pgTAP or a test
// folder), an example or demo, or a pg_dump output. Some findings are noise there: a throw-away password for
// a test role, `SET ROLE postgres` to set up a pgTAP scenario, pg_dump's `SET row_security
// = off` preamble. Recognised from the path and the text, so every front end agrees.

import { SqlDocument } from './document';

export interface FileKind {
  /** A test script: pgTAP, or a file under a test folder or named like a test. */
  test: boolean;
  /** pgTAP: it calls plan()/no_plan() or finish(). */
  pgtap: boolean;
  /** pg_dump output: it starts with pg_dump's "PostgreSQL database dump" banner. */
  dump: boolean;
  /** Documentation or a demo: under an example(s)/, demo(s)/, sample(s)/ or docs/ folder. */
  example: boolean;
}

/**
 * Folder names and file names that hold tests in the layouts we see (pg_regress, pgTAP,
 * Supabase, PostgREST's spec data, JS test trees): a test folder, `*.test.sql`,
 * `*_test.sql`, `spec-data.sql`, `test_schema.sql`, `fixtures.sql`. A bare `test.sql` is
 * too often a scratch file to count.
 */
const TEST_PATH = /(?:^|\/)(?:tests?|specs?|__tests__|regress)\/|(?:^|\/)(?:(?:tests?|specs?)[._-][^/]*|[^/]*[._-](?:tests?|specs?)|fixtures?)\.sql$/i;
const EXAMPLE_PATH = /(?:^|\/)(?:examples?|demos?|samples?|docs)\//i;
const PGTAP = /\b(?:no_)?plan\s*\(\s*\d*\s*\)|\bfinish\s*\(\s*\)/i;
const DUMP_BANNER = /^\s*(?:--[^\n]*\n\s*)*--\s*PostgreSQL database dump\b/;

const cache = new WeakMap<SqlDocument, FileKind>();

/**
 * The document's kind. The text's first 4 KB decide pg_dump (the banner is its first
 * comment) and a pgTAP call anywhere makes a test; kept per document version.
 */
export function fileKind(doc: SqlDocument): FileKind {
  let kind = cache.get(doc);
  if (!kind) {
    const path = pathOf(doc.uri);
    const pgtap = PGTAP.test(doc.text);
    kind = { pgtap, test: pgtap || TEST_PATH.test(path), dump: DUMP_BANNER.test(doc.text.slice(0, 4096)), example: EXAMPLE_PATH.test(path) };
    cache.set(doc, kind);
  }
  return kind;
}

function pathOf(uri: string): string {
  const path = uri.replace(/^[a-z]+:\/\/[^/]*/i, '');
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Whether a file is a test by its path alone, for places the model records in other files
 * (a policy in a pgTAP script is part of its scenario, not of the project's schema).
 */
export function isTestPath(uri: string): boolean {
  let test = testPaths.get(uri);
  if (test === undefined) {
    // A workspace has a bounded number of files; the bound only keeps a long-running
    // server from holding the URIs of files long gone.
    if (testPaths.size >= 20_000) testPaths.clear();
    testPaths.set(uri, (test = TEST_PATH.test(pathOf(uri))));
  }
  return test;
}

/** isTestPath's answers by URI: rules ask it for the place of every policy and table of a project. */
const testPaths = new Map<string, boolean>();

/** The kind as a short key for caches of findings: findings may differ by kind alone. */
export function fileKindKey(k: FileKind): string {
  return `${k.test ? 't' : ''}${k.pgtap ? 'p' : ''}${k.dump ? 'd' : ''}${k.example ? 'e' : ''}`;
}
