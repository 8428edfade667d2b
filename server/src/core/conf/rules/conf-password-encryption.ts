// conf-password-encryption: password_encryption = md5. New and changed passwords are then
// stored as unsalted-per-server MD5 hashes, which leak to brute force and allow pass-the-
// hash logins; PostgreSQL 18 deprecates them. SCRAM-SHA-256 is the default since 14.
// The judgement is shared with the live audit (core/conf/judge), so the file and the
// server can never disagree about what is weak.

import { ConfRule, judgedFindings } from '../rule';

export const confPasswordEncryption: ConfRule = {
  meta: {
    id: 'conf-password-encryption',
    language: 'conf',
    defaultSeverity: 'warning',
    description: 'password_encryption set to md5, which stores weak, replayable password hashes.',
    fixable: true,
  },
  check(doc) {
    return judgedFindings(doc, 'conf-password-encryption');
  },
};
