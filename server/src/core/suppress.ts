// Suppression comments, the same for SQL (`--`) and the configuration files (`#`):
//   pgwarden-disable-next-line <id>[, <id>] -- reason
//   pgwarden-disable <id> ... pgwarden-enable <id>
//   pgwarden-disable-file <id>
// No id means every rule. A directive that suppresses nothing becomes a hint.

import { Finding } from './rules';
import { LineIndex } from './text';

export interface CommentSpan {
  start: number;
  end: number;
  /** The text after the comment marker. */
  body: string;
}

type Kind = 'next-line' | 'disable' | 'enable' | 'file';

interface Directive {
  kind: Kind;
  ids: string[] | '*';
  start: number;
  end: number;
  used: Set<string>;
}

export const UNUSED_SUPPRESSION = 'unused-suppression';

const DIRECTIVE = /^\s*pgwarden-(disable-next-line|disable-file|disable|enable)\b(.*)$/s;

export function parseDirectives(comments: readonly CommentSpan[]): Directive[] {
  const out: Directive[] = [];
  for (const c of comments) {
    const m = DIRECTIVE.exec(c.body);
    if (!m) continue;
    const kind = ({ 'disable-next-line': 'next-line', 'disable-file': 'file', disable: 'disable', enable: 'enable' } as const)[
      m[1] as 'disable-next-line' | 'disable-file' | 'disable' | 'enable'
    ];
    // The ids end where a ` -- reason` (or the end of a block comment) starts.
    const idText = m[2].split(/\s--\s|\s--$|\*\//)[0];
    const ids = idText
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter((s) => s !== '');
    out.push({ kind, ids: ids.length ? ids : '*', start: c.start, end: c.end, used: new Set() });
  }
  return out;
}

const covers = (d: Directive, id: string) => d.ids === '*' || d.ids.includes(id);

/**
 * Drops suppressed findings and appends an `unused-suppression` hint for every directive
 * (and every id in it) that suppressed nothing.
 */
export function applySuppressions(findings: Finding[], comments: readonly CommentSpan[], lines: LineIndex): Finding[] {
  const directives = parseDirectives(comments);
  if (directives.length === 0) return findings;
  const kept: Finding[] = [];
  for (const f of findings) {
    const line = lines.positionAt(f.start).line;
    let suppressedBy: Directive | undefined;
    for (const d of directives) {
      if (!covers(d, f.ruleId)) continue;
      if (d.kind === 'file') suppressedBy = d;
      else if (d.kind === 'next-line' && lines.positionAt(d.start).line + 1 === line) suppressedBy = d;
      else if (d.kind === 'disable' && d.end <= f.start && !enabledBetween(directives, f.ruleId, d.end, f.start)) suppressedBy = d;
      if (suppressedBy) break;
    }
    if (suppressedBy) suppressedBy.used.add(f.ruleId);
    else kept.push(f);
  }
  for (const d of directives) {
    if (d.kind === 'enable') continue;
    const unused = d.ids === '*' ? (d.used.size === 0 ? ['every rule'] : []) : d.ids.filter((id) => !d.used.has(id));
    for (const id of unused) {
      kept.push({
        ruleId: UNUSED_SUPPRESSION,
        start: d.start,
        end: d.end,
        message: `This pgwarden-${d.kind === 'next-line' ? 'disable-next-line' : d.kind === 'file' ? 'disable-file' : 'disable'} comment suppresses nothing for ${id === 'every rule' ? id : `"${id}"`}.`,
        severity: 'hint',
        unnecessary: true,
      });
    }
  }
  return kept;
}

function enabledBetween(directives: Directive[], id: string, from: number, to: number): boolean {
  return directives.some((d) => d.kind === 'enable' && covers(d, id) && d.start >= from && d.start < to);
}
