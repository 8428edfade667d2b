// Breadth-first walks over a role graph (memberships, or the roles one may SET ROLE to):
// the shortest path first, so a report names the most direct way a role holds something.

/**
 * Walks from `start` along `next`, giving each role reached its shortest path (the roles
 * after `start`, in order; among equal lengths the first edge in `next`'s order wins).
 * `visit`, called once per role reached, may end the walk by returning a value.
 */
export function walkRoles<T>(
  start: string,
  next: (role: string) => Iterable<string> | undefined,
  visit?: (role: string, via: string[]) => T | undefined,
): { paths: Map<string, string[]>; found?: T } {
  const paths = new Map<string, string[]>([[start, []]]);
  let frontier = [start];
  while (frontier.length) {
    const following: string[] = [];
    for (const r of frontier) {
      for (const up of next(r) ?? []) {
        if (paths.has(up)) continue;
        const via = [...(paths.get(r) as string[]), up];
        paths.set(up, via);
        const found = visit?.(up, via);
        if (found !== undefined) return { paths, found };
        following.push(up);
      }
    }
    frontier = following;
  }
  return { paths };
}
