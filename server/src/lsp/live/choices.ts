// What the connected databases offer for a quick fix's placeholders: their own roles for
// a role, the table's own columns for a column or a policy condition (core/rules.ts
// Placeholder). A database that cannot answer offers nothing; the workspace's choices stay.

import type { Placeholder } from '../../core/rules';
import { currentUserCondition, quoteIdent } from '../../core/sql/quote';
import { relationColumns } from '../../db';
import type { LiveSessions } from './sessions';

/** The choices for each placeholder, in order, at most 50 each; role names quoted as SQL names. */
export async function placeholderChoices(s: LiveSessions, ps: readonly Placeholder[]): Promise<string[][]> {
  const sessions = s.connected();
  const all: string[][] = [];
  // One placeholder after another: a session runs one query at a time (pg deprecates queueing them).
  for (const p of ps) {
    const out = new Set<string>();
    for (const live of sessions) {
      if (p.kind === 'role') for (const r of live.facts?.roles ?? []) if (!r.startsWith('pg_')) out.add(quoteIdent(r));
      if ((p.kind === 'column' || p.kind === 'condition') && p.table) {
        const columns = await relationColumns(live.session, p.table).catch(() => [] as string[]);
        for (const c of columns) out.add(p.kind === 'column' ? c : currentUserCondition(c));
      }
    }
    all.push([...out].slice(0, 50));
  }
  return all;
}
