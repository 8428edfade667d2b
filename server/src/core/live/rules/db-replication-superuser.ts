// db-replication-superuser: a standby or a logical replication client streams WAL from
// this server as a superuser (a walsender session of a superuser role). CIS 7.1 asks for
// a role with only LOGIN and REPLICATION: a replication password that leaks from a
// standby's primary_conninfo then gives the cluster's data, not the whole server.

import { quoteIdent } from '../../identifier';
import { LiveRule, liveMeta } from '../rule';

export const dbReplicationSuperuser: LiveRule = {
  meta: liveMeta('db-replication-superuser', 'warning', 'Replication streams WAL from this server as a superuser instead of a role with only LOGIN and REPLICATION.'),
  check(s, ctx) {
    const byName = new Map(s.roles.map((r) => [r.name, r]));
    const dedicated = s.roles.filter((r) => r.replication && r.login && !r.superuser).map((r) => r.name);
    for (const name of s.replication.senders) {
      if (!byName.get(name)?.superuser) continue;
      ctx.report({
        objectKind: 'role',
        object: name,
        message: `A replication connection (walsender) runs as superuser "${name}". ${
          dedicated.length ? `Use the replication role ${dedicated.join(', ')}` : `Create a role for it: CREATE ROLE replicator LOGIN REPLICATION PASSWORD '...'`
        }, point primary_conninfo and pg_hba.conf's replication lines at it, and keep ${quoteIdent(name)} for administration.`,
      });
    }
  },
};
