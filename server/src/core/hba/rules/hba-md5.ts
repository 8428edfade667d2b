// hba-md5: md5 challenge-response is weak (the stored hash is a password equivalent) and is
// deprecated from PostgreSQL 18.

import { Finding } from '../../rules';
import { HbaRule, liveRecords, methodFinding } from '../rule';

export const hbaMd5: HbaRule = {
  meta: {
    id: 'hba-md5',
    language: 'hba',
    defaultSeverity: 'warning',
    description: 'The md5 method: a weak hash that is a password equivalent, deprecated in PostgreSQL 18.',
    fixable: true,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const r of liveRecords(ctx)) {
      if (r.method !== 'md5') continue;
      const message =
        `md5 authentication is weak: a stolen md5 hash logs in as the user${ctx.config.postgresVersion >= 18 ? ', and PostgreSQL 18 deprecates it' : ''}. Use scram-sha-256 (after re-setting passwords with password_encryption = scram-sha-256; md5-hashed passwords cannot log in with it).`;
      out.push(methodFinding(ctx, r, 'hba-md5', 'scram-sha-256', message));
    }
    return out;
  },
};
