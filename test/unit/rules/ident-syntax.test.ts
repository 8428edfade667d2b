import { identRuleTester } from '../ident/harness';

identRuleTester('ident-syntax', {
  valid: [
    'admins alice postgres\n',
    { code: '# only comments\n\n', name: 'an empty map file loads (no maps)' },
    { code: 'm alice bob extra ignored\n', name: 'fields after the third are ignored' },
    { code: 'm /^(.*)$ \\1\n', name: 'a regex with a group' },
    { code: 'm alice \\\n  bob\n', name: 'a continued line (14+)' },
    { code: 'm @/etc/pg/sys.txt bob\n', name: 'an @file of one name', files: { '/etc/pg/sys.txt': 'alice\n' } },
    { code: 'm alice /(bad\n', name: 'before 16 the PostgreSQL user is no regex', config: { postgresVersion: 15 } },
  ],
  invalid: [
    { code: 'm alice\n', errors: [{ line: 1, column: 3, endColumn: 8, message: 'missing entry at end of line. PostgreSQL refuses a pg_ident.conf' }] },
    { code: 'm\n', name: 'only a map name', errors: [{ line: 1, column: 1, endColumn: 2, message: 'missing entry at end of line' }] },
    { code: 'm alice,bob carol\n', name: 'two system users', errors: [{ line: 1, column: 9, endColumn: 12, message: 'multiple values in ident field' }] },
    { code: 'ok a b\nm /(unclosed bob\n', name: 'a regex the server cannot compile', errors: [{ line: 2, column: 3, endColumn: 13, message: 'invalid regular expression "(unclosed": parentheses () not balanced' }] },
    { code: 'm alice /(bad\n', name: 'the PostgreSQL user as a regex (16+)', errors: [{ line: 1, column: 9, message: 'invalid regular expression "(bad"' }] },
    { code: 'm @/etc/pg/users.txt bob\n', name: 'an @file of two names', files: { '/etc/pg/users.txt': 'alice, bob\n' }, errors: [{ line: 1, column: 1, message: 'multiple values in ident field' }] },
    { code: 'include missing.conf\n', name: 'an include of a missing file (16+)', errors: [{ line: 1, column: 9, endColumn: 21, message: 'could not open file "/etc/pg/missing.conf"' }] },
  ],
});
