// hba-password: the `password` method sends the password in clear text.

import { Finding } from '../../rules';
import { HbaRule, liveRecords, methodFinding } from '../rule';

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
      const message = 'The password method sends the password in clear text; anyone on the path (or a server impostor) reads it. Use scram-sha-256.';
      out.push(methodFinding(ctx, r, 'hba-password', 'scram-sha-256', message));
    }
    return out;
  },
};
