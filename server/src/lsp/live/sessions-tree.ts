// The Sessions node of a connection's tree: who is connected now, from the judgement in
// core/live/activity.ts. A pure presenter, like ./tree.ts; ./browse.ts reads the rows.

import type { ActivityRow, SessionsReport } from '../../core/live/activity';
import type { DbTreeNode, SessionGroup } from '../../shared/protocol';

export const SESSIONS_NODE: DbTreeNode = {
  id: 'sessions',
  label: 'Sessions',
  icon: 'plug',
  expandable: true,
  ref: { kind: 'sessions' },
  contextValue: 'sessions',
  tooltip: 'Who is connected now (pg_stat_activity with pg_stat_ssl), read when opened.',
};

const GROUPS: Array<[Exclude<SessionGroup, 'flags' | 'list'>, string, string, keyof SessionsReport]> = [
  ['role', 'By role', 'person', 'byRole'],
  ['database', 'By database', 'database', 'byDatabase'],
  ['client', 'By client', 'globe', 'byClient'],
  ['application', 'By application', 'window', 'byApplication'],
];

/** The node's children: a summary, what PostgreSQL hides, what to look at, the counts, the list. */
export function sessionsNodes(r: SessionsReport): DbTreeNode[] {
  const out: DbTreeNode[] = [
    {
      id: 'sessions:summary',
      label: `${r.clients} client session${r.clients === 1 ? '' : 's'}, ${r.capacity.used} of ${r.capacity.max} connections`,
      description: r.others ? `${r.others} other process${r.others === 1 ? '' : 'es'}` : undefined,
      icon: 'pulse',
      expandable: false,
      contextValue: 'info',
    },
  ];
  if (r.hidden.why) {
    out.push({ id: 'sessions:hidden', label: `${r.hidden.count} hidden`, description: 'needs pg_read_all_stats', tooltip: r.hidden.why, icon: 'eye-closed', warning: true, expandable: false, contextValue: 'info' });
  }
  out.push({
    id: 'sessions:flags',
    label: 'To look at',
    description: String(r.flags.length),
    icon: r.flags.length ? 'warning' : 'pass',
    warning: r.flags.some((f) => f.severity === 'warning'),
    expandable: r.flags.length > 0,
    expanded: r.flags.length > 0,
    ref: { kind: 'sessionGroup', group: 'flags' },
    contextValue: 'sessionGroup',
  });
  for (const [group, label, icon, field] of GROUPS) {
    const rows = r[field] as Array<{ key: string; count: number }>;
    out.push({ id: `sessions:${group}`, label, description: String(rows.length), icon, expandable: rows.length > 0, ref: { kind: 'sessionGroup', group }, contextValue: 'sessionGroup' });
  }
  out.push({ id: 'sessions:list', label: 'All sessions', description: String(r.rows.length), icon: 'list-flat', expandable: r.rows.length > 0, ref: { kind: 'sessionGroup', group: 'list' }, contextValue: 'sessionGroup' });
  return out;
}

/** A group's children. `list` is the long one: the caller pages it. */
export function sessionGroupNodes(r: SessionsReport, group: SessionGroup): DbTreeNode[] {
  if (group === 'flags') {
    return r.flags.map((f, i) => ({
      id: `sessions:flag:${f.kind}:${f.pid ?? f.role ?? i}`,
      label: f.message,
      tooltip: f.message,
      icon: f.severity === 'warning' ? 'warning' : 'info',
      warning: f.severity === 'warning',
      expandable: false,
      contextValue: 'sessionFlag',
      role: f.role,
    }));
  }
  if (group === 'list') return r.rows.map(sessionNode);
  const field = GROUPS.find(([g]) => g === group)?.[3];
  const rows = field ? (r[field] as Array<{ key: string; count: number }>) : [];
  return rows.map(({ key, count }) => ({ id: `sessions:${group}:${key}`, label: key, description: String(count), icon: group === 'client' && key === 'hidden' ? 'eye-closed' : 'circle-small', expandable: false, contextValue: 'sessionCount', role: group === 'role' ? key : undefined }));
}

function sessionNode(s: ActivityRow): DbTreeNode {
  if (!s.visible) {
    return { id: `session:${s.pid}`, label: `${s.pid} ${s.role ?? '?'}@${s.database ?? '?'}`, description: 'hidden', tooltip: 'PostgreSQL shows this session in full only to its own role, superusers and members of pg_read_all_stats.', icon: 'eye-closed', expandable: false, contextValue: 'session' };
  }
  const from = s.clientAddr ?? 'local socket';
  const tls = s.clientAddr === null ? '' : s.ssl ? `, ${s.sslVersion ?? 'TLS'}` : ', no TLS';
  return {
    id: `session:${s.pid}`,
    label: `${s.pid} ${s.role ?? '?'}@${s.database ?? '?'}`,
    description: `${s.state ?? '?'}, ${from}${tls}${s.application ? `, ${s.application}` : ''}`,
    icon: s.superuser ? 'star-full' : 'person',
    warning: s.superuser,
    expandable: false,
    contextValue: 'session',
    role: s.role ?? undefined,
  };
}
