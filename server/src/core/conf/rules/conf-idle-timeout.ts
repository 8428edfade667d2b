// conf-idle-timeout: idle_in_transaction_session_timeout = 0 lets a session sit in an
// open transaction forever, holding locks and snapshots (and a forgotten, authenticated
// connection open). CIS recommends a limit.

import { Finding } from '../../rules';
import { ConfRule, effectiveSettings, setValueFix, valueFinding } from '../rule';
import { parseNumber } from '../value';

export const confIdleTimeout: ConfRule = {
  meta: {
    id: 'conf-idle-timeout',
    language: 'conf',
    defaultSeverity: 'info',
    description: 'idle_in_transaction_session_timeout 0: sessions may stay idle in a transaction forever.',
    fixable: true,
  },
  check(doc) {
    const out: Finding[] = [];
    for (const s of effectiveSettings(doc, 'idle_in_transaction_session_timeout')) {
      const r = parseNumber(s.entry.value, true, s.param!.unit);
      if (!r.ok || r.value !== 0) continue;
      out.push(
        valueFinding(
          'conf-idle-timeout',
          s,
          'idle_in_transaction_session_timeout 0 lets sessions hold locks in an idle transaction forever; set a limit such as 10min.',
          [setValueFix(s, '10min', { consequence: 'sessions left idle in a transaction for 10 minutes are ended, and their work rolled back' })],
        ),
      );
    }
    return out;
  },
};
