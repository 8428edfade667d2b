// The union of several connections' catalog facts: what the linters see while more than
// one database is connected.

import type { CatalogFacts } from './workspace';

/** Every connection's facts in one; undefined when none is connected. */
export function mergeCatalogFacts(all: readonly CatalogFacts[]): CatalogFacts | undefined {
  if (!all.length) return undefined;
  const merged: CatalogFacts = { superusers: [], roles: [], rlsEnabled: [], rlsForced: [], policies: [], servers: [] };
  for (const f of all) {
    merged.superusers.push(...f.superusers);
    merged.roles.push(...f.roles);
    merged.rlsEnabled.push(...f.rlsEnabled);
    merged.rlsForced.push(...f.rlsForced);
    merged.policies.push(...f.policies);
    merged.servers!.push(...(f.servers ?? []));
  }
  return merged;
}
