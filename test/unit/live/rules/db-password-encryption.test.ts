import { liveRuleTester } from './harness';

liveRuleTester('db-password-encryption', {
  kind: 'setting',
  valid: [{ name: 'scram-sha-256', snapshot: { passwordEncryption: 'scram-sha-256' } }],
  invalid: [
    { name: 'md5', snapshot: { passwordEncryption: 'md5' }, findings: [{ object: 'password_encryption', message: /^password_encryption is 'md5': new and changed passwords are stored as MD5 hashes/ }] },
    { name: "13's boolean spelling", snapshot: { passwordEncryption: 'on' }, findings: [{ object: 'password_encryption', message: /is 'on'/ }] },
  ],
});
