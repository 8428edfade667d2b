// conf-ssl: ssl = off (every connection, password exchange included, travels in clear),
// ssl_min_protocol_version below TLSv1.2 (TLS 1.0 and 1.1 are deprecated by RFC 8996),
// an ssl_ciphers list that lets TLS 1.2 clients use RSA key exchange (no forward
// secrecy, info), and an ssl_passphrase_command that prints the key's passphrase.
// The judgement is shared with the live audit (core/conf/judge), so the file and the
// server can never disagree about what is weak.

import { ConfRule, judgedFindings } from '../rule';

export const confSsl: ConfRule = {
  meta: {
    id: 'conf-ssl',
    language: 'conf',
    defaultSeverity: 'warning',
    description: 'TLS weakened: ssl off, ssl_min_protocol_version below TLSv1.2, ssl_ciphers without forward secrecy, or a key passphrase written in the configuration.',
    fixable: true,
  },
  check(doc) {
    return judgedFindings(doc, 'conf-ssl');
  },
};
