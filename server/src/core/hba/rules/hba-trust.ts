// hba-trust: trust lets anyone who reaches the record in as the user they name, without a
// password. Flagged on every TCP record, and on local records for all users or a superuser.

import { Finding } from '../../rules';
import { HbaRule, isTcp, liveRecords, methodFinding } from '../rule';

export const hbaTrust: HbaRule = {
  meta: {
    id: 'hba-trust',
    language: 'hba',
    defaultSeverity: 'error',
    description: 'The trust method on a TCP record, or on a local record for all users or a superuser: no password is asked.',
    fixable: true,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const r of liveRecords(ctx)) {
      if (r.method !== 'trust') continue;
      if (isTcp(r)) {
        const message = 'trust on a TCP record lets anyone who can reach this address log in as any matching user without a password. Use scram-sha-256.';
        out.push(methodFinding(ctx, r, 'hba-trust', 'scram-sha-256', message));
        continue;
      }
      const all = r.users.some((t) => !t.quoted && t.value === 'all');
      const su = r.users.find((t) => !(!t.quoted && t.value[0] === '+') && ctx.superusers.includes(t.value));
      if (!all && !su) continue;
      const message = all
        ? 'trust on a local record for all users lets every operating-system user on this machine log in as any role, superusers included. Use peer.'
        : `trust on a local record for the superuser "${su!.value}" lets every operating-system user on this machine log in as it. Use peer.`;
      out.push(methodFinding(ctx, r, 'hba-trust', 'peer', message));
    }
    return out;
  },
};
