// hba-wide-network: a record for a network wider than one site's (more than 65,536 IPv4
// addresses, or more than 65,536 IPv6 /64 subnets) lets every machine in it try to log
// in. A wide network inside private ranges (10.0.0.0/8) is the organisation's own, so it
// is reported as info; a wide public or mixed network is a warning. /0 is hba-open-address's.

import { Finding } from '../../rules';
import { addressText, finding, HbaRule, isLocalAddress, isOpenAddress, isPrivateAddress, isWideAddress, liveRecords, recordRange } from '../rule';
import { freeBits } from '../address';

export const hbaWideNetwork: HbaRule = {
  meta: {
    id: 'hba-wide-network',
    language: 'hba',
    defaultSeverity: 'warning',
    description: 'A record that is not reject for a network of more than 65,536 IPv4 addresses or IPv6 /64 subnets (info when the network is private).',
    fixable: false,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const r of liveRecords(ctx)) {
      if (r.method === 'reject' || !isWideAddress(r) || isOpenAddress(r) || isLocalAddress(r)) continue;
      const a = r.address!;
      const priv = isPrivateAddress(r);
      const size = a.family === 4 ? `${count(freeBits(a.mask!))} addresses` : `${count(freeBits(a.mask!) - 64)} /64 subnets`;
      const message = priv
        ? `The private network ${addressText(r)} holds ${size}: every machine of the organisation may try to log in here. Name the subnets of the clients that need access.`
        : `The network ${addressText(r)} holds ${size} and reaches beyond the private ranges: machines far beyond this site's clients may try to log in. Name the clients' own networks.`;
      out.push(finding('hba-wide-network', recordRange(r, a.token, a.maskToken), message, { severity: priv ? 'info' : 'warning' }));
    }
    return out;
  },
};

/** 2^bits written out while it is readable (up to 2^32), else as a power. */
function count(bits: number): string {
  return bits <= 32 ? (2 ** bits).toLocaleString('en-US') : `2^${bits}`;
}
