// The pg_hba adapter of the live audit: the server's own records (pg_hba_file_rules)
// rebuilt as pg_hba.conf text, one text per file with each record on its own line
// number, and judged by the same pg_hba rules as a file in the editor. Findings carry the
// server's file and line.

import ipaddr from 'ipaddr.js';
import { PgwardenConfig } from '../config';
import { lintHba } from '../hba/lint';
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
const SPELLING_RULES = new Set(['hba-syntax', 'hba-keyword-case']);

function address(addr: string | null, mask: string | null): string {
  if (!addr) return 'all';
  if (!mask) return addr;
  try {
    return `${addr}/${ipaddr.parse(mask).prefixLengthFromSubnetMask()}`;
  } catch {
    return `${addr} ${mask}`;
  }
}

/** Runs the pg_hba rules over the server's records; findings carry the server's file and line. */
export function auditHba(rows: readonly HbaRow[], config: PgwardenConfig, onInternalError?: (what: string, err: unknown) => void): RawLiveFinding[] {
  const out: RawLiveFinding[] = [];
  for (const [file, text] of hbaTexts(rows)) {
    let found: Finding[];
    try {
      found = lintHba({ uri: `file://${file}`, text }, { workspace: new Workspace(), config }).findings;
    } catch (err) {
      // A failure of the pg_hba rules must not take the rest of the audit down.
      onInternalError?.('pg_hba rules', err);
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
