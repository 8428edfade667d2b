// The role graph as a picture: roles as boxes, memberships as arrows from member to role,
// superusers and BYPASSRLS roles marked, escalation paths drawn in red. A plain layered
// layout computed here (no layout library): each role sits one row above the highest of
// its members, rows are ordered by the mean position of the members below, and a long
// row wraps. The SVG uses presentation attributes only (no style attributes, no script,
// no remote reference), so it is safe inside the HTML report and under a webview's strict
// Content-Security-Policy alike.

import { escalationPaths, pathText, RoleReach, type EscalationPath } from './role-graph';
import type { LiveSnapshot, SnapshotMembership, SnapshotRole } from './snapshot';

export interface RoleGraphPicture {
  svg: string;
  /** Roles drawn, and roles that take part in memberships but were left out to keep the picture readable. */
  drawn: number;
  omitted: number;
  paths: EscalationPath[];
  /** The paths as text, one line each: `alice -> ops (SET ROLE) -> postgres (SET ROLE)`. */
  pathLines: string[];
}

/** Past this many roles the picture keeps only the roles on escalation paths and the privileged ones. */
export const MAX_DRAWN = 250;
const ROW_WRAP = 14;
const BOX_H = 26;
const ROW_GAP = 70;
const COL_GAP = 18;
const CHAR_W = 7.2;
const MARGIN = 20;
/** Wide enough for the legend along the bottom. */
const LEGEND_W = 700;

const COLORS = {
  superuser: '#b71c1c',
  bypassrls: '#e65100',
  login: '#e3f2fd',
  group: '#f5f5f5',
  predefined: '#ede7f6',
  edge: '#90a4ae',
  path: '#d50000',
  text: '#212121',
  onDark: '#ffffff',
};

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * Which roles the picture shows: every role that takes part in a membership or is a
 * superuser or BYPASSRLS, except predefined roles nobody was granted. With more than
 * MAX_DRAWN such roles, only the roles on escalation paths, superusers, BYPASSRLS roles
 * and the predefined roles with members are kept, so the picture stays readable.
 */
function chooseRoles(s: Pick<LiveSnapshot, 'roles' | 'memberships'>, paths: readonly EscalationPath[]): { keep: Set<string>; candidates: number } {
  const inEdge = new Set<string>();
  const hasMembers = new Set<string>();
  for (const m of s.memberships) {
    inEdge.add(m.member);
    inEdge.add(m.role);
    hasMembers.add(m.role);
  }
  const privileged = (r: SnapshotRole) => (r.superuser || r.bypassrls) && !r.predefined;
  const all = s.roles.filter((r) => (r.predefined ? hasMembers.has(r.name) : inEdge.has(r.name) || privileged(r)));
  if (all.length <= MAX_DRAWN) return { keep: new Set(all.map((r) => r.name)), candidates: all.length };
  const keep = new Set<string>();
  for (const p of paths) {
    keep.add(p.from);
    for (const st of p.steps) keep.add(st.role);
  }
  for (const r of s.roles) if (privileged(r)) keep.add(r.name);
  return { keep: new Set([...keep].slice(0, MAX_DRAWN)), candidates: all.length };
}

export function roleGraphPicture(s: Pick<LiveSnapshot, 'roles' | 'memberships' | 'serverMajor'>): RoleGraphPicture {
  const paths = escalationPaths(new RoleReach(s.roles, s.memberships, s.serverMajor));
  const { keep: chosen, candidates } = chooseRoles(s, paths);
  const roles = s.roles.filter((r) => chosen.has(r.name));
  const edges = s.memberships.filter((m) => chosen.has(m.member) && chosen.has(m.role));
  const onPath = new Set<string>();
  const pathEdges = new Set<string>();
  for (const p of paths) {
    if (!chosen.has(p.from)) continue;
    onPath.add(p.from);
    let prev = p.from;
    for (const st of p.steps) {
      onPath.add(st.role);
      pathEdges.add(`${prev}\u0000${st.role}`);
      prev = st.role;
    }
  }
  const { svg } = draw(roles, edges, onPath, pathEdges);
  return { svg, drawn: roles.length, omitted: candidates - roles.length, paths, pathLines: paths.map(pathText) };
}

