// hba-keyword-case: keywords count only unquoted and in lower case. `ALL`, `"all"` or
// `"replication"` are plain names that match a database or role of that name, not the
// keyword they look like. Before 16, a /regex is a plain name too.

import { Finding } from '../../rules';
import { HbaRecord } from '../parse';
import { finding, HbaRule, HbaRuleContext, recordRange, tokenFix, validRecords } from '../rule';
import { HbaToken } from '../tokenize';

const DB_KEYWORDS = ['all', 'sameuser', 'samerole', 'samegroup', 'replication'];
const USER_KEYWORDS = ['all'];
const ADDRESS_KEYWORDS = ['all', 'samehost', 'samenet'];

export const hbaKeywordCase: HbaRule = {
  meta: {
    id: 'hba-keyword-case',
    language: 'hba',
    defaultSeverity: 'warning',
    description: 'A quoted or upper-case keyword (ALL, "all", "replication"), or a /regex before PostgreSQL 16: a plain name, not what it looks like.',
    fixable: true,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const r of validRecords(ctx)) {
      for (const t of r.databases) look(ctx, r, t, DB_KEYWORDS, 'database', true, out);
      for (const t of r.users) look(ctx, r, t, USER_KEYWORDS, 'role', true, out);
      if (r.address && r.address.kind === 'hostname') look(ctx, r, r.address.token, ADDRESS_KEYWORDS, 'host', false, out);
    }
    return out;
  },
};

/** One token of a record: a keyword in the wrong case or quoted, or a /regex before 16. */
function look(ctx: HbaRuleContext, r: HbaRecord, t: HbaToken, keywords: string[], field: string, regexField: boolean, out: Finding[]): void {
  const v = ctx.config.postgresVersion;
  const lower = t.value.toLowerCase();
  if (keywords.includes(lower) && (t.quoted || t.value !== lower)) {
    const f = tokenFix(`Use the keyword ${lower}`, t, lower, `the record then matches ${lower === 'all' ? `every ${field}` : `by the keyword ${lower}`}, not only the ${field} named ${t.value}`);
    out.push(
      finding(
        'hba-keyword-case',
        recordRange(r, t),
        `${raw(ctx.text, t)} is a ${field} name, not the keyword ${lower}: keywords count only unquoted and in lower case. Write ${lower} for the keyword.`,
        f ? { fixes: [f] } : {},
      ),
    );
  } else if (regexField && v < 16 && t.value.length > 1 && t.value[0] === '/') {
    out.push(
      finding(
        'hba-keyword-case',
        recordRange(r, t),
        `PostgreSQL ${v} has no regular expressions in pg_hba.conf (they arrived in 16): ${raw(ctx.text, t)} matches only a ${field} named exactly "${t.value}".`,
      ),
    );
  }
}

function raw(text: string, t: HbaToken): string {
  return t.fromFile ? t.value : text.slice(t.start, t.end);
}
