// conf-overridden: a setting that a later line sets again. The server reads every line
// and the last one wins, so the earlier line is dead text that misleads a reader (and a
// security review) about what the server really uses.

import { fix, replace } from '../../fix';
import { Finding } from '../../rules';
import { ConfRule } from '../rule';

export const confOverridden: ConfRule = {
  meta: {
    id: 'conf-overridden',
    language: 'conf',
    defaultSeverity: 'hint',
    description: 'A postgresql.conf setting that a later line (in this file, an included file or postgresql.auto.conf) overrides.',
    fixable: true,
  },
  check(doc) {
    const out: Finding[] = [];
    const text = doc.parsed.text;
    for (const s of doc.settings) {
      if (!s.overriddenBy || (!s.param && !s.custom)) continue;
      const by = s.overriddenBy;
      const where = by.file === undefined ? `line ${by.line + 1}` : `"${by.file}" line ${by.line + 1}`;
      const lineStart = text.lastIndexOf('\n', s.entry.nameStart - 1) + 1;
      const nl = text.indexOf('\n', s.entry.valueEnd);
      const lineEnd = nl < 0 ? text.length : nl + 1;
      out.push({
        ruleId: 'conf-overridden',
        start: s.entry.nameStart,
        end: s.entry.valueEnd,
        message: `${s.entry.name} is set again on ${where}, which wins: this line has no effect.`,
        unnecessary: true,
        fixes: [fix(`Delete the overridden ${s.entry.name} line`, [replace(lineStart, lineEnd, '')], { safe: true })],
      });
    }
    return out;
  },
};
