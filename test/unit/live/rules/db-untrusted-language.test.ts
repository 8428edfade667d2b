import { liveRuleTester } from './harness';

liveRuleTester('db-untrusted-language', {
  kind: 'language',
  valid: [{ name: 'trusted languages only', snapshot: { languages: [{ name: 'plpgsql', trusted: true }, { name: 'plperl', trusted: true }] } }],
  invalid: [
    {
      name: 'an untrusted language',
      snapshot: { languages: [{ name: 'plpgsql', trusted: true }, { name: 'plpython3u', trusted: false }] },
      findings: [{ object: 'plpython3u', message: /^The untrusted language plpython3u is installed: its functions run outside PostgreSQL's sandbox/ }],
    },
  ],
});
