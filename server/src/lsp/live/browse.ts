// The role tree's children: reads what a node needs through the session's caches and
// hands it to the pure presenter (./tree.ts). Paged where the catalog can be large.

import { judgeSessions, sessionOptions } from '../../core/live/activity';
import { listRoles, listSchemas, listTables, readActivity, roleGroupCounts } from '../../db';
import type { AuditResult } from '../../db';
import { basename } from 'node:path';
import type { DbChildrenParams, DbChildrenResult, DbNodeRef, DbTreeNode } from '../../shared/protocol';
import type { Live, LiveSessions } from './sessions';
import * as tree from './tree';
import { compareLive } from './drift';
import { driftEntries, noteDriftShown } from './drift-follow';
import { driftGroupNodes, driftRootNodes } from './drift-tree';
import { sessionGroupNodes, sessionsNodes } from './sessions-tree';
import { accessLeaves, accessRoleNodes } from './access-tree';
import { roleRowSecurity, rowAccess } from './access-reads';

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 5000;

export async function children(sessions: LiveSessions, live: Live, p: DbChildrenParams): Promise<DbChildrenResult> {
  const offset = Math.max(0, Math.floor(Number(p.offset ?? 0)) || 0);
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(Number(p.limit ?? DEFAULT_LIMIT)) || DEFAULT_LIMIT));
  const page = (items: DbTreeNode[]): DbChildrenResult => ({ ok: true, items: items.slice(offset, offset + limit), total: items.length, offset });
  const ref = p.ref as DbNodeRef | undefined;
  if (!ref) return page(tree.rootNodes());
  switch (ref.kind) {
    case 'roles': {
      live.counts ??= roleGroupCounts(live.session);
      const counts = await live.counts.catch((e) => {
        live.counts = undefined;
        throw e;
      });
      return page(tree.roleGroupNodes(counts));
    }
    case 'roleGroup': {
      const res = await listRoles(live.session, { group: ref.group, offset, limit });
      return { ok: true, items: res.items.map((r) => tree.roleNode(r)), total: res.total, offset: res.offset };
    }
    case 'role': {
      const d = await sessions.details(live, ref.role);
      if (!d) return page([tree.info('gone', `Role "${ref.role}" no longer exists. Refresh the tree.`, 'warning')]);
      return page(tree.roleSectionNodes(ref.role, d));
    }
    case 'roleSection':
      return roleSection(sessions, live, ref.role, ref.section, offset, limit);
    case 'tables': {
      live.schemas ??= listSchemas(live.session);
      const schemas = await live.schemas.catch((e) => {
        live.schemas = undefined;
        throw e;
      });
      return page(tree.schemaNodes(schemas));
    }
    case 'schema': {
      const res = await listTables(live.session, { schema: ref.schema, offset, limit });
      return { ok: true, total: res.total, offset: res.offset, items: res.items.map(tree.tableNode) };
    }
    case 'table': {
      const t = await sessions.table(live, ref.schema, ref.table);
      if (!t) return page([tree.info('gone', `Table ${ref.schema}.${ref.table} no longer exists. Refresh the tree.`, 'warning')]);
      return page(tree.tableSectionNodes(t));
    }
    case 'tableSection': {
      const t = await sessions.table(live, ref.schema, ref.table);
      if (!t) return page([]);
      if (ref.section === 'policies') return page(tree.policyNodes(t, tree.flaggedPolicies(await auditIfAny(sessions, live), t)));
      if (ref.section === 'access') return page(accessRoleNodes(t, (await rowAccess(sessions, live, ref.schema, ref.table))?.entries ?? []));
      return page(tree.granteeNodes(t));
    }
    case 'accessRole': {
      const a = await rowAccess(sessions, live, ref.schema, ref.table);
      return page(a ? accessLeaves(ref.role, a.entries) : []);
    }
    case 'grantee': {
      const t = await sessions.table(live, ref.schema, ref.table);
      return page(t ? tree.grantNodes(t, ref.grantee) : []);
    }
    case 'policy': {
      const t = await sessions.table(live, ref.schema, ref.table);
      const pol = t?.policies.find((x) => x.name === ref.policy);
      if (!t || !pol) return page([]);
      return page(tree.policyLeaves(pol, tree.flaggedPolicies(await auditIfAny(sessions, live), t).has(pol.name)));
    }
    case 'findings':
      return page(tree.findingNodes(await sessions.auditOf(live)));
    // Read afresh on every expansion: sessions come and go by the second. The idle limit
    // is pgwarden.json's sessions.idleInTransaction, as `pgwarden sessions` reads it.
    case 'sessions':
      return page(sessionsNodes(judgeSessions(await readActivity(live.session), sessionOptions(await sessions.host.config()))));
    case 'sessionGroup':
      return page(sessionGroupNodes(judgeSessions(await readActivity(live.session), sessionOptions(await sessions.host.config())), ref.group));
    case 'drift':
    case 'driftRoot':
    case 'driftGroup':
      return page(await driftChildren(sessions, live, ref));
  }
  return page([]);
}

/** The Drift node: one level per project root when there are several, then the groups, then the findings. */
async function driftChildren(sessions: LiveSessions, live: Live, ref: Extract<DbNodeRef, { kind: 'drift' | 'driftRoot' | 'driftGroup' }>): Promise<DbTreeNode[]> {
  const c = await compareLive(sessions, live);
  noteDriftShown(live, c);
  if (!c.roots.length) return [tree.info('driftNoMigrations', 'No SQL file in the workspace declares roles, grants or policies to compare with', 'info')];
  if (ref.kind === 'drift') {
    if (c.roots.length === 1) return driftGroupNodes(c.roots[0].root, c.roots[0].findings);
    return driftRootNodes(c.roots.map((r) => ({ root: r.root, label: basename(r.root) || r.root, findings: r.findings.length })));
  }
  const root = c.roots.find((r) => r.root === ref.root);
  if (!root) return [tree.info('driftGone', 'This project no longer declares access. Refresh the tree.', 'warning')];
  if (ref.kind === 'driftRoot') return driftGroupNodes(root.root, root.findings);
  return driftEntries(root, ref.group);
}

/** The audit's result when it can be had; a failed audit marks nothing (the Findings node shows why). */
async function auditIfAny(sessions: LiveSessions, live: Live): Promise<AuditResult | undefined> {
  try {
    return await sessions.auditOf(live);
  } catch {
    return undefined;
  }
}

async function roleSection(sessions: LiveSessions, live: Live, role: string, section: string, offset: number, limit: number): Promise<DbChildrenResult> {
  const page = (items: DbTreeNode[]): DbChildrenResult => ({ ok: true, items: items.slice(offset, offset + limit), total: items.length, offset });
  if (section === 'effective') {
    const all = (await sessions.graph(live)).effectivePrivileges(role);
    const rows = await roleRowSecurity(live, role);
    return { ok: true, items: tree.effectiveNodes(role, all.slice(offset, offset + limit), (e) => rows.get(`${e.schema}\u0000${e.table}\u0000${e.privilege}`)), total: all.length, offset };
  }
  const d = await sessions.details(live, role);
  if (!d) return page([]);
  switch (section) {
    case 'memberOf':
      return page(tree.membershipNodes('memberOf', d.memberOf));
    case 'members':
      return page(tree.membershipNodes('members', d.members));
    case 'privileges':
      return page(tree.privilegeNodes(role, d.privileges));
    case 'publicDefaults':
      return page(tree.publicDefaultNodes(role, d.privileges));
    case 'owned':
      return page(tree.ownedNodes(d.owned));
  }
  return page([]);
}
