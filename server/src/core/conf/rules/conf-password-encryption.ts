// conf-password-encryption: password_encryption = md5. New and changed passwords are then
// stored as unsalted-per-server MD5 hashes, which leak to brute force and allow pass-the-
// hash logins; PostgreSQL 18 deprecates them. SCRAM-SHA-256 is the default since 14.

import { Finding } from '../../rules';
import { ConfRule, effectiveSettings, setValueFix, valueFinding } from '../rule';
import { enumMatch } from '../value';

export const confPasswordEncryption: ConfRule = {
  meta: {
    id: 'conf-password-encryption',
    language: 'conf',
    defaultSeverity: 'warning',
    description: 'password_encryption set to md5, which stores weak, replayable password hashes.',
    fixable: true,
  },
  check(doc) {
    const out: Finding[] = [];
    for (const s of effectiveSettings(doc, 'password_encryption')) {
      const v = enumMatch(s.param!, s.entry.value);
      // On 13, on/true/yes/1 are hidden spellings of md5.
      if (v !== 'md5' && !(s.param!.hidden ?? []).includes(v ?? '')) continue;
      out.push(
        valueFinding(
          'conf-password-encryption',
          s,
          'password_encryption = md5 stores new passwords as MD5 hashes, which are weak and deprecated; use scram-sha-256.',
          [setValueFix(s, 'scram-sha-256', { consequence: 'passwords set from now on are SCRAM hashes, which clients without SCRAM support cannot use' })],
        ),
      );
    }
    return out;
  },
};
