// conf-ssl: ssl = off (every connection, password exchange included, travels in clear)
// and ssl_min_protocol_version below TLSv1.2 (TLS 1.0 and 1.1 are deprecated by RFC 8996).

import { Finding } from '../../rules';
import { ConfRule, effectiveSettings, setValueFix, valueFinding } from '../rule';
import { enumMatch, parseBool } from '../value';

export const confSsl: ConfRule = {
  meta: {
    id: 'conf-ssl',
    language: 'conf',
    defaultSeverity: 'warning',
    description: 'ssl turned off, or ssl_min_protocol_version below TLSv1.2.',
    fixable: true,
  },
  check(doc) {
    const out: Finding[] = [];
    for (const s of effectiveSettings(doc, 'ssl', 'ssl_min_protocol_version')) {
      if (s.entry.key === 'ssl') {
        if (parseBool(s.entry.value) !== false) continue;
        out.push(valueFinding('conf-ssl', s, 'ssl is off: connections, passwords included, travel unencrypted; turn it on with a server certificate.', [setValueFix(s, 'on', { consequence: 'the server does not start without a certificate and key: set ssl_cert_file and ssl_key_file first' })]));
      } else {
        const v = enumMatch(s.param!, s.entry.value);
        if (v !== 'TLSv1' && v !== 'TLSv1.1') continue;
        out.push(
          valueFinding('conf-ssl', s, `ssl_min_protocol_version ${v} allows deprecated TLS versions; require TLSv1.2 or later.`, [
            setValueFix(s, 'TLSv1.2', { consequence: 'clients limited to TLS 1.0 or 1.1 can no longer connect' }),
          ]),
        );
      }
    }
    return out;
  },
};
