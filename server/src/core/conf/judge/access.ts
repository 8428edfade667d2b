// Judgements of who can reach the server and how long they may take: conf-password-
// encryption, conf-listen-all, conf-idle-timeout and conf-auth-timeout.

import { Judgement, Reader } from './view';

const ALL_ADDRESSES = new Set(['*', '0.0.0.0', '::']);

export function judgeAccess(r: Reader): Judgement[] {
  const out: Judgement[] = [];
  const pe = r.raw('password_encryption');
  const peParam = r.param('password_encryption');
  if (pe !== undefined && peParam) {
    const v = r.enum('password_encryption');
    // On 13, on/true/yes/1 are hidden spellings of md5.
    if (v === 'md5' || (peParam.hidden ?? []).includes(v ?? '')) {
      out.push({
        ruleId: 'conf-password-encryption',
        at: ['password_encryption'],
        message: 'password_encryption = md5 stores new passwords as MD5 hashes, which are weak and deprecated; use scram-sha-256.',
        fix: { value: 'scram-sha-256', consequence: 'passwords set from now on are SCRAM hashes, which clients without SCRAM support cannot use' },
      });
    }
  }
  const listen = r.raw('listen_addresses');
  const all = listen
    ?.split(',')
    .map((a) => a.trim())
    .find((a) => ALL_ADDRESSES.has(a));
  if (all) {
    out.push({
      ruleId: 'conf-listen-all',
      at: ['listen_addresses'],
      message: `listen_addresses '${all}' accepts connections on every network interface; list only the addresses clients use, and keep pg_hba.conf strict.`,
    });
  }
  if (r.number('idle_in_transaction_session_timeout') === 0) {
    out.push({
      ruleId: 'conf-idle-timeout',
      at: ['idle_in_transaction_session_timeout'],
      message: 'idle_in_transaction_session_timeout 0 lets sessions hold locks in an idle transaction forever; set a limit such as 10min.',
      fix: { value: '10min', consequence: 'sessions left idle in a transaction for 10 minutes are ended, and their work rolled back' },
    });
  }
  const auth = r.number('authentication_timeout');
  if (auth !== undefined && auth > 60) {
    out.push({
      ruleId: 'conf-auth-timeout',
      at: ['authentication_timeout'],
      message: `authentication_timeout ${auth}s lets an unauthenticated client hold a connection slot for ${auth >= 120 && auth % 60 === 0 ? `${auth / 60} minutes` : `${auth} seconds`}; a few such clients exhaust max_connections. Use 60s or less.`,
      fix: { value: '60s', consequence: 'clients that take longer than a minute to authenticate (slow LDAP or RADIUS servers, people typing a password) are refused' },
    });
  }
  return out;
}
