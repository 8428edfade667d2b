// The live findings of every connected database, once per database: profiles that reach
// the same server and database (core/live/twins.ts databaseKey) share their findings. The
// Findings view gets them labelled and placed on the statement creating each object; the
// Problems panel gets them through ./diagnostics.ts.

import { parseSchemaQualified } from '../../core/identifier';
import type { DbFinding } from '../../core/live/catalog';
import { FindQuery, locateQuery } from '../../core/live/locate';
import { databaseKey } from '../../core/live/twins';
import type { DbFindingItem } from '../../shared/protocol';
import type { LiveSessions } from './sessions';
import { findingLabel } from './tree';

export interface AuditFindings {
  /** Each finding with the first connection's description and every connection reaching its database. */
  found: Array<{ f: DbFinding; description: string; connections: string[] }>;
  /** The connections whose audit did not run, with why. */
  failed: Array<{ id: string; message: string }>;
}

export async function auditFindings(s: LiveSessions): Promise<AuditFindings> {
  const byKey = new Map<string, { f: DbFinding; description: string; connections: string[] }>();
  const failed: AuditFindings['failed'] = [];
  for (const live of s.connected()) {
    let findings: DbFinding[];
    try {
      findings = (await s.auditOf(live)).findings;
    } catch (err) {
      failed.push({ id: live.id, message: err instanceof Error ? err.message : String(err) });
      continue;
    }
    const db = databaseKey(live.target);
    for (const f of findings) {
      const key = [db, f.ruleId, f.objectKind, f.object, f.policy ?? '', f.message].join('\u0000');
      const known = byKey.get(key);
      if (known) known.connections.push(live.id);
      else byKey.set(key, { f, description: live.description, connections: [live.id] });
    }
  }
  return { found: [...byKey.values()], failed };
}

/** The Findings view's list: the findings with a short label and the statement that creates each object. */
export async function findingItems(s: LiveSessions): Promise<{ items: DbFindingItem[]; failed: AuditFindings['failed'] }> {
  const { found, failed } = await auditFindings(s);
  const wanted = found.map(({ f }, i) => ({ q: locateQuery(f), i })).filter((x): x is { q: FindQuery; i: number } => x.q !== undefined);
  const places = wanted.length ? await s.host.place(wanted.map((x) => x.q)) : [];
  const at = new Map(wanted.map((x, k) => [x.i, places[k]]));
  const items = found.map(({ f, description, connections }, i): DbFindingItem => {
    const location = at.get(i);
    const table = f.objectKind === 'table' ? parseSchemaQualified(f.object, 'public') : undefined;
    return {
      ...f,
      label: findingLabel(f),
      connections,
      database: description,
      ...(location ? { location } : {}),
      ...(f.objectKind === 'role' ? { role: f.object } : {}),
      ...(table ? { table } : {}),
    };
  });
  return { items, failed };
}
