// The live audit as one self-contained HTML file, to hand to someone who does not run
// pgwarden: findings grouped by area with the pgdsat (CIS), splinter and pgrls checks each
// corresponds to, the role graph as a picture with escalation paths in red, and the checks
// that could not run with the privilege each lacked. No script, no remote reference: the
// page carries a Content-Security-Policy that allows only its own inline style and the
// inline SVG, so it opens the same offline, in a mail client's viewer or an archive.

import { RULE_REFS, type RuleRef } from '../refs';
import { RULES_BY_ID } from '../registry';
import { DOCS_BASE, type Severity } from '../rules';
import type { AuditObjectKind, DbFinding } from './catalog';
import { RoleReach } from './role-graph';
import { escapeXml as esc, roleGraphPicture } from './role-graph-svg';
import type { LiveSnapshot } from './snapshot';

export interface HtmlReportInput {
  findings: readonly DbFinding[];
  skipped: readonly string[];
  notes: readonly string[];
  snapshot: LiveSnapshot;
  /** `user@host:port/database`, never with a password. */
  target: string;
  /** The role the audit ran as. */
  auditedAs: string;
  /** When the audit ran (ISO). */
  generatedAt: string;
  /** pgwarden's version. */
  version: string;
}

/** The areas findings are grouped in, in the order the report shows them. */
export const AREAS = ['Roles and privileges', 'Row-level security', 'Tables, schemas and functions', 'Databases and extensions', 'Server settings', 'Client authentication (pg_hba.conf)', 'Other'] as const;
export type Area = (typeof AREAS)[number];

