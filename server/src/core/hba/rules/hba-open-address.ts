// hba-open-address: a record that accepts clients from any address.

import { Finding } from '../../rules';
import { addressText, finding, HbaRule, isOpenAddress, recordRange, liveRecords } from '../rule';

export const hbaOpenAddress: HbaRule = {
  meta: {
    id: 'hba-open-address',
    language: 'hba',
    defaultSeverity: 'warning',
    description: 'A record that is not reject for every address: all, 0.0.0.0/0, ::/0 or any /0.',
    fixable: false,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const r of liveRecords(ctx)) {
      if (r.method === 'reject' || !isOpenAddress(r)) continue;
      const a = r.address!;
      out.push(
        finding(
          'hba-open-address',
          recordRange(r, a.token, a.maskToken),
          `The address ${addressText(r)} accepts clients from ${a.kind === 'all' ? 'any address' : `every IPv${a.family} address`}. Name the networks that need access.`,
        ),
      );
    }
    return out;
  },
};
