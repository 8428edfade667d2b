// hba-duplicate: a record equal to an earlier one; it can never match and only adds noise.

import { asSafe } from '../../fix';
import { Finding } from '../../rules';
import { deleteRecordFix, finding, HbaRule, recordRange, validRecords } from '../rule';
import { whereIs } from './hba-shadowed';

export const hbaDuplicate: HbaRule = {
  meta: {
    id: 'hba-duplicate',
    language: 'hba',
    defaultSeverity: 'warning',
    description: 'A record equal to an earlier one (same type, databases, users, address, method and options).',
    fixable: true,
  },
  check(ctx) {
    const out: Finding[] = [];
    const a = ctx.shadow();
    for (const r of validRecords(ctx)) {
      const of = a.duplicateOf.get(r.index);
      if (of === undefined) continue;
      out.push(
        finding('hba-duplicate', recordRange(r), `This record repeats the record at ${whereIs(ctx.parse.records[of])}, which always matches first. Delete it.`, {
          unnecessary: true,
          // No connection reaches a duplicate, so deleting it changes nothing the server accepts.
          fixes: [asSafe(deleteRecordFix(ctx.text, r))],
        }),
      );
    }
    return out;
  },
};
