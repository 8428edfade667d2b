// The words and tables of "who can access": one rendering of row-access.ts's answer for
// `pgwarden access` (text, Markdown, CSV) and the editor's tree and exports, so a row
// reads the same everywhere.

import type { TableInfo } from './catalog';
import type { AccessEntry, Holding, RowVerdict } from './row-access';
import { rlsLabel } from './rls';

/** A report's heading for one table: its RLS state and owner, which the rows depend on. */
export function tableTitle(t: Pick<TableInfo, 'schema' | 'name' | 'kind' | 'owner' | 'rls' | 'forceRls' | 'policies' | 'policiesUnreadable'>): string {
  const n = t.policies.length;
  const policies = t.policiesUnreadable ? 'policies not readable' : `${n} ${n === 1 ? 'policy' : 'policies'}`;
  const state = t.kind === 'view' || t.kind === 'materialized view' ? t.kind : `${rlsLabel(t.rls, t.forceRls)}, ${policies}`;
  return `Who can access ${t.schema}.${t.name} (${state}, owner ${t.owner})`;
}

/** How the role holds the privilege, as a short phrase. */
export function holdingText(h: Holding): string {
  switch (h.kind) {
    case 'superuser':
      return 'superuser';
    case 'owner':
      return h.via.length ? `via ${h.via.join(' → ')} (the owner)` : 'owner';
    case 'direct':
      return 'granted to it';
    case 'predefined':
      return 'predefined role: every table';
    case 'public':
      return 'PUBLIC';
    case 'member':
      return `via ${h.via.join(' → ')}`;
    case 'setRole':
      return `only after SET ROLE ${h.via.join(' → ')} (not inherited), then ${holdingText(h.then)}`;
  }
}

const BYPASS: Record<'superuser' | 'bypassrls' | 'owner', string> = {
  superuser: 'superuser',
  bypassrls: 'BYPASSRLS',
  owner: 'owner, RLS not forced',
};

/** What row-level security leaves of the rows for this privilege, as a short phrase. */
export function verdictText(v: RowVerdict | undefined, privilege: string): string {
  if (!v) return privilege === 'TRUNCATE' ? 'RLS does not apply: empties the table' : 'RLS does not apply';
  switch (v.kind) {
    case 'off':
      return 'RLS off: every row';
    case 'notTable':
      return `${v.relkind}: no RLS of its own`;
    case 'bypassed':
      return `bypassed (${BYPASS[v.by]}): every row`;
    case 'unknown':
      return 'RLS on: policies not readable by this session';
    case 'none': {
      const effect = privilege === 'SELECT' ? 'sees 0 rows' : privilege === 'INSERT' ? 'cannot insert' : `${privilege === 'UPDATE' ? 'updates' : 'deletes'} 0 rows`;
      return `no permissive policy applies: ${effect}`;
    }
    case 'policies': {
      // Permissive policies are ORed, restrictive ones ANDed onto that.
      const anyOf = v.permissive.length > 1 && v.restrictive.length ? `(${v.permissive.join(' OR ')})` : v.permissive.join(' OR ');
      const rows = v.rows === 'all' ? 'every row' : v.rows === 'none' ? 'no row' : 'filtered';
      return `${rows}: ${[anyOf, ...v.restrictive.map((r) => `RESTRICTIVE ${r}`)].join(' AND ')}`;
    }
  }
}

export type AccessFormat = 'text' | 'markdown' | 'csv';
export const ACCESS_FORMATS: readonly AccessFormat[] = ['text', 'markdown', 'csv'];

/**
 * The rows of a report: `by` 'table' lists the roles of one table, 'role' the tables of
 * one role. Columns: who (role or table), privilege, path, row-level security.
 */
export function accessTable(entries: readonly AccessEntry[], by: 'table' | 'role'): { header: string[]; rows: string[][] } {
  return {
    header: [by === 'table' ? 'Role' : 'Table', 'Privilege', 'Path', 'Row-level security'],
    rows: entries.map((e) => [by === 'table' ? e.role : `${e.schema}.${e.table}`, e.privilege, holdingText(e.holding), verdictText(e.rls, e.privilege)]),
  };
}

/** A Markdown table cell: pipes escaped, line breaks flattened (role names may hold either). */
function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/**
 * A CSV field (RFC 4180). A field a spreadsheet would run as a formula (=, +, -, @, tab,
 * carriage return first) is prefixed with a quote: role and table names come from the
 * database, and anyone allowed to create a role chooses its name.
 */
function csvField(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The report in a format: `title` is its heading (Markdown, text) and is left out of CSV. */
export function renderAccess(title: string, entries: readonly AccessEntry[], by: 'table' | 'role', format: AccessFormat): string {
  const { header, rows } = accessTable(entries, by);
  if (format === 'csv') return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
  if (format === 'markdown') {
    const lines = [`# ${mdCell(title)}`, ''];
    if (!rows.length) lines.push('No role holds a privilege here.');
    else lines.push(`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`));
    return lines.join('\n') + '\n';
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [title, ...(rows.length ? [line(header), ...rows.map(line)] : ['  no role holds a privilege here'])].join('\n') + '\n';
}
