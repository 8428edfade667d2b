import { ruleTester } from './harness';

const body = (path: string, sql = 'SELECT count(*) FROM files') =>
  `CREATE FUNCTION app.f() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = ${path} AS $$ ${sql} $$;`;

ruleTester('definer-search-path-unsafe', {
  valid: [
    { code: body('public'), path: 'test/sql/issue_511.sql', name: 'a test file: its functions are not deployed' },
    { code: body('pg_catalog, pg_temp'), name: 'pg_temp last' },
    { code: body('public, pg_temp'), name: 'pg_temp last after public' },
    { code: body("''", 'SELECT count(*) FROM app.files'), name: "'' with every table schema-qualified (the pgsodium and vault pattern)" },
    { code: body('pg_catalog', 'SELECT now()'), name: 'no table at all: functions and operators are never looked up in pg_temp' },
    { code: body('public', 'WITH files AS (SELECT 1) SELECT count(*) FROM files'), name: 'a CTE name is not a table' },
    { code: 'CREATE FUNCTION app.f() RETURNS bigint LANGUAGE sql SET search_path = public AS $$ SELECT count(*) FROM files $$;', name: 'not SECURITY DEFINER' },
    { code: 'CREATE FUNCTION app.f() RETURNS bigint LANGUAGE sql SECURITY DEFINER AS $$ SELECT count(*) FROM files $$;', name: 'no SET search_path: security-definer-search-path reports it' },
    { code: 'CREATE FUNCTION app.f() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path FROM CURRENT AS $$ SELECT count(*) FROM files $$;', name: 'FROM CURRENT is not in the file' },
    {
      code: "CREATE FUNCTION pgsodium.crypto_aead_det_encrypt(message bytea) RETURNS bytea LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$\nDECLARE k bytea := (SELECT raw_key FROM pgsodium.key LIMIT 1);\nBEGIN RETURN pgsodium.crypto_aead_det_encrypt(message, k); END $$;",
      name: 'plpgsql with qualified names only',
    },
    { code: body(':path'), name: 'a psql variable path' },
    {
      code: body('pg_catalog'),
      path: 'pgsodium--3.0.0--3.0.2.sql',
      files: { 'pgsodium--3.1.8--3.1.9.sql': "CREATE OR REPLACE FUNCTION app.f() RETURNS bigint LANGUAGE sql SECURITY INVOKER SET search_path = '' AS $$ SELECT count(*) FROM app.files $$;" },
      name: 'a later upgrade script redefines the function SECURITY INVOKER (pgsodium update_masks)',
    },
    {
      code: `${body('public')}\nALTER FUNCTION app.f() SET search_path = public, pg_temp;`,
      name: 'a later ALTER FUNCTION puts pg_temp last',
    },
  ],
  invalid: [
    {
      code: body('public'),
      name: "= public, as Supabase apps write it",
      errors: [{ line: 1, column: 88, endColumn: 94, message: 'search_path = public, which does not list pg_temp' }],
      output: body('public, pg_temp'),
    },
    {
      code: body('pg_catalog', 'SELECT rolpassword FROM pg_authid WHERE rolname = current_user'),
      name: '= pg_catalog: a temporary pg_authid shadows the catalog',
      errors: [{ line: 1, column: 88, endColumn: 98, message: 'a temporary table named "pg_authid"' }],
      output: body('pg_catalog, pg_temp', 'SELECT rolpassword FROM pg_authid WHERE rolname = current_user'),
    },
    {
      code: body("''", 'SELECT count(*) FROM pg_class'),
      name: "'' still searches pg_temp first",
      errors: [{ line: 1, column: 88, endColumn: 90, message: "search_path = '', which does not list pg_temp" }],
      output: body('pg_catalog, pg_temp', 'SELECT count(*) FROM pg_class'),
    },
    {
      code: body('pg_temp, public'),
      name: 'pg_temp listed first',
      errors: [{ line: 1, column: 88, endColumn: 103, message: 'lists pg_temp before other schemas' }],
      output: body('pg_temp, public, pg_temp'),
    },
    {
      code: body("'public, pg_temp'"),
      name: 'one quoted string is one schema name',
      errors: [{ line: 1, column: 88 }],
      output: body("'public, pg_temp', pg_temp"),
    },
    {
      code:
        'CREATE OR REPLACE FUNCTION rbac.user_has_group_role(group_id uuid, group_role text) RETURNS boolean\n' +
        'LANGUAGE plpgsql SECURITY DEFINER SET search_path TO rbac\nAS $function$\nDECLARE ok boolean;\n' +
        'BEGIN\n  SELECT EXISTS (SELECT 1 FROM members m WHERE m.group_id = user_has_group_role.group_id) INTO ok;\n  RETURN ok;\nEND;\n$function$;',
      name: 'plpgsql naming a table of the pinned schema unqualified',
      errors: [{ line: 2, column: 54, endColumn: 58, message: '"members"' }],
      output:
        'CREATE OR REPLACE FUNCTION rbac.user_has_group_role(group_id uuid, group_role text) RETURNS boolean\n' +
        'LANGUAGE plpgsql SECURITY DEFINER SET search_path TO rbac, pg_temp\nAS $function$\nDECLARE ok boolean;\n' +
        'BEGIN\n  SELECT EXISTS (SELECT 1 FROM members m WHERE m.group_id = user_has_group_role.group_id) INTO ok;\n  RETURN ok;\nEND;\n$function$;',
    },
    {
      code: 'CREATE PROCEDURE app.p() LANGUAGE plpgsql SECURITY DEFINER SET search_path = app AS $$ DECLARE n int := (SELECT count(*) FROM jobs); BEGIN END $$;',
      name: 'a DECLARE initialiser of a procedure',
      errors: [{ line: 1, column: 78, message: 'Procedure app.p' }],
      output: 'CREATE PROCEDURE app.p() LANGUAGE plpgsql SECURITY DEFINER SET search_path = app, pg_temp AS $$ DECLARE n int := (SELECT count(*) FROM jobs); BEGIN END $$;',
    },
    {
      code: 'CREATE FUNCTION app.f() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = app\nBEGIN ATOMIC SELECT count(*) FROM files; END;',
      name: 'a BEGIN ATOMIC body',
      errors: [{ line: 1, column: 88 }],
      output: 'CREATE FUNCTION app.f() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = app, pg_temp\nBEGIN ATOMIC SELECT count(*) FROM files; END;',
    },
  ],
});
