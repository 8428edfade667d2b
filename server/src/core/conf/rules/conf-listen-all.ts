// conf-listen-all: listen_addresses '*', '0.0.0.0' or '::' makes the server accept TCP
// connections on every interface, so pg_hba.conf and the firewall are the only barriers.
// Often intended on a database host, hence information only and no fix: only the owner
// knows which interface to keep.

import { Finding } from '../../rules';
import { ConfRule, effectiveSettings, valueFinding } from '../rule';

const ALL = new Set(['*', '0.0.0.0', '::']);

export const confListenAll: ConfRule = {
  meta: {
    id: 'conf-listen-all',
    language: 'conf',
    defaultSeverity: 'info',
    description: "listen_addresses '*' (or 0.0.0.0, ::): the server listens on every network interface.",
    fixable: false,
  },
  check(doc) {
    const out: Finding[] = [];
    for (const s of effectiveSettings(doc, 'listen_addresses')) {
      const all = s.entry.value
        .split(',')
        .map((a) => a.trim())
        .find((a) => ALL.has(a));
      if (!all) continue;
      out.push(
        valueFinding(
          'conf-listen-all',
          s,
          `listen_addresses '${all}' accepts connections on every network interface; list only the addresses clients use, and keep pg_hba.conf strict.`,
        ),
      );
    }
    return out;
  },
};
