// The live-database API: everything the server's custom requests and the CLI need.
// Import from here, not from the modules behind it.
//
// Typical use:
//   const target = resolveProfile(parseConnectionString('service=prod'), process.env);
//   const session = await connect(target, async () => secrets.get(fingerprint(target)), { statementTimeoutMs: 10_000 });
//   const page = await listRoles(session, { group: 'login', offset: 0, limit: 200 });
//   const findings = await audit(session, { config });
//   await session.close();

export * from './types';
export { parseConnectionString, parseConninfo, readServiceFile, ConnStringError } from './connstring';
export { resolveProfile, fingerprint, isLoopback, describeTarget, tlsWarning } from './target';
export { connect, DbError, Session, ConnectOptionsFull, mapError } from './session';
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
  membershipsOf,
  rolePrivileges,
  ownedObjects,
  passwordTypes,
  catalogFacts,
  loadPrivilegeGraph,
  RoleListRequest,
  TableListRequest,
} from './catalog';
export { PrivilegeGraph, buildPrivilegeGraph, effectivePrivileges, tableHolders, tablePrivileges } from './privileges';
export { audit, AuditOptions, AuditResult, checkSnapshot, readSnapshot, readHbaRules, hbaTexts, auditHba, AuditSnapshot, HbaRow } from './audit';
export { DB_RULES } from './rules';
