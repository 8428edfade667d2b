// Row-level security judgements shared by the live rules, the role tree and the CLI, so
// the three never disagree about a table's RLS state or about who it matters for.

/** The privileges row-level security governs: data access, not TRUNCATE, REFERENCES or TRIGGER. */
export const RLS_PRIVILEGES: ReadonlySet<string> = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);

/**
 * A table's RLS state in words. FORCE takes effect only while RLS is enabled: a table
 * with RLS off and only the FORCE flag set is not protected, and must never read as
 * "forced".
 */
export function rlsState(rls: boolean, forced: boolean): string {
  if (!rls) return forced ? 'off (FORCE set, no effect while off)' : 'off';
  return forced ? 'forced' : 'on';
}

/** `RLS on`, `RLS forced`, `RLS off`, ...: rlsState for a one-line summary. */
export function rlsLabel(rls: boolean, forced: boolean): string {
  return `RLS ${rlsState(rls, forced)}`;
}

/** One line for a tooltip: what the state means for who sees which rows. */
export function rlsExplanation(rls: boolean, forced: boolean): string {
  if (!rls) return 'RLS is off: every role with a grant sees every row.';
  return forced ? 'RLS is enabled and forced: policies apply to the owner too.' : 'RLS is enabled; the owner bypasses it (not forced).';
}

/**
 * The grantees for whom a table's row-level security matters: everyone but the owner
 * who holds a data privilege (PUBLIC included), sorted. A grant of TRUNCATE or
 * REFERENCES alone exposes no rows.
 */
export function rlsRelevantGrantees(t: { owner: string; grants: ReadonlyArray<{ grantee: string; privilege: string }> }): string[] {
  return [...new Set(t.grants.filter((g) => g.grantee !== t.owner && RLS_PRIVILEGES.has(g.privilege)).map((g) => g.grantee))].sort();
}

/** Whether a table's schema is one pgwarden.json's rls.schemas asks to be checked (null: all). */
export function inRlsScope(schema: string, rlsSchemas: readonly string[] | null): boolean {
  return rlsSchemas === null || rlsSchemas.includes(schema);
}
