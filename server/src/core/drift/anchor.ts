// Where a drift finding stands in the workspace: on the declared fact when there is one;
// for something only the database has, on the statement that creates its object, the
// role a membership concerns, the schema default privileges apply in, or for a database
// grant no statement names the database of, the role it is granted to. The CLI prints
// that place and the editor's Drift node opens it.

import type { DriftFinding } from './compare';
import type { Fact } from './facts';

/** The declared fact whose statement a finding is shown on; `byKey`: the declared facts by key. */
export function findingAnchor(f: DriftFinding, byKey: ReadonlyMap<string, Fact>): Fact | undefined {
  if (f.declared) return f.declared;
  const fact = f.live;
  if (!fact) return undefined;
  if (fact.parent) {
    const parent = byKey.get(fact.parent);
    // The compared database is declared even when no statement names it (no place to show).
    if (parent?.at) return parent;
  }
  if (fact.kind === 'privilege' && fact.object.kind === 'database') return byKey.get(`role ${fact.grantee}`);
  if (fact.kind === 'membership' || fact.kind === 'membership option') return byKey.get(`role ${fact.member}`) ?? byKey.get(`role ${fact.role}`);
  if (fact.kind === 'default privilege' && fact.schema) return byKey.get(`object schema:${fact.schema}`);
  return undefined;
}
