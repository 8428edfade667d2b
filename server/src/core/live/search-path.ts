// Who, besides a SECURITY DEFINER function's owner, may create objects in a schema on its
// search_path: the one judgement behind security-definer-search-path (migrations) and
// db-definer-search-path (a live database).

const ADMIN = new Set(['pg_database_owner', 'current_user']);

/**
 * `creators`: the schema's owner and its CREATE grantees (`public` or `PUBLIC` for PUBLIC).
 * Left out: the function's owner, superusers (they need no object to take over), and the
 * role running the migrations / owning the database, which owns the function too in
 * every project that does not say otherwise.
 */
export function schemaCreatorsBesides(creators: readonly string[], owner: string, superuser: (role: string) => boolean): string[] {
  const out = new Set<string>();
  for (const c of creators) {
    if (c === owner || ADMIN.has(c) || superuser(c)) continue;
    out.add(c === 'PUBLIC' ? 'public' : c);
  }
  return [...out].sort();
}