interface Placed {
  role: SnapshotRole;
  x: number;
  y: number;
  w: number;
}

function draw(roles: readonly SnapshotRole[], edges: readonly SnapshotMembership[], onPath: Set<string>, pathEdges: Set<string>): { svg: string } {
  // Level: 0 for a role with no members drawn; otherwise one above its highest member.
  const membersOf = new Map<string, string[]>();
  for (const e of edges) {
    const list = membersOf.get(e.role);
    if (list) list.push(e.member);
    else membersOf.set(e.role, [e.member]);
  }
  const level = new Map<string, number>();
  const levelOf = (name: string, seen: Set<string>): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    // pg_auth_members has no cycles; the guard only keeps bad input from recursing forever.
    if (seen.has(name)) return 0;
    seen.add(name);
    let l = 0;
    for (const m of membersOf.get(name) ?? []) l = Math.max(l, levelOf(m, seen) + 1);
    level.set(name, l);
    return l;
  };
  for (const r of roles) levelOf(r.name, new Set());
  const top = Math.max(0, ...level.values());
  // Rows from the bottom (members) up; each level may wrap into several rows.
  const byLevel: SnapshotRole[][] = Array.from({ length: top + 1 }, () => []);
  for (const r of roles) byLevel[level.get(r.name) ?? 0].push(r);
  const xOf = new Map<string, number>();
  const width = (r: SnapshotRole) => Math.round(r.name.length * CHAR_W + 20 + (r.superuser || r.bypassrls ? 18 : 0));
  const rows: Placed[][] = [];
  for (let l = 0; l <= top; l++) {
    const list = byLevel[l];
    // Order by the mean position of the members already placed (the row below), then by name.
    const mean = (r: SnapshotRole) => {
      const xs = (membersOf.get(r.name) ?? []).map((m) => xOf.get(m)).filter((x): x is number => x !== undefined);
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Infinity;
    };
    const keyed = list.map((r) => ({ r, k: mean(r) })).sort((a, b) => a.k - b.k || (a.r.name < b.r.name ? -1 : a.r.name > b.r.name ? 1 : 0));
    for (let i = 0; i < keyed.length; i += ROW_WRAP) {
      let x = MARGIN;
      const row: Placed[] = [];
      for (const { r } of keyed.slice(i, i + ROW_WRAP)) {
        const w = width(r);
        row.push({ role: r, x, y: 0, w });
        xOf.set(r.name, x + w / 2);
        x += w + COL_GAP;
      }
      rows.push(row);
    }
  }
  // The bottom row is drawn last (lowest on the page): members below the roles they belong to.
  const height = MARGIN * 2 + Math.max(1, rows.length) * (BOX_H + ROW_GAP) - ROW_GAP + 30;
  rows.forEach((row, i) => {
    for (const p of row) p.y = height - MARGIN - 30 - (i + 1) * BOX_H - i * ROW_GAP;
  });
  const placed = new Map<string, Placed>();
  for (const row of rows) for (const p of row) placed.set(p.role.name, p);
  const svgWidth = Math.max(LEGEND_W, ...rows.map((row) => (row.length ? row[row.length - 1].x + row[row.length - 1].w + MARGIN : 0)));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="role-graph" width="${svgWidth}" height="${height}" viewBox="0 0 ${svgWidth} ${height}" role="img" aria-label="Role graph: ${roles.length} roles, ${edges.length} memberships">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${COLORS.edge}"/></marker>` +
      `<marker id="arrow-path" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${COLORS.path}"/></marker></defs>`,
    `<rect x="0" y="0" width="${svgWidth}" height="${height}" fill="#ffffff"/>`,
  );
  // Edges first, so boxes cover their ends; highlighted ones last, so they are on top.
  const sorted = [...edges].sort((a, b) => Number(pathEdges.has(`${a.member}\u0000${a.role}`)) - Number(pathEdges.has(`${b.member}\u0000${b.role}`)));
  for (const e of sorted) {
    const from = placed.get(e.member);
    const to = placed.get(e.role);
    if (!from || !to) continue;
    const hot = pathEdges.has(`${e.member}\u0000${e.role}`);
    const opts = [e.admin ? 'ADMIN' : '', e.inherit ? 'INHERIT' : '', e.set ? 'SET' : ''].filter(Boolean).join(', ') || 'no INHERIT, no SET';
    out.push(
      `<line class="${hot ? 'edge escalation' : 'edge'}" x1="${from.x + from.w / 2}" y1="${from.y}" x2="${to.x + to.w / 2}" y2="${to.y + BOX_H}" stroke="${hot ? COLORS.path : COLORS.edge}" stroke-width="${hot ? 3 : 1.2}"${e.set || e.admin ? '' : ' stroke-dasharray="4 3"'} marker-end="url(#${hot ? 'arrow-path' : 'arrow'})"><title>${escapeXml(`${e.member} is a member of ${e.role} (${opts})`)}</title></line>`,
    );
  }
  for (const p of placed.values()) {
    const r = p.role;
    const fill = r.superuser ? COLORS.superuser : r.bypassrls ? COLORS.bypassrls : r.predefined ? COLORS.predefined : r.login ? COLORS.login : COLORS.group;
    const dark = r.superuser || r.bypassrls;
    const marks = [r.superuser ? 'SUPERUSER' : '', r.bypassrls ? 'BYPASSRLS' : '', r.login ? 'LOGIN' : 'NOLOGIN', r.predefined ? 'predefined' : ''].filter(Boolean).join(', ');
    const hot = onPath.has(r.name);
    const cls = ['role', r.superuser ? 'superuser' : '', r.bypassrls ? 'bypassrls' : '', r.login ? 'login' : '', hot ? 'escalation' : ''].filter(Boolean).join(' ');
    out.push(
      `<g class="${cls}" data-role="${escapeXml(r.name)}"><title>${escapeXml(`${r.name}: ${marks}`)}</title>` +
        `<rect x="${p.x}" y="${p.y}" width="${p.w}" height="${BOX_H}" rx="${r.login ? 13 : 3}" fill="${fill}" stroke="${hot ? COLORS.path : '#607d8b'}" stroke-width="${hot ? 3 : 1}"/>` +
        `<text x="${p.x + 10}" y="${p.y + 17}" font-family="system-ui, sans-serif" font-size="12" fill="${dark ? COLORS.onDark : COLORS.text}">${escapeXml(r.name)}${r.superuser ? ' \u2605' : r.bypassrls ? ' \u26A0' : ''}</text></g>`,
    );
  }
  const legend: Array<[string, string, string]> = [
    [COLORS.superuser, '#607d8b', 'superuser \u2605'],
    [COLORS.bypassrls, '#607d8b', 'BYPASSRLS \u26A0'],
    [COLORS.login, '#607d8b', 'login role'],
    [COLORS.group, '#607d8b', 'group role'],
    [COLORS.predefined, '#607d8b', 'predefined role'],
    ['#ffffff', COLORS.path, 'escalation path'],
  ];
  let lx = MARGIN;
  const ly = height - 22;
  for (const [fill, stroke, label] of legend) {
    out.push(`<rect x="${lx}" y="${ly}" width="14" height="14" fill="${fill}" stroke="${stroke}" stroke-width="2"/><text x="${lx + 19}" y="${ly + 12}" font-family="system-ui, sans-serif" font-size="11" fill="${COLORS.text}">${escapeXml(label)}</text>`);
    lx += 30 + label.length * 6.5;
  }
  out.push('</svg>');
  return { svg: out.join('\n') };
}
