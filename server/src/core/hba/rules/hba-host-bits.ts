// hba-host-bits: 10.1.0.0/8 is accepted and matches all of 10.0.0.0/8; the author almost
// always meant a narrower network. Writing the network address is a safe fix: the server
// already matches exactly that network.

import { fix, replace } from '../../fix';
import { Finding } from '../../rules';
import { applyMask, formatAddress } from '../address';
import { finding, HbaRule, recordRange, validRecords } from '../rule';

export const hbaHostBits: HbaRule = {
  meta: {
    id: 'hba-host-bits',
    language: 'hba',
    defaultSeverity: 'warning',
    description: 'An address with host bits set under its mask (10.1.0.0/8): the server matches the whole wider network.',
    fixable: true,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const r of validRecords(ctx)) {
      const a = r.address;
      if (!a || a.kind !== 'ip') continue;
      const net = applyMask(a.bytes!, a.mask!);
      if (net.every((b, k) => b === a.bytes![k])) continue;
      const netText = formatAddress(a.family!, net);
      const written = a.token.value;
      const slash = written.indexOf('/');
      const replacement = slash >= 0 ? `${netText}${written.slice(slash)}` : netText;
      const shown = slash >= 0 ? replacement : `${netText} ${a.maskToken!.value}`;
      out.push(
        finding(
          'hba-host-bits',
          recordRange(r, a.token),
          `${written} has host bits set: the server matches all of ${shown}. Write the network address, or a longer mask if you meant a smaller network.`,
          a.token.fromFile ? {} : { fixes: [fix(`Use the network address ${replacement}`, [replace(a.token.start, a.token.end, replacement)], { safe: true })] },
        ),
      );
    }
    return out;
  },
};
