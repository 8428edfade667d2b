// The pg_hba and pg_ident adapter of the live audit: the server's own records
// (pg_hba_file_rules, pg_ident_file_mappings) rebuilt as file text, one text per file with
// each record on its own line number, and judged by the same rules as a file in the
// editor; the server's ident maps judge the pg_hba records with map=. Findings carry the
// server's file and line (objectKind 'hba' for both files: a line of an auth file).

import ipaddr from 'ipaddr.js';
import { PgwardenConfig } from '../config';
import { lintHba } from '../hba/lint';
import { lintIdent } from '../ident/lint';
import type { IdentFact } from '../ident/rule';
import { Finding } from '../rules';
import { LineIndex } from '../text';
import { Workspace } from '../workspace';
import type { RawLiveFinding } from './audit';

/** One row of pg_hba_file_rules. */
export interface HbaRow {
  line: number;
  file: string;
  type: string | null;
  database: string[] | null;
  user: string[] | null;
  address: string | null;
  netmask: string | null;
  method: string | null;
  options: string[] | null;
  error: string | null;
}

/**
 * Rebuilds one pg_hba.conf text per file from the server's records, each record on its
 * own line number, so the pg_hba rules report the lines the server reports. The view
 * has dropped the original quoting, so names are re-quoted where they need it.
 */
export function hbaTexts(rows: readonly HbaRow[]): Map<string, string> {
  const byFile = new Map<string, string[]>();
  for (const r of rows) {
    if (!r.type || r.error) continue;
    const lines = byFile.get(r.file) ?? [];
    byFile.set(r.file, lines);
    while (lines.length < r.line - 1) lines.push('');
    const fields = [r.type, list(r.database), list(r.user)];
    if (r.type !== 'local') fields.push(address(r.address, r.netmask));
    fields.push(r.method ?? '');
    for (const o of r.options ?? []) {
      const eq = o.indexOf('=');
      fields.push(eq < 0 ? o : `${o.slice(0, eq)}=${quoteHba(o.slice(eq + 1))}`);
    }
    lines[r.line - 1] = fields.join(' ');
  }
  return new Map([...byFile].map(([f, l]) => [f, l.join('\n') + '\n']));
}

function list(v: string[] | null): string {
  return (v ?? ['all']).map(quoteHba).join(',');
}

const HBA_KEYWORDS = new Set(['all', 'sameuser', 'samerole', 'samegroup', 'replication', 'samehost', 'samenet']);

function quoteHba(s: string): string {
  // A name spelled like a keyword in another case was necessarily a plain name (only
  // lower-case keywords count), so quoting it keeps its meaning and avoids a case warning.
  const keywordLike = HBA_KEYWORDS.has(s.toLowerCase()) && s !== s.toLowerCase();
  return /^[A-Za-z0-9_.+@/:$*^-]+$/.test(s) && !keywordLike ? s : `"${s.replace(/"/g, '""')}"`;
}

/**
 * pg_hba rules that judge the file's spelling rather than its meaning. The rebuilt text
 * has lost the original spelling and quoting, and the server has already parsed every
 * line it reports without error, so these would only report the rebuilding.
 */
const SPELLING_RULES = new Set(['hba-syntax', 'hba-keyword-case', 'ident-syntax']);

function address(addr: string | null, mask: string | null): string {
  if (!addr) return 'all';
  if (!mask) return addr;
  try {
    return `${addr}/${ipaddr.parse(mask).prefixLengthFromSubnetMask()}`;
  } catch {
    return `${addr} ${mask}`;
  }
}

/** One row of pg_ident_file_mappings (15+; file_name from 16). */
export interface IdentRow {
  line: number;
  file: string;
  map: string | null;
  sys: string | null;
  pg: string | null;
  error: string | null;
}

/**
 * The server's maps as the pg_hba rules see them, or undefined when a line has an error:
 * the server then runs with no maps (at start-up) or the old ones (after a reload). The
 * view drops quotes, so a PostgreSQL user reads as written unquoted (`all` as the keyword):
 * the reading that can yield more superusers.
 */
export function identFactsOfRows(rows: readonly IdentRow[]): IdentFact[] | undefined {
  if (rows.some((r) => r.error || r.map === null || r.sys === null || r.pg === null)) return undefined;
  return rows.map((r) => ({ map: r.map!, system: { value: r.sys!, quoted: false }, pg: { value: r.pg!, quoted: false } }));
}

/** One pg_ident.conf text per file from the server's mappings, each on its own line number. */
export function identTexts(rows: readonly IdentRow[]): Map<string, string> {
  const byFile = new Map<string, string[]>();
  for (const r of rows) {
    if (r.error || r.map === null || r.sys === null || r.pg === null) continue;
    const lines = byFile.get(r.file) ?? [];
    byFile.set(r.file, lines);
    while (lines.length < r.line - 1) lines.push('');
    lines[r.line - 1] = [r.map, r.sys, r.pg].map(quoteHba).join(' ');
  }
  return new Map([...byFile].map(([f, l]) => [f, l.join('\n') + '\n']));
}

/** Runs the pg_hba rules over the server's records; findings carry the server's file and line. */
export function auditHba(
  rows: readonly HbaRow[],
  config: PgwardenConfig,
  onInternalError?: (what: string, err: unknown) => void,
  server: { ident?: readonly IdentRow[]; superusers?: readonly string[] } = {},
): RawLiveFinding[] {
  const maps = server.ident ? identFactsOfRows(server.ident) : undefined;
  return auditTexts(hbaTexts(rows), 'pg_hba rules', onInternalError, (uri, text) => {
    const workspace = serverWorkspace(server.superusers);
    // The server's maps stand for the pg_ident.conf beside the file, where the rules look for it.
    if (maps) workspace.setIdentMaps(`${uri.slice(0, uri.lastIndexOf('/') + 1)}pg_ident.conf`, maps);
    return lintHba({ uri, text }, { workspace, config }).findings;
  });
}

/** Runs the pg_ident rules over the server's mappings. */
export function auditIdent(rows: readonly IdentRow[], config: PgwardenConfig, onInternalError?: (what: string, err: unknown) => void, superusers?: readonly string[]): RawLiveFinding[] {
  return auditTexts(identTexts(rows), 'pg_ident rules', onInternalError, (uri, text) => lintIdent({ uri, text }, { workspace: serverWorkspace(superusers), config }).findings);
}

function serverWorkspace(superusers: readonly string[] | undefined): Workspace {
  const ws = new Workspace();
  if (superusers?.length) ws.setCatalog({ superusers: [...superusers], roles: [...superusers], rlsEnabled: [], rlsForced: [], policies: [] });
  return ws;
}

function auditTexts(
  texts: Map<string, string>,
  what: string,
  onInternalError: ((what: string, err: unknown) => void) | undefined,
  lint: (uri: string, text: string) => Finding[],
): RawLiveFinding[] {
  const out: RawLiveFinding[] = [];
  for (const [file, text] of texts) {
    let found: Finding[];
    try {
      found = lint(`file://${file}`, text);
    } catch (err) {
      // A failure of these rules must not take the rest of the audit down.
      onInternalError?.(what, err);
      continue;
    }
    const lines = new LineIndex(text);
    const textLines = text.split('\n');
    for (const f of found) {
      if (SPELLING_RULES.has(f.ruleId)) continue;
      const line = lines.positionAt(f.start).line + 1;
      out.push({
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        object: textLines[line - 1] ?? '',
        objectKind: 'hba',
        file,
        line,
      });
    }
  }
  return out;
}
