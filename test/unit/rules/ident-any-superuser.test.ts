import { identRuleTester } from '../ident/harness';

identRuleTester('ident-any-superuser', {
  valid: [
    { code: 'admins alice postgres\n', name: 'a named system user' },
    { code: 'admins /^alice$ postgres\n', name: 'an anchored regex for one name' },
    { code: 'admins /^dba_[a-z]+$ postgres\n', name: 'a regex for a family of names the admins control' },
    { code: 'krb /^(.*)@EXAMPLE\\.COM$ \\1\n', name: 'realm stripping: each principal its own role' },
    { code: 'all /^(.*)$ \\1\n', name: '\\1 alone is what the method does without a map' },
    { code: 'apps /.* app_user\n', name: 'anyone to an ordinary role' },
    { code: 'apps /.* +admins\n', name: 'superusers match +group only as explicit members' },
    { code: 'apps /.* all\n', name: 'before 16 all is a role named all', config: { postgresVersion: 15 } },
  ],
  invalid: [
    {
      code: 'admins /.* postgres\n',
      errors: [{ line: 1, column: 8, endColumn: 11, message: 'Map "admins": /.* matches any system user, so everyone who passes the method of a record with map=admins may log in as the superuser "postgres"' }],
    },
    { code: 'admins /^(.*)$ postgres\n', name: 'anchored, but anything', errors: [{ line: 1, column: 8 }] },
    { code: 'admins / postgres\n', name: 'an empty regex matches every name', errors: [{ line: 1, column: 8 }] },
    { code: 'apps /.* all\n', name: 'all (16+)', errors: [{ line: 1, column: 6, message: 'as any role, the superuser "postgres" included' }] },
    { code: 'apps /.* /^post\n', name: 'a PostgreSQL-user regex that matches a superuser (16+)', errors: [{ line: 1, column: 6, message: 'as the superuser "postgres"' }] },
    { code: 'apps /.* dba\n', name: 'a superuser known from SQL or a live database', superusers: ['dba'], errors: [{ line: 1, column: 6, message: '"dba"' }] },
    { code: 'apps /^(.*)$ admin_\\1\n', name: 'a template that can spell a superuser', superusers: ['admin_root'], errors: [{ line: 1, column: 6, message: '"admin_root"' }] },
  ],
});
