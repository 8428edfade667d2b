// hba-ident-tcp: ident over TCP asks the client's machine who the user is; any host can lie.

import { Finding } from '../../rules';
import { HbaRule, isTcp, liveRecords, methodFinding } from '../rule';

export const hbaIdentTcp: HbaRule = {
  meta: {
    id: 'hba-ident-tcp',
    language: 'hba',
    defaultSeverity: 'error',
    description: 'The ident method on a TCP record, which trusts the client machine\'s ident server to name the user.',
    fixable: true,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const r of liveRecords(ctx)) {
      if (!isTcp(r) || r.method !== 'ident') continue;
      const message =
        'ident over TCP believes whatever user name the client machine\'s ident server reports; anyone who controls a client machine picks the name. Use scram-sha-256.';
      out.push(methodFinding(ctx, r, 'hba-ident-tcp', 'scram-sha-256', message));
    }
    return out;
  },
};
