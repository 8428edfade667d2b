// Judgements of conf-ssl: TLS off, deprecated protocol versions, TLS 1.2 cipher lists
// that allow key exchange without forward secrecy, and a key passphrase written into the
// configuration (CIS PostgreSQL Benchmark 6.8 to 6.10).

import { Judgement, Reader } from './view';

/** OpenSSL key-exchange aliases that always give forward secrecy. */
const FS_KX = new Set(['ecdhe', 'eecdh', 'dhe', 'edh', 'kecdhe', 'keecdh', 'kdhe', 'kedh']);
/** OpenSSL aliases that select suites with RSA key exchange (no forward secrecy) among others. */
const BROAD = new Set([
  'all', 'default', 'complementofall', 'complementofdefault', 'high', 'medium', 'low',
  'krsa', 'rsa', 'arsa', 'aes', 'aes128', 'aes256', 'aesgcm', 'aesccm', 'aesccm8', 'camellia', 'camellia128', 'camellia256',
  '3des', 'des', 'rc4', 'seed', 'idea', 'aria', 'aria128', 'aria256', 'sha', 'sha1', 'sha256', 'sha384', 'tlsv1', 'tlsv1.2', 'sslv3',
]);
/** Removing one of these removes every suite with RSA key exchange. */
const KRSA_OUT = new Set(['krsa', 'rsa', 'arsa', 'all', 'default', 'high', 'medium', 'low']);

/**
 * Whether an OpenSSL cipher list lets a TLS 1.2 client agree on RSA key exchange (no
 * forward secrecy). `!x` and `-x` remove; `a+b` selects suites matching all parts, so a
 * forward-secret part (ECDHE+AESGCM) keeps it forward secret; a named suite is forward
 * secret when its name starts with ECDHE-, DHE- or EDH-. Unknown words are not counted.
 */
export function allowsStaticRsa(list: string): boolean {
  let allowed = false;
  for (const raw of list.split(/[:, ]+/)) {
    const t = raw.trim();
    if (!t || t.startsWith('@') || t.startsWith('+')) continue;
    const lower = t.toLowerCase();
    if (t.startsWith('!') || t.startsWith('-')) {
      // `!kRSA`, `!RSA`, `!aRSA` (and the broad words) take the static-RSA suites away for good.
      const parts = lower.slice(1).split('+');
      if (parts.length === 1 && KRSA_OUT.has(parts[0]) && t.startsWith('!')) return false;
      if (parts.length === 1 && KRSA_OUT.has(parts[0])) allowed = false;
      continue;
    }
    const parts = lower.split('+');
    if (parts.some((p) => FS_KX.has(p))) continue;
    if (parts.length === 1 && /^(ecdhe|dhe|edh|tls_)/.test(lower)) continue;
    if (parts.length === 1 && /^(aes|camellia|des|rc4|seed|idea|aria|chacha|psk|srp|ecdh|dh)[a-z0-9]*-/.test(lower) && !lower.startsWith('psk') && !lower.startsWith('srp')) {
      allowed = true;
      continue;
    }
    if (parts.every((p) => BROAD.has(p))) allowed = true;
  }
  return allowed;
}

/** A passphrase command that prints a literal: the key's passphrase is then in the configuration. */
function inlineSecret(command: string): boolean {
  return /^\s*(?:\/(?:usr\/)?bin\/)?(echo|printf)\s+\S/.test(command);
}

export function judgeTls(r: Reader): Judgement[] {
  const out: Judgement[] = [];
  const ssl = r.bool('ssl');
  if (ssl === false) {
    out.push({
      ruleId: 'conf-ssl',
      at: ['ssl'],
      message: 'ssl is off: connections, passwords included, travel unencrypted; turn it on with a server certificate.',
      fix: { value: 'on', consequence: 'the server does not start without a certificate and key: set ssl_cert_file and ssl_key_file first' },
    });
  }
  const min = r.enum('ssl_min_protocol_version');
  if (min === 'TLSv1' || min === 'TLSv1.1') {
    out.push({
      ruleId: 'conf-ssl',
      at: ['ssl_min_protocol_version'],
      message: `ssl_min_protocol_version ${min} allows deprecated TLS versions; require TLSv1.2 or later.`,
      fix: { value: 'TLSv1.2', consequence: 'clients limited to TLS 1.0 or 1.1 can no longer connect' },
    });
  }
  const ciphers = r.raw('ssl_ciphers');
  // ssl_ciphers governs TLS 1.2 and older; TLS 1.3 suites are always forward secret.
  if (ssl === true && min !== undefined && min !== 'TLSv1.3' && ciphers !== undefined && allowsStaticRsa(ciphers)) {
    out.push({
      ruleId: 'conf-ssl',
      at: ['ssl_ciphers'],
      severity: 'info',
      message: `ssl_ciphers '${ciphers}' lets TLS 1.2 clients use RSA key exchange, which has no forward secrecy: whoever later obtains the server's key can decrypt recorded sessions; add :!kRSA.`,
      fix: { value: `${ciphers}:!kRSA`, consequence: 'TLS 1.2 clients that offer only RSA key exchange can no longer connect' },
    });
  }
  const command = r.raw('ssl_passphrase_command');
  if (command !== undefined && inlineSecret(command)) {
    out.push({
      ruleId: 'conf-ssl',
      at: ['ssl_passphrase_command'],
      message: 'ssl_passphrase_command prints a literal: the private key\'s passphrase is written in the configuration, next to the key it protects; have the command read it from a protected file or a secret store.',
    });
  }
  return out;
}
