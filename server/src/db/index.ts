// The live-database API: everything the server's custom requests and the CLI need.
// Import from here, not from the modules behind it.
//
// Typical use:
//   const target = resolveProfile(parseConnectionString('service=prod'), process.env);
//   const warning = tlsWarning(target);            // show it for a remote host without verified TLS
//   const session = await connect(target, async () => secrets.get(fingerprint(target)), { statementTimeoutMs: 10_000 });
//   session.onLost((e) => showDisconnected(e.message));
//   const counts = await roleGroupCounts(session);  // the first level of the role tree
//   const page = await listRoles(session, { group: 'login', offset: 0, limit: 200 });
//   const role = await roleDetails(session, 'alice');       // memberships, privileges, owned objects
//   const tables = await listTables(session, { schema: 'app', offset: 0, limit: 200 });
//   const table = await tableDetails(session, 'app', 'orders');   // RLS, policies, grants
//   const graph = await loadPrivilegeGraph(session);        // effective privileges, both ways:
//   graph.effectivePrivileges('alice'); graph.tableHolders('app', 'orders');
//   const { findings, skipped } = await audit(session, { config });
//   workspace.setCatalog(await catalogFacts(session));
//   await session.close();
//
// Failures are DbError with a kind: 'auth' (prompt again), 'refused', 'tls', 'timeout',
// 'permission', 'lost' (show disconnected, offer reconnect), 'readonly', 'config', 'other'.
// Connection-string problems are ConnStringError. No message ever holds a password.

export * from './types';
export { parseConnectionString, parseConninfo, readServiceFile, ConnStringError } from './connstring';
export { resolveProfile, fingerprint, isLoopback, describeTarget, tlsWarning } from './target';
export { connect, DbError, Session, mapError, pgpassLookup } from './session';
export {
  loadRoles,
  loadMemberships,
  loadTables,
  listRoles,
  roleGroupCounts,
  roleDetails,
  listTables,
  listSchemas,
  tableDetails,
  relationColumns,
  membershipsOf,
  listMembers,
  rolePrivileges,
  ownedObjects,
  passwordTypes,
  catalogFacts,
  loadPrivilegeGraph,
  loadAccessSnapshot,
  RoleListRequest,
  TableListRequest,
} from './catalog';
export { PrivilegeGraph, buildPrivilegeGraph, effectivePrivileges, tableHolders, tablePrivileges } from '../core/live/privileges';
export { audit, AuditOptions, AuditResult, readAuditSnapshot, readSnapshot, readHbaRules, SnapshotRead, NEUTRAL_HBA_FILE } from './audit';
export { revokeEffective, revokeObjectPrivilege } from './sqlgen';
export { readLiveAccess, AccessQueryable } from './access';
export { connectedDatabase, ConnectedDatabase, databaseOwner } from './database-owner';
export { readActivity } from './activity';
