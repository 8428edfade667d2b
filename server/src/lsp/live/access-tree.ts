// The tree's "Who can access" under a table: one node per role with its privileges, the
// path giving them and what row-level security leaves of the rows, and under it one leaf
// per privilege. Pure: the judgement is core/live/row-access.ts, the words
// core/live/access-report.ts, so the tree, `pgwarden access` and the exports agree.

import { holdingText, verdictText } from '../../core/live/access-report';
import type { TableInfo } from '../../core/live/catalog';
import type { AccessEntry, RowVerdict } from '../../core/live/row-access';
import type { DbTreeNode } from '../../shared/protocol';

/** The section node under a table. */
export function accessSectionNode(t: Pick<TableInfo, 'schema' | 'name' | 'owner' | 'kind'>): DbTreeNode {
  return {
    id: 'access',
    label: 'Who can access',
    icon: 'eye',
    tooltip: `Every role holding a privilege on ${t.schema}.${t.name}, the path that gives it, and what row-level security leaves of the rows for it (policies applying, none, or bypassed by a superuser, BYPASSRLS or the owner ${t.owner} while RLS is not forced).`,
    expandable: true,
    ref: { kind: 'tableSection', schema: t.schema, table: t.name, section: 'access' },
    contextValue: 'access',
    table: { schema: t.schema, name: t.name },
  };
}

/** Every row: nothing filters what the role reads or writes. */
const everyRow = (v: RowVerdict | undefined) => v !== undefined && (v.kind === 'off' || v.kind === 'bypassed' || (v.kind === 'policies' && v.rows === 'all'));
const noRow = (v: RowVerdict | undefined) => v !== undefined && (v.kind === 'none' || (v.kind === 'policies' && v.rows === 'none'));

/** The one value every entry shares, or `differs`. */
function shared(values: string[], differs: string): string {
  return values.every((v) => v === values[0]) ? values[0] : differs;
}

/** One node per role, in name order; the table's privileges grouped under it. */
export function accessRoleNodes(t: Pick<TableInfo, 'schema' | 'name'>, entries: readonly AccessEntry[]): DbTreeNode[] {
  const byRole = new Map<string, AccessEntry[]>();
  for (const e of entries) byRole.set(e.role, [...(byRole.get(e.role) ?? []), e]);
  if (!byRole.size) return [{ id: 'nobody', label: 'No role holds a privilege here', icon: 'info', expandable: false, contextValue: 'info' }];
  return [...byRole.entries()].map(([role, list]) => {
    // RLS governs data; the summary speaks of the privileges it governs when there are any.
    const rows = list.filter((e) => e.rls);
    const path = shared(list.map((e) => holdingText(e.holding)), 'paths differ by privilege');
    const rls = rows.length ? shared(rows.map((e) => verdictText(e.rls, e.privilege)), 'RLS differs by privilege') : 'RLS does not apply';
    const viaPublic = list.some((e) => e.holding.kind === 'public');
    return {
      id: `access:${role}`,
      label: role,
      description: `${list.map((e) => e.privilege).join(', ')} · ${path} · ${rls}`,
      tooltip: [`${role} on ${t.schema}.${t.name}:`, ...list.map((e) => `${e.privilege}: ${holdingText(e.holding)}; ${verdictText(e.rls, e.privilege)}`)].join('\n'),
      icon: list.some((e) => e.holding.kind === 'superuser') ? 'star-full' : viaPublic ? 'globe' : 'person',
      // Every row through PUBLIC is the grant a reviewer looks for first.
      warning: viaPublic && rows.some((e) => e.holding.kind === 'public' && everyRow(e.rls)),
      expandable: true,
      ref: { kind: 'accessRole', schema: t.schema, table: t.name, role },
      contextValue: 'accessRole',
      role: role === 'PUBLIC' ? undefined : role,
    };
  });
}

/** One leaf per privilege of one role: the path, then the rows. */
export function accessLeaves(role: string, entries: readonly AccessEntry[]): DbTreeNode[] {
  return entries
    .filter((e) => e.role === role)
    .map((e) => ({
      id: `access:${role}:${e.privilege}`,
      label: e.privilege,
      description: `${holdingText(e.holding)} · ${verdictText(e.rls, e.privilege)}`,
      tooltip: `${role} holds ${e.privilege} on ${e.schema}.${e.table}: ${holdingText(e.holding)}.\nRow-level security: ${verdictText(e.rls, e.privilege)}.`,
      icon: !e.rls ? 'key' : everyRow(e.rls) ? 'eye' : noRow(e.rls) ? 'circle-slash' : 'filter',
      expandable: false,
      contextValue: 'accessPrivilege',
    }));
}
