// hba-replication-open: replication connections stream every byte of the cluster; a record
// for them should be narrow.

import { Finding } from '../../rules';
import { addressText, finding, HbaRule, isLocalAddress, isOpenAddress, isTcp, recordRange, liveRecords } from '../rule';

export const hbaReplicationOpen: HbaRule = {
  meta: {
    id: 'hba-replication-open',
    language: 'hba',
    defaultSeverity: 'warning',
    description: 'A record for the replication database with trust, an open address, or user all from a non-loopback address.',
    fixable: false,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const r of liveRecords(ctx)) {
      if (r.method === 'reject') continue;
      const repl = r.databases.find((t) => !t.quoted && t.value === 'replication');
      if (!repl) continue;
      const allUsers = r.users.some((t) => !t.quoted && t.value === 'all');
      let why: string | undefined;
      if (r.method === 'trust') why = 'with trust: anyone who reaches it can copy the whole cluster without a password';
      else if (isOpenAddress(r)) why = `from ${addressText(r)}: every address may try to stream the whole cluster`;
      else if (allUsers && isTcp(r) && !isLocalAddress(r)) why = `for user all from ${addressText(r)}: any role with REPLICATION may stream the whole cluster from there`;
      if (!why) continue;
      out.push(
        finding(
          'hba-replication-open',
          recordRange(r, repl),
          `This replication record is open ${why}. Allow one replication role from the standbys' addresses, with scram-sha-256 or cert.`,
        ),
      );
    }
    return out;
  },
};
