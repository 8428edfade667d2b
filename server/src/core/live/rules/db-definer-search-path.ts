// db-definer-search-path: a SECURITY DEFINER function that does not set search_path runs whatever a
// caller put first on the path, with the owner's rights.

import { LiveRule, LiveRuleContext, liveMeta } from '../rule';
import type { SnapshotFunction } from '../snapshot';
import { schemaCreatorsBesides } from '../search-path';
import { quoteIdent } from '../../identifier';

export const dbDefinerSearchPath: LiveRule = {
  meta: liveMeta(
    'db-definer-search-path',
    'error',
    'A SECURITY DEFINER function does not set search_path, or its search_path lists a schema other roles can create objects in, so a caller can make it run their own objects.',
  ),
  check(s, ctx) {
    const superusers = new Set(s.roles.filter((r) => r.superuser).map((r) => r.name));
    const creators = new Map(s.schemas.map((x) => [x.name, x.creators]));
    for (const f of s.functions) {
      if (!f.securityDefiner) continue;
      if (f.setsSearchPath) {
        writableOnPath(f, creators, superusers, ctx);
        continue;
      }
      ctx.report({
        objectKind: 'function',
        object: f.signature,
        message: `SECURITY DEFINER function ${f.signature} (owner "${f.owner}") does not set search_path: a caller can put their own objects first and run them with the owner's rights. ALTER FUNCTION ${f.signature} SET search_path = pg_catalog, pg_temp.`,
        fix: `ALTER FUNCTION ${f.signature} SET search_path = pg_catalog, pg_temp;`,
      });
    }
  },
};

/** A pinned search_path that lists a schema others may create objects in (core/live/search-path.ts). */
function writableOnPath(f: SnapshotFunction, creators: Map<string, string[] | undefined>, superusers: Set<string>, ctx: LiveRuleContext): void {
  for (const schema of f.searchPath ?? []) {
    const others = schemaCreatorsBesides(creators.get(schema) ?? [], f.owner, (r) => superusers.has(r));
    if (!others.length) continue;
    const who = others.map((r) => (r === 'public' ? 'PUBLIC' : `"${r}"`)).join(', ');
    ctx.report({
      objectKind: 'function',
      object: f.signature,
      message: `SECURITY DEFINER function ${f.signature} (owner "${f.owner}") has ${quoteIdent(schema)} on its search_path, and ${who} may create objects there: they can add a function, operator or table that a name in its body resolves to, and it runs with the owner's rights. Leave the schema off the path and qualify the names, or REVOKE CREATE ON SCHEMA ${quoteIdent(schema)} FROM ${others.map((r) => (r === 'public' ? 'PUBLIC' : quoteIdent(r))).join(', ')}.`,
    });
    return;
  }
}
