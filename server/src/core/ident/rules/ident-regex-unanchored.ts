// ident-regex-unanchored: a map's regular expression without ^ or $ matches any name that
// merely contains it: /admin admits "notadmin" and "admin.evil". The fix adds the missing
// anchors, which narrows what the map admits, so it is unsafe.

import { fix, replace } from '../../fix';
import { Finding } from '../../rules';
import { HbaToken } from '../../hba/tokenize';
import { finding, IdentRule, ownMappings, tokenRange } from '../rule';
import { IdentMapping } from '../parse';

export const identRegexUnanchored: IdentRule = {
  meta: {
    id: 'ident-regex-unanchored',
    language: 'ident',
    defaultSeverity: 'warning',
    description: 'A pg_ident.conf regular expression without ^ at the start or $ at the end, which matches any name that contains it.',
    fixable: true,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const m of ownMappings(ctx)) {
      const tokens: Array<[HbaToken, string]> = [[m.systemToken!, 'system user']];
      if (ctx.config.postgresVersion >= 16) tokens.push([m.pgToken!, 'PostgreSQL user']);
      for (const [t, what] of tokens) {
        if (t.value[0] !== '/') continue;
        const src = t.value.slice(1);
        const start = startAnchored(src);
        const end = endAnchored(src);
        if (start && end) continue;
        const missing = !start && !end ? '^ and $' : !start ? '^' : '$';
        const example = !start ? `"x${shortSample(src)}"` : `"${shortSample(src)}x"`;
        const f = anchorFix(m, t, !start, !end);
        out.push(
          finding(
            'ident-regex-unanchored',
            tokenRange(m, t),
            `The ${what} ${t.value} has no ${missing}: it matches any name that contains a match, such as ${example}. Anchor it: /${start ? '' : '^'}${src}${end ? '' : '$'}.`,
            f ? { fixes: [f] } : {},
          ),
        );
      }
    }
    return out;
  },
};

/** A leading ^, or a leading .* / .+ (which can start at the first character anyway). */
function startAnchored(src: string): boolean {
  return /^\(*\^/.test(src) || /^\(*\.[*+]/.test(src);
}

/** A trailing unescaped $, or a trailing .* / .+ (which can run to the last character anyway). */
function endAnchored(src: string): boolean {
  const s = src.replace(/\)+$/, '');
  if (/\.[*+]$/.test(s)) return s.length < 3 || s[s.length - 3] !== '\\';
  if (!s.endsWith('$')) return false;
  let backslashes = 0;
  for (let i = s.length - 2; i >= 0 && s[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** A literal-looking sample of the expression for the message: its letters and digits. */
function shortSample(src: string): string {
  return src.replace(/\\./g, '').replace(/[^A-Za-z0-9_@.-]/g, '').replace(/\./g, '.').slice(0, 20) || 'match';
}

function anchorFix(m: IdentMapping, t: HbaToken, start: boolean, end: boolean) {
  // Only a plain token on the line's first physical line is edited: quotes and continuations would need re-spelling.
  if (t.fromFile || t.sawQuote || t.end > m.line.firstLineEnd || t.end - t.start !== t.value.length) return undefined;
  const edits = [];
  if (start) edits.push(replace(t.start + 1, t.start + 1, '^'));
  if (end) edits.push(replace(t.end, t.end, '$'));
  return fix('Anchor the expression', edits, { consequence: 'system users whose names only contain a match no longer pass through this map' });
}
