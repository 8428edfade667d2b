import { ruleTester } from './harness';

ruleTester('untrusted-language', {
  valid: [
    'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;',
    { code: "CREATE FUNCTION f() RETURNS int LANGUAGE plperl AS 'return 1;';", name: 'trusted plperl' },
    { code: 'CREATE FUNCTION f() RETURNS int LANGUAGE c AS \'mod\', \'f\';', name: 'C functions are left to review' },
    { code: "DO LANGUAGE pltcl $$ return 1 $$;", name: 'trusted pltcl' },
    { code: "DO $$ BEGIN RAISE NOTICE 'plpython3u'; END $$;", name: 'a string mentioning the language' },
    { code: 'CREATE EXTENSION plpgsql;', name: 'a trusted language extension' },
    { code: 'CREATE EXTENSION jsonb_plpython3u;', name: 'a transform, which creates no language' },
    { code: 'CREATE FUNCTION f() RETURNS int LANGUAGE "PLPYTHON3U" AS \'x\';', name: 'language names are case-sensitive when quoted' },
    { code: 'DROP EXTENSION plperlu;', name: 'dropping' },
    '-- CREATE EXTENSION plperlu\nSELECT 1;',
  ],
  invalid: [
    {
      code: "CREATE FUNCTION f() RETURNS int LANGUAGE plpython3u AS $$ return 1 $$;",
      errors: [{ line: 1, column: 33, endColumn: 52, message: 'Function "f" is written in plpython3u, an untrusted language' }],
    },
    {
      code: "create or replace procedure s.p() language PLPERLU as 'system(\"x\")';",
      name: 'a procedure, unquoted language name folded to lower case',
      errors: [{ line: 1, column: 35, endColumn: 51, message: 'Use plperl (the trusted variant)' }],
    },
    {
      code: "CREATE FUNCTION f() RETURNS text AS $$ exec ls $$ LANGUAGE 'plsh';",
      name: 'a quoted language name after the body',
      errors: [{ line: 1, column: 51, endColumn: 66, message: 'plsh' }],
    },
    {
      code: "SELECT '日本語🙂';\nDO LANGUAGE pltclu $$ exec rm x $$;",
      name: 'a DO block after CJK and emoji',
      errors: [{ line: 2, column: 4, endColumn: 19, message: 'This DO block is written in pltclu' }],
    },
    {
      code: 'CREATE EXTENSION IF NOT EXISTS plperlu;',
      errors: [{ line: 1, column: 32, endColumn: 39, message: 'CREATE EXTENSION plperlu installs an untrusted language' }],
    },
    {
      code: 'CREATE EXTENSION "plpython3u" SCHEMA pg_catalog;',
      errors: [{ line: 1, column: 18, endColumn: 30 }],
    },
    {
      code: 'CREATE TRUSTED LANGUAGE plsh HANDLER plsh_handler;',
      name: 'declared trusted',
      errors: [{ line: 1, column: 25, endColumn: 29, message: 'Declaring it TRUSTED is worse' }],
    },
    {
      code: 'create language plr;',
      errors: [{ line: 1, column: 17, endColumn: 20, message: 'CREATE LANGUAGE plr' }],
    },
  ],
});
