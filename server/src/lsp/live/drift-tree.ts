// The Drift node's presenter: drift findings in, tree nodes out. Grouped by kind of access,
// a count on each group; each entry names what differs and both states (declared, live),
// its tooltip the full message, and a click opens the declaring statement (for something
// only the database has, the statement creating its object), as `pgwarden drift` places it.

import { findingAnchor } from '../../core/drift/anchor';
import { describeFact, DriftFinding } from '../../core/drift/compare';
import type { Fact, FactKind } from '../../core/drift/facts';
import type { DbTreeNode, DriftGroup, DriftPlace } from '../../shared/protocol';
import { info } from './tree';

export const DRIFT_NODE: DbTreeNode = {
  id: 'drift',
  label: 'Drift',
  icon: 'diff',
  expandable: true,
  ref: { kind: 'drift' },
  contextValue: 'drift',
  tooltip: 'Declared versus live: the access the workspace\'s migrations declare, compared with this database (as `pgwarden drift` compares them).',
};

const GROUPS: ReadonlyArray<{ group: DriftGroup; label: string; icon: string; kinds: readonly FactKind[] }> = [
  { group: 'grants', label: 'Grants', icon: 'key', kinds: ['privilege'] },
  { group: 'memberships', label: 'Memberships', icon: 'organization', kinds: ['membership', 'membership option'] },
  { group: 'roles', label: 'Roles and attributes', icon: 'person', kinds: ['role', 'attribute'] },
  { group: 'owners', label: 'Owners', icon: 'account', kinds: ['owner'] },
  { group: 'rls', label: 'Row-level security', icon: 'lock', kinds: ['rls'] },
  { group: 'policies', label: 'Policies', icon: 'law', kinds: ['policy', 'policy expression'] },
  { group: 'defaults', label: 'Default privileges', icon: 'symbol-property', kinds: ['default privilege'] },
  { group: 'functions', label: 'Functions', icon: 'symbol-function', kinds: ['security definer', 'function search_path'] },
  { group: 'views', label: 'Views', icon: 'eye', kinds: ['security invoker'] },
  { group: 'objects', label: 'Objects', icon: 'symbol-class', kinds: ['object'] },
];

export function driftGroupOf(kind: FactKind): DriftGroup {
  return GROUPS.find((g) => g.kinds.includes(kind))?.group ?? 'objects';
}

/** What one side holds, in a word or two: `granted`, `SUPERUSER`, `enabled`, `none`, a policy's live expression. */
export function stateOf(f: Fact | undefined): string {
  if (!f) return 'none';
  switch (f.kind) {
    case 'role':
    case 'object':
      return 'exists';
    case 'membership':
      return 'member';
    case 'membership option':
      return f.on ? 'on' : 'off';
    case 'rls':
      return f.forced ? 'forced' : 'enabled';
    case 'security invoker':
    case 'security definer':
      return 'on';
    case 'default privilege':
      return f.revoked ? 'revoked' : f.value ?? 'granted';
    // The database's as pg_get_expr writes it; the migrations' is the statement's own text.
    case 'policy expression':
      return f.text === undefined ? 'as written' : f.text.length > 60 ? `${f.text.slice(0, 59)}…` : f.text;
    default:
      return f.value ?? 'present';
  }
}

/** The project roots, when the workspace holds several. */
export function driftRootNodes(roots: ReadonlyArray<{ root: string; label: string; findings: number }>): DbTreeNode[] {
  return roots.map((r) => ({
    id: `driftRoot:${r.root}`,
    label: r.label,
    description: String(r.findings),
    tooltip: `${r.findings} difference(s) between the migrations under ${r.root} and this database`,
    icon: 'folder',
    warning: r.findings > 0,
    expandable: r.findings > 0,
    ref: { kind: 'driftRoot', root: r.root },
    contextValue: 'driftRoot',
  }));
}

/** The groups of one root's findings, with their counts; one info node when there is no drift. */
export function driftGroupNodes(root: string, findings: readonly DriftFinding[]): DbTreeNode[] {
  if (!findings.length) return [info('driftNone', 'No drift: the database has the access the migrations declare', 'pass')];
  const counts = new Map<DriftGroup, number>();
  for (const f of findings) counts.set(driftGroupOf(f.kind), (counts.get(driftGroupOf(f.kind)) ?? 0) + 1);
  return GROUPS.filter((g) => counts.has(g.group)).map((g) => ({
    id: `driftGroup:${g.group}`,
    label: g.label,
    description: String(counts.get(g.group)),
    icon: g.icon,
    warning: true,
    expandable: true,
    ref: { kind: 'driftGroup', root, group: g.group },
    contextValue: 'driftGroup',
  }));
}

const DIRECTION_ICON: Record<DriftFinding['direction'], string> = { 'live-only': 'diff-added', 'declared-only': 'diff-removed', changed: 'diff-modified' };
const DIRECTION_TEXT: Record<DriftFinding['direction'], string> = {
  'live-only': 'only in the database',
  'declared-only': 'declared, not in the database',
  changed: 'differs',
};

/**
 * The findings of one group. `declared`: the root's declared facts by key (for placing
 * live-only findings); `places`: each declared fact's statement; `display` renders a place
 * for the tooltip (`migrations/001.sql:12`).
 */
export function driftEntryNodes(
  group: DriftGroup,
  findings: readonly DriftFinding[],
  declared: ReadonlyMap<string, Fact>,
  places: Readonly<Record<string, DriftPlace>>,
  display: (p: DriftPlace) => string,
): DbTreeNode[] {
  return findings
    .filter((f) => driftGroupOf(f.kind) === group)
    .map((f) => {
      const fact = (f.declared ?? f.live)!;
      const anchor = findingAnchor(f, declared);
      const location = anchor ? places[anchor.key] : undefined;
      const where = location ? `\n${f.declared ? 'Declared at' : 'Its object is created at'} ${display(location)}` : '\nNo workspace file creates it.';
      return {
        id: `drift:${f.key}`,
        label: describeFact(fact),
        description: `declared: ${stateOf(f.declared)} · live: ${stateOf(f.live)}`,
        tooltip: `${f.message} (${DIRECTION_TEXT[f.direction]})${where}`,
        icon: DIRECTION_ICON[f.direction],
        warning: f.direction !== 'declared-only',
        expandable: false,
        contextValue: 'driftFinding',
        ...(location ? { location } : {}),
      };
    });
}
