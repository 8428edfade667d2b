import { hbaRuleTester } from '../hba/harness';

hbaRuleTester('hba-ldap-cleartext', {
  valid: [
    'hostssl all all 10.0.0.0/8 ldap ldapserver=ldap.example.com ldapbasedn="dc=example,dc=com" ldaptls=1\n',
    'hostssl all all 10.0.0.0/8 ldap ldapserver=ldap.example.com ldapscheme=ldaps ldapprefix="cn=" ldapsuffix=",dc=example,dc=com"\n',
    'hostssl all all 10.0.0.0/8 ldap ldapurl="ldaps://ldap.example.com/dc=example,dc=com?uid?sub"\n',
  ],
  invalid: [
    {
      code: 'hostssl all all 10.0.0.0/8 ldap ldapserver=ldap.example.com ldapbasedn="dc=example,dc=com"\n',
      errors: [{ line: 1, column: 28, endColumn: 32, message: 'clear text' }],
    },
    {
      code: 'hostssl all all 10.0.0.0/8 ldap ldapserver=ldap.example.com ldapbasedn=dc=x ldaptls=0\n',
      name: 'ldaptls=0',
      errors: [{ line: 1, column: 28 }],
    },
    {
      code: 'hostssl all all 10.0.0.0/8 ldap ldapurl="ldap://ldap.example.com/dc=example,dc=com?uid?sub"\n',
      errors: [{ line: 1, column: 28 }],
    },
  ],
});
