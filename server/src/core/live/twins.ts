// Live findings that repeat a static one. A live rule judges the catalog, a SQL rule the
// statement that made it so; when both land on the same statement the editor would show
// the same problem twice. The static finding is kept: it points at the exact token and
// carries the quick fix, while the live one covers the whole statement and has no fix.

/** Each live rule with the SQL rules that report the same problem on the creating statement. */
export const LIVE_TWINS: Readonly<Record<string, readonly string[]>> = {
  'db-bypassrls': ['privileged-role-attribute'],
  'db-definer-search-path': ['security-definer-search-path', 'definer-search-path-unsafe'],
  'db-md5-password': ['weak-password-hash'],
  'db-policy-always-true': ['policy-always-true'],
  'db-policy-bypassrls-role': ['policy-bypassrls-role'],
  'db-policy-no-effect': ['policy-no-effect'],
  'db-policy-to-public': ['policy-to-public'],
  'db-predefined-role-member': ['predefined-role-grant'],
  'db-public-function-execute': ['definer-public-execute'],
  'db-public-schema-create': ['grant-to-public'],
  'db-public-table-privilege': ['grant-to-public'],
  'db-rls-no-policy': ['rls-no-policy'],
  'db-rls-off-granted': ['missing-rls'],
  'db-superuser-login': ['superuser-role'],
  'db-untrusted-language': ['untrusted-language'],
};

interface Placed {
  code?: string | number;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

const before = (a: Placed['range']['start'], b: Placed['range']['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);

/** The live diagnostics no static twin already reports inside the same statement range. */
export function withoutStaticTwins<T extends Placed>(live: readonly T[], own: readonly Placed[]): T[] {
  return live.filter((l) => {
    const twins = LIVE_TWINS[String(l.code)] ?? [];
    return !own.some((s) => twins.includes(String(s.code)) && before(l.range.start, s.range.start) && before(s.range.end, l.range.end));
  });
}

/** One key per database a connection reaches: profiles naming the same server and database share it. */
export function databaseKey(t: { host: string; port: number; database: string }): string {
  const host = t.host.toLowerCase();
  return `${host === 'localhost' || host === '::1' ? '127.0.0.1' : host}:${t.port}/${t.database}`;
}
