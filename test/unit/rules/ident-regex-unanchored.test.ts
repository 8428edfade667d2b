import { identRuleTester } from '../ident/harness';

identRuleTester('ident-regex-unanchored', {
  valid: [
    { code: 'm /^alice$ bob\n', name: 'anchored' },
    { code: 'krb /(.*)@EXAMPLE\\.COM$ \\1\n', name: 'a leading .* starts at the first character anyway' },
    { code: 'm /^admin.* bob\n', name: 'a trailing .* runs to the end anyway' },
    { code: 'm /^(alice|bob)$ carol\n', name: 'anchors around a group' },
    { code: 'm alice bob\n', name: 'no regex' },
    { code: 'm alice /app\n', name: 'before 16 the PostgreSQL user is a name', config: { postgresVersion: 15 } },
  ],
  invalid: [
    {
      code: 'm /admin bob\n',
      errors: [{ line: 1, column: 3, endColumn: 9, message: 'The system user /admin has no ^ and $: it matches any name that contains a match, such as "xadmin". Anchor it: /^admin$.' }],
      output: 'm /^admin$ bob\n',
    },
    { code: 'm /^admin bob\n', name: 'no $', errors: [{ line: 1, column: 3, message: 'has no $' }], output: 'm /^admin$ bob\n' },
    { code: 'm /admin\\.example$ bob\n', name: 'no ^', errors: [{ line: 1, column: 3, message: 'has no ^' }], output: 'm /^admin\\.example$ bob\n' },
    { code: 'm /^admin\\$ bob\n', name: 'an escaped $ is a literal dollar', errors: [{ line: 1, column: 3, message: 'has no $' }], output: 'm /^admin\\$$ bob\n' },
    { code: 'm alice /app\n', name: 'the PostgreSQL user (16+)', errors: [{ line: 1, column: 9, message: 'The PostgreSQL user /app has no ^ and $' }], output: 'm alice /^app$\n' },
    { code: 'm "/admin" bob\n', name: 'quoted: reported, not rewritten', errors: [{ line: 1, column: 3, endColumn: 11 }] },
  ],
});
