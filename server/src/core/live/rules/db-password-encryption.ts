// db-password-encryption: the server stores new passwords as MD5 hashes because password_encryption is
// not scram-sha-256.

import { LiveRule, liveMeta } from '../rule';

export const dbPasswordEncryption: LiveRule = {
  meta: liveMeta(
    'db-password-encryption',
    'error',
    'password_encryption is not scram-sha-256, so new passwords are stored as weak MD5 hashes.',
  ),
  check(s, ctx) {
    if (s.passwordEncryption === 'scram-sha-256') return;
    ctx.report({
      objectKind: 'setting',
      object: 'password_encryption',
      message: `password_encryption is '${s.passwordEncryption}': new and changed passwords are stored as MD5 hashes. Set password_encryption = 'scram-sha-256' in postgresql.conf.`,
    });
  },
};
