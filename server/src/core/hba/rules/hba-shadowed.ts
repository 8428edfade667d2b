// hba-shadowed: a record no connection can reach, because an earlier record matches every
// connection it would (the server never falls through to a later record).

import { asSafe } from '../../fix';
import { Finding } from '../../rules';
import { HbaRecord } from '../parse';
import { deleteRecordFix, finding, HbaRule, recordRange, validRecords } from '../rule';

export function whereIs(r: HbaRecord): string {
  return r.inDocument ? `line ${r.line.lineNumber}` : `line ${r.line.lineNumber} of "${r.file}"`;
}

export const hbaShadowed: HbaRule = {
  meta: {
    id: 'hba-shadowed',
    language: 'hba',
    defaultSeverity: 'warning',
    description: 'A record no connection can reach because an earlier record covers its type, databases, users and addresses.',
    fixable: true,
  },
  check(ctx) {
    const out: Finding[] = [];
    const a = ctx.shadow();
    // One message per covering record: a broad early record can shadow thousands.
    const messages = new Map<number, string>();
    for (const r of validRecords(ctx)) {
      const by = a.shadowedBy.get(r.index);
      if (by === undefined) continue;
      let message = messages.get(by);
      if (message === undefined) {
        const i = ctx.parse.records[by];
        message = `This record can never match: the record at ${whereIs(i)} comes first and matches every connection this one would. Delete it, or move it above that record if it is meant to win.`;
        messages.set(by, message);
      }
      out.push(finding('hba-shadowed', recordRange(r), message, { unnecessary: true, fixes: [asSafe(deleteRecordFix(ctx.text, r))] }));
    }
    return out;
  },
};
