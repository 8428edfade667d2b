// hba-password: the `password` method sends the password in clear text.

import { Finding } from '../../rules';
import { finding, HbaRule, methodFix, recordRange, liveRecords } from '../rule';

export const hbaPassword: HbaRule = {
  meta: {
    id: 'hba-password',
    language: 'hba',
    defaultSeverity: 'error',
    description: 'The password method, which sends the password to the server in clear text.',
    fixable: true,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const r of liveRecords(ctx)) {
      if (r.method !== 'password') continue;
      const f = methodFix(ctx, r, 'scram-sha-256');
      out.push(
        finding(
          'hba-password',
          recordRange(r, r.methodToken),
          'The password method sends the password in clear text; anyone on the path (or a server impostor) reads it. Use scram-sha-256.',
          f ? { fixes: [f] } : {},
        ),
      );
    }
    return out;
  },
};
