// rls-not-forced: row-level security enabled on a table but never FORCEd. Without FORCE
// the table's owner (and so an application that connects as the owner) bypasses every
// policy. Off by default: most projects run the application as a role that does not own
// the tables, where the owner's exemption is intended and the finding is noise.

import { fix, insert } from '../../fix';
import { Finding } from '../../rules';
import { formatName } from '../ast';
import { rlsEnabled } from '../locate';
import { SqlRule } from '../rule';

export const rlsNotForced: SqlRule = {
  meta: {
    id: 'rls-not-forced',
    language: 'sql',
    defaultSeverity: 'info',
    defaultOff: true,
    description:
      'Row-level security is enabled on a table but FORCE ROW LEVEL SECURITY is set nowhere in the workspace, so the table owner bypasses the policies.',
    fixable: true,
  },
  types: ['AlterTableStmt'],
  check(stmt, ctx) {
    const enabled = rlsEnabled(stmt);
    if (!enabled || ctx.workspace.rlsForced(enabled.table)) return [];
    const { table, at } = enabled;
    const finding: Finding = {
      ruleId: 'rls-not-forced',
      start: at.start,
      end: at.end,
      message: `Row-level security on ${formatName(table)} is not forced: its owner, and any application connecting as the owner, bypasses every policy. Add FORCE ROW LEVEL SECURITY.`,
      // Adding a second subcommand to the same ALTER TABLE needs no name quoting and keeps
      // the two settings together.
      fixes: [fix(`Force row-level security on ${formatName(table)}`, [insert(at.end, ', FORCE ROW LEVEL SECURITY')], {
        consequence: 'the owner, often the role migrations and jobs run as, becomes subject to the policies and may see fewer rows',
      })],
    };
    return [finding];
  },
};
