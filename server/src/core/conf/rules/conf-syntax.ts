// conf-syntax: what the server rejects in postgresql.conf: syntax errors, parameters the
// configured PostgreSQL version does not know, values of the wrong type, unit or range,
// and include directives that fail. The server refuses to start with such a file, and a
// reload keeps the old settings of the whole file.

import { Finding } from '../../rules';
import { ConfRule } from '../rule';

const CONSEQUENCE = 'The server refuses to start with this file, and a reload applies none of its changes.';

const sentence = (problem: string) => `${problem.replace(/\.$/, '')}. ${CONSEQUENCE}`;

export const confSyntax: ConfRule = {
  meta: {
    id: 'conf-syntax',
    language: 'conf',
    defaultSeverity: 'error',
    description: 'A postgresql.conf line the server rejects: a syntax error, an unknown parameter, a bad value or unit, or a failing include.',
    fixable: false,
  },
  check(doc) {
    const out: Finding[] = [];
    for (const e of doc.parsed.errors) {
      out.push({ ruleId: 'conf-syntax', start: e.start, end: e.end, message: sentence(e.message) });
    }
    for (const s of doc.settings) {
      if (!s.problem) continue;
      const onName = !s.param && !s.custom;
      out.push({
        ruleId: 'conf-syntax',
        start: onName ? s.entry.nameStart : s.entry.valueStart,
        end: onName ? s.entry.nameEnd : s.entry.valueEnd,
        message: sentence(s.problem),
      });
    }
    for (const p of doc.includeProblems) {
      out.push({ ruleId: 'conf-syntax', start: p.entry.valueStart, end: p.entry.valueEnd, message: sentence(`${p.entry.directive}: ${p.message}`) });
    }
    return out;
  },
};
