import { ruleTester } from './harness';

ruleTester('security-definer-search-path', {
  valid: [
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;',
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql SET search_path TO app, pg_temp SECURITY DEFINER AS $$ SELECT 1 $$;',
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path FROM CURRENT AS $$ SELECT 1 $$;',
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;',
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY INVOKER AS $$ SELECT 1 $$;',
    {
      code: 'CREATE FUNCTION app.f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;',
      files: { 'later.sql': 'ALTER FUNCTION app.f() SET search_path = pg_catalog;' },
      name: 'search_path set by ALTER FUNCTION in another file',
    },
    'ALTER FUNCTION f(int) SECURITY DEFINER SET search_path = pg_catalog;',
    'ALTER FUNCTION f(int) SECURITY INVOKER;',
    "SELECT 'CREATE FUNCTION f() SECURITY DEFINER';",
  ],
  invalid: [
    {
      code: 'CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;',
      errors: [{ line: 1, column: 46, endColumn: 62, message: 'Function f is SECURITY DEFINER without SET search_path' }],
      output: 'CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;',
    },
    {
      code: "CREATE OR REPLACE PROCEDURE app.p(a int)\n  LANGUAGE plpgsql\n  EXTERNAL  SECURITY\n  DEFINER\nAS $$ BEGIN RAISE NOTICE 'x'; END $$;",
      name: 'procedure, EXTERNAL SECURITY DEFINER over two lines',
      errors: [{ line: 3, column: 3, endLine: 4, endColumn: 10, message: 'Procedure app.p' }],
      output:
        "CREATE OR REPLACE PROCEDURE app.p(a int)\n  LANGUAGE plpgsql\n  EXTERNAL  SECURITY\n  DEFINER SET search_path = pg_catalog, pg_temp\nAS $$ BEGIN RAISE NOTICE 'x'; END $$;",
    },
    {
      code: 'ALTER FUNCTION app.f(int) SECURITY DEFINER;',
      name: 'ALTER FUNCTION ... SECURITY DEFINER',
      errors: [{ line: 1, column: 27, endColumn: 43 }],
      output: 'ALTER FUNCTION app.f(int) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;',
    },
    {
      code: 'CREATE FUNCTION app.f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;\nALTER FUNCTION app.f() RESET search_path;',
      files: { 'other.sql': 'ALTER FUNCTION billing.f() SET search_path = pg_catalog;' },
      name: 'RESET is not SET, and another schema\'s function does not count',
      errors: [{ line: 1, column: 50 }],
      output:
        'CREATE FUNCTION app.f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;\nALTER FUNCTION app.f() RESET search_path;',
    },
    {
      code: "/* SECURITY DEFINER */ CREATE FUNCTION f() RETURNS text LANGUAGE sql\n-- SECURITY DEFINER\nAS 'select ''SECURITY DEFINER''' SECURITY DEFINER;",
      name: 'the keywords in comments and strings are skipped',
      errors: [{ line: 3, column: 34, endColumn: 50 }],
      output:
        "/* SECURITY DEFINER */ CREATE FUNCTION f() RETURNS text LANGUAGE sql\n-- SECURITY DEFINER\nAS 'select ''SECURITY DEFINER''' SECURITY DEFINER SET search_path = pg_catalog, pg_temp;",
    },
  ],
});