/** The area of a finding, from its rule id and the kind of object it is on. */
export function areaOf(ruleId: string, kind: AuditObjectKind): Area {
  if (kind === 'hba' || ruleId.startsWith('hba-')) return 'Client authentication (pg_hba.conf)';
  if (/(^|-)(rls|polic(y|ies))(-|$)/.test(ruleId) || ruleId.includes('bypasses-rls')) return 'Row-level security';
  if (kind === 'setting' || ruleId.startsWith('conf-') || ruleId.includes('setting')) return 'Server settings';
  if (kind === 'database' || kind === 'extension') return 'Databases and extensions';
  if (kind === 'role') return 'Roles and privileges';
  if (kind === 'table' || kind === 'schema' || kind === 'function' || kind === 'language') return 'Tables, schemas and functions';
  return 'Other';
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** `CIS 4.3` for a pgdsat check (its ids are the CIS benchmark's items), `splinter 0014`, `pgrls SEC029`. */
export function refLabel(r: RuleRef): string {
  return r.tool === 'pgdsat' ? `CIS / pgdsat ${r.id}` : `${r.tool} ${r.id}`;
}

/** A skipped-check note split into the checks and the reason: "db-a, db-b: why" or "pg_hba rules: why". */
export function splitSkip(note: string): { checks: string; reason: string } {
  const at = note.indexOf(': ');
  return at > 0 ? { checks: note.slice(0, at), reason: note.slice(at + 2) } : { checks: '', reason: note };
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#212121;background:#fafafa;line-height:1.45}
header,main{max-width:1200px;margin:0 auto;padding:16px 24px}
header{background:#263238;color:#fff;max-width:none}
header h1{margin:0 0 8px;font-size:22px}
header dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
header dt{color:#b0bec5}
.summary span{display:inline-block;margin-right:12px;padding:2px 8px;border-radius:10px;background:#eceff1;color:#212121}
h2{border-bottom:2px solid #cfd8dc;padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #e0e0e0;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eceff1}
.sev{font-weight:600;text-transform:uppercase;font-size:12px}
.sev-error{color:#b71c1c}.sev-warning{color:#e65100}.sev-info,.sev-hint{color:#1565c0}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
.refs span{display:inline-block;margin:0 4px 2px 0;padding:0 6px;border:1px solid #b0bec5;border-radius:8px;font-size:12px;white-space:nowrap}
.graph{overflow:auto;border:1px solid #cfd8dc;background:#fff;max-height:80vh}
.paths li{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
`;

export function htmlReport(input: HtmlReportInput): string {
  const { findings, snapshot: s } = input;
  const count = (sev: Severity) => findings.filter((f) => f.severity === sev).length;
  const byArea = new Map<Area, DbFinding[]>();
  for (const f of findings) {
    const a = areaOf(f.ruleId, f.objectKind);
    const list = byArea.get(a);
    if (list) list.push(f);
    else byArea.set(a, [f]);
  }
  const graph = roleGraphPicture(s);
  const me = s.roles.find((r) => r.name === input.auditedAs);
  const reach = new RoleReach(s.roles, s.memberships, s.serverMajor);
  const holds = (predefined: string) => input.auditedAs === predefined || reach.pathsTo((r) => r.name === predefined, true)(input.auditedAs) !== undefined;
  const vantage = me?.superuser
    ? 'superuser: every check could read what it needs'
    : ['pg_monitor', 'pg_read_all_settings', 'pg_read_all_stats'].filter(holds).join(', ') || 'an ordinary role (no pg_monitor or pg_read_all_settings)';
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // Nothing but the page's own style: no script, no fetch, no remote image or font.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>pgwarden audit: ${esc(input.target)}</title>`,
    `<style>${CSS}</style></head><body>`,
    '<header><h1>pgwarden live audit</h1><dl>',
    `<dt>Database</dt><dd><code>${esc(input.target)}</code></dd>`,
    `<dt>Server</dt><dd>PostgreSQL ${s.serverMajor}</dd>`,
    `<dt>Audited as</dt><dd><code>${esc(input.auditedAs)}</code>, ${esc(vantage)}</dd>`,
    `<dt>When</dt><dd>${esc(input.generatedAt)}</dd>`,
    `<dt>By</dt><dd>pgwarden ${esc(input.version)}</dd>`,
    '</dl></header><main>',
    `<p class="summary"><span class="sev-error">${count('error')} error(s)</span><span class="sev-warning">${count('warning')} warning(s)</span><span class="sev-info">${count('info') + count('hint')} info</span><span>${input.skipped.length} check(s) not run</span></p>`,
  );
  out.push('<nav><ul>');
  for (const a of AREAS) if (byArea.has(a)) out.push(`<li><a href="#${slug(a)}">${esc(a)}</a> (${byArea.get(a)?.length})</li>`);
  out.push('<li><a href="#role-graph">Role graph</a></li><li><a href="#not-run">Checks that could not run</a></li></ul></nav>');
  if (!findings.length) out.push('<p>No findings.</p>');
  for (const a of AREAS) {
    const list = byArea.get(a);
    if (!list) continue;
    list.sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || (x.ruleId < y.ruleId ? -1 : x.ruleId > y.ruleId ? 1 : 0) || (x.object < y.object ? -1 : 1));
    out.push(`<section id="${slug(a)}"><h2>${esc(a)} (${list.length})</h2><table><thead><tr><th>Severity</th><th>Rule</th><th>Object</th><th>Finding</th><th>Corresponds to</th></tr></thead><tbody>`);
    for (const f of list) {
      const refs = RULE_REFS[f.ruleId] ?? [];
      const where = f.file !== undefined ? `${f.file}:${f.line ?? 1}` : f.object;
      out.push(
        `<tr class="finding" data-rule="${esc(f.ruleId)}"><td class="sev sev-${f.severity}">${f.severity}</td><td>${RULES_BY_ID.has(f.ruleId) ? `<a href="${DOCS_BASE}${esc(f.ruleId)}.md"><code>${esc(f.ruleId)}</code></a>` : `<code>${esc(f.ruleId)}</code>`}</td><td><code>${esc(where)}</code></td><td>${esc(f.message)}</td><td class="refs">${refs.map((r) => `<span title="${esc(r.title)}">${esc(refLabel(r))}</span>`).join('')}</td></tr>`,
      );
    }
    out.push('</tbody></table></section>');
  }
  out.push(
    '<section id="role-graph"><h2>Role graph</h2>',
    `<p>Roles as boxes, memberships as arrows from the member to the role it belongs to (dashed: a 16+ grant without SET or INHERIT). ${graph.drawn} role(s) drawn${
      graph.omitted ? `; ${graph.omitted} more take part in memberships but are left out to keep the picture readable (kept: escalation paths, superusers, BYPASSRLS roles)` : ''
    }.</p>`,
    `<div class="graph">${graph.svg}</div>`,
  );
  if (graph.pathLines.length) {
    out.push(`<h3>Escalation paths (${graph.pathLines.length})</h3><ul class="paths">`);
    for (const l of graph.pathLines) out.push(`<li>${esc(l)}</li>`);
    out.push('</ul>');
  } else out.push('<p>No login role can reach a superuser or a BYPASSRLS role through its memberships.</p>');
  out.push('</section><section id="not-run"><h2>Checks that could not run</h2>');
  if (input.skipped.length) {
    out.push('<table><thead><tr><th>Checks</th><th>Why, and what they need</th></tr></thead><tbody>');
    for (const note of input.skipped) {
      const { checks, reason } = splitSkip(note);
      out.push(`<tr class="not-run"><td><code>${esc(checks)}</code></td><td>${esc(reason)}</td></tr>`);
    }
    out.push('</tbody></table>');
  } else out.push(`<p>Every check ran: <code>${esc(input.auditedAs)}</code> could read everything they need.</p>`);
  if (input.notes.length) {
    out.push('<h3>Ran with less</h3><ul>');
    for (const n of input.notes) out.push(`<li>${esc(n)}</li>`);
    out.push('</ul>');
  }
  out.push('</section></main></body></html>');
  return out.join('\n') + '\n';
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
