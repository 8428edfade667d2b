// hba-no-ssl: a host or hostnossl record for remote clients lets them connect without TLS.

import { Finding } from '../../rules';
import { addressText, finding, HbaRule, isLocalAddress, recordRange, tokenFix, liveRecords } from '../rule';

export const hbaNoSsl: HbaRule = {
  meta: {
    id: 'hba-no-ssl',
    language: 'hba',
    defaultSeverity: 'warning',
    description: 'A host or hostnossl record for a non-loopback address, which admits connections without TLS.',
    fixable: true,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const r of liveRecords(ctx)) {
      if ((r.type !== 'host' && r.type !== 'hostnossl') || r.method === 'reject' || isLocalAddress(r)) continue;
      const f = tokenFix('Use hostssl', r.typeToken!, 'hostssl', 'clients that connect without TLS are refused, and so is everyone if the server has ssl = off');
      out.push(
        finding(
          'hba-no-ssl',
          recordRange(r, r.typeToken),
          r.type === 'host'
            ? `host admits clients from ${addressText(r)} without TLS, so passwords and data can cross the network unencrypted. Use hostssl.`
            : `hostnossl admits only unencrypted connections from ${addressText(r)}. Use hostssl.`,
          f ? { fixes: [f] } : {},
        ),
      );
    }
    return out;
  },
};
