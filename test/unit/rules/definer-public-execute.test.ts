import { ruleTester } from './harness';

const definer = 'CREATE FUNCTION app.f(a int) RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;';

ruleTester('definer-public-execute', {
  valid: [
    definer + '\nREVOKE EXECUTE ON FUNCTION app.f(int) FROM PUBLIC;',
    definer + '\nREVOKE ALL ON FUNCTION app.f FROM PUBLIC;',
    definer + '\nREVOKE ALL ON ROUTINE app.f(integer) FROM "public";',
    { code: definer, files: { 'grants.sql': 'REVOKE EXECUTE ON FUNCTION f(int) FROM PUBLIC;' }, name: 'revoked in another file, unqualified' },
    { code: definer + '\nREVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA app FROM PUBLIC;', name: 'ALL FUNCTIONS IN SCHEMA after the function' },
    { code: 'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\n' + definer, name: 'global default privileges before the function' },
    { code: definer, files: { '000_defaults.sql': 'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;' }, name: 'global default privileges in a file that sorts first' },
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;',
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY INVOKER AS $$ SELECT 1 $$;',
    {
      code: 'create or replace function public.create_profile_and_workspace() returns trigger\nlanguage plpgsql security definer set search_path = public as $$ begin return new; end $$;',
      name: 'a trigger function cannot be called, only fired',
    },
    {
      code: 'CREATE FUNCTION app.on_ddl() RETURNS pg_catalog.event_trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN END $$;',
      name: 'an event trigger function',
    },
  ],
  invalid: [
    {
      code: 'CREATE FUNCTION app.trigger(a int) RETURNS app.trigger LANGUAGE sql SECURITY DEFINER AS $$ SELECT null::app.trigger $$;',
      name: 'a user type named trigger is an ordinary return type',
      errors: [{ line: 1, column: 17, endColumn: 28 }],
      output: 'CREATE FUNCTION app.trigger(a int) RETURNS app.trigger LANGUAGE sql SECURITY DEFINER AS $$ SELECT null::app.trigger $$;\nREVOKE EXECUTE ON FUNCTION app.trigger(int4) FROM PUBLIC;',
    },
    {
      code: definer,
      errors: [{ line: 1, column: 17, endColumn: 22, message: 'REVOKE EXECUTE ON FUNCTION app.f(int4) FROM PUBLIC;' }],
      output: definer + '\nREVOKE EXECUTE ON FUNCTION app.f(int4) FROM PUBLIC;',
    },
    {
      code: 'ALTER DEFAULT PRIVILEGES IN SCHEMA app REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\n' + definer,
      name: 'per-schema default privileges cannot revoke the built-in PUBLIC EXECUTE',
      errors: [{ line: 2, column: 17 }],
      output: 'ALTER DEFAULT PRIVILEGES IN SCHEMA app REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\n' + definer + '\nREVOKE EXECUTE ON FUNCTION app.f(int4) FROM PUBLIC;',
    },
    {
      code: definer + '\nALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;',
      name: 'default privileges after the function do not cover it',
      errors: [{ line: 1, column: 17 }],
      output: definer + '\nREVOKE EXECUTE ON FUNCTION app.f(int4) FROM PUBLIC;\nALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;',
    },
    {
      code: 'REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA app FROM PUBLIC;\n' + definer,
      name: 'ALL FUNCTIONS IN SCHEMA before the function does not cover it',
      errors: [{ line: 2, column: 17 }],
      output: 'REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA app FROM PUBLIC;\n' + definer + '\nREVOKE EXECUTE ON FUNCTION app.f(int4) FROM PUBLIC;',
    },
    {
      code: definer,
      files: { 'zzz_defaults.sql': 'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;', 'grants.sql': 'REVOKE EXECUTE ON FUNCTION billing.f(int) FROM PUBLIC;\nREVOKE EXECUTE ON FUNCTION app.f(int) FROM app_user;' },
      name: 'defaults in a later file, another schema\'s function, another grantee',
      errors: [{ line: 1, column: 17 }],
      output: definer + '\nREVOKE EXECUTE ON FUNCTION app.f(int4) FROM PUBLIC;',
    },
    {
      code:
        'CREATE OR REPLACE FUNCTION "App"."Transfer"(IN src bigint, OUT ok boolean, dst "char", amt numeric(10,2)[] DEFAULT NULL, VARIADIC tags text[] DEFAULT \'{}\')\n  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$ BEGIN ok := true; END $$;',
      name: 'signature with modes, quoted names, typmods, arrays, "char"',
      errors: [{ line: 1, column: 28, endColumn: 44, message: 'Function App.Transfer' }],
      output:
        'CREATE OR REPLACE FUNCTION "App"."Transfer"(IN src bigint, OUT ok boolean, dst "char", amt numeric(10,2)[] DEFAULT NULL, VARIADIC tags text[] DEFAULT \'{}\')\n  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$ BEGIN ok := true; END $$;\nREVOKE EXECUTE ON FUNCTION "App"."Transfer"(int8, "char", numeric[], text[]) FROM PUBLIC;',
    },
    {
      code: 'CREATE PROCEDURE p(t timestamp with time zone, d double precision) LANGUAGE sql SECURITY DEFINER BEGIN ATOMIC SELECT 1; END;',
      name: 'procedure with BEGIN ATOMIC and multi-word types',
      errors: [{ line: 1, column: 18, endColumn: 19, message: 'Procedure p' }],
      output:
        'CREATE PROCEDURE p(t timestamp with time zone, d double precision) LANGUAGE sql SECURITY DEFINER BEGIN ATOMIC SELECT 1; END;\nREVOKE EXECUTE ON PROCEDURE p(timestamptz, float8) FROM PUBLIC;',
    },
  ],
});
