// hba-all-remote: `all` databases or users on a record for clients outside the private
// networks: every role may try every database from there, where a client outside the
// organisation needs one role and its databases (CIS: use specific databases and users).
// Private networks, loopback, open addresses (hba-open-address) and user all under a map=
// (the map names who may be whom) are left alone.

import { Finding } from '../../rules';
import { addressText, finding, HbaRule, isLocalAddress, isOpenAddress, isPrivateAddress, isTcp, liveRecords, recordRange } from '../rule';

export const hbaAllRemote: HbaRule = {
  meta: {
    id: 'hba-all-remote',
    language: 'hba',
    defaultSeverity: 'info',
    description: 'A TCP record that is not reject with database all or user all, for clients outside loopback and the private networks.',
    fixable: false,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const r of liveRecords(ctx)) {
      if (!isTcp(r) || r.method === 'reject' || isLocalAddress(r) || isOpenAddress(r) || isPrivateAddress(r)) continue;
      // samenet is the server's own subnets: whether they are private is known only on the server.
      if (r.address?.kind === 'samenet') continue;
      const db = r.databases.find((t) => !t.quoted && t.value === 'all');
      const mapped = r.options.some((o) => o.name === 'map');
      const user = mapped ? undefined : r.users.find((t) => !t.quoted && t.value === 'all');
      if (!db && !user) continue;
      const what = db && user ? 'every role may try every database' : db ? 'these roles may try every database' : 'every role may try these databases';
      out.push(
        finding(
          'hba-all-remote',
          recordRange(r, db ?? user, db && user ? user : undefined),
          `${db && user ? 'Database all and user all' : db ? 'Database all' : 'User all'} from ${addressText(r)}: ${what} from outside the private networks. List the databases and roles these clients need.`,
        ),
      );
    }
    return out;
  },
};
