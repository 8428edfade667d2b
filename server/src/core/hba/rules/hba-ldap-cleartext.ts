// hba-ldap-cleartext: ldap sends the user's password to the LDAP server; without TLS it
// crosses the network in clear text.

import { Finding } from '../../rules';
import { finding, HbaRule, recordRange, liveRecords } from '../rule';

export const hbaLdapCleartext: HbaRule = {
  meta: {
    id: 'hba-ldap-cleartext',
    language: 'hba',
    defaultSeverity: 'warning',
    description: 'ldap without ldaptls=1, ldapscheme=ldaps or an ldaps:// URL: passwords go to the LDAP server in clear text.',
    fixable: false,
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const r of liveRecords(ctx)) {
      if (r.method !== 'ldap') continue;
      const opt = (n: string) => r.options.filter((o) => o.name === n).pop()?.value;
      if (opt('ldaptls') === '1' || opt('ldapscheme') === 'ldaps' || /^ldaps:\/\//.test(opt('ldapurl') ?? '')) continue;
      out.push(
        finding(
          'hba-ldap-cleartext',
          recordRange(r, r.methodToken),
          'ldap without TLS sends each user\'s password to the LDAP server in clear text. Add ldaptls=1, or use ldapscheme=ldaps or an ldaps:// URL.',
        ),
      );
    }
    return out;
  },
};
