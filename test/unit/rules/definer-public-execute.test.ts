import { ruleTester } from './harness';

const definer = 'CREATE FUNCTION app.f(a int) RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;';

ruleTester('definer-public-execute', {
  valid: [
    {
      code: "CREATE OR REPLACE FUNCTION public.non_private_file_exists(p_name text) RETURNS boolean LANGUAGE sql SECURITY DEFINER AS $$ SELECT true $$;\nCREATE POLICY \"Allow public read access on non-private files\" ON storage.objects FOR SELECT TO public USING (bucket_id = 'files' AND public.non_private_file_exists(name));",
      name: 'called by a policy for PUBLIC: every role the policy applies to must keep EXECUTE (chatbot-ui)',
    },
    {
      code: 'CREATE SEQUENCE graphql.seq_schema_version AS int CYCLE;\nCREATE FUNCTION graphql.get_schema_version() RETURNS int SECURITY DEFINER LANGUAGE sql AS $$ SELECT last_value FROM graphql.seq_schema_version; $$;',
      name: 'no input and reads only a sequence the files create: it tells a counter, nothing the caller can steer (pg_graphql)',
    },
    { code: definer, path: 'test/sql/issue_511.sql', name: 'a test file: its functions are not deployed' },
    definer + '\nREVOKE EXECUTE ON FUNCTION app.f(int) FROM PUBLIC;',
    definer + '\nREVOKE ALL ON FUNCTION app.f FROM PUBLIC;',
    definer + '\nREVOKE ALL ON ROUTINE app.f(integer) FROM "public";',
    {
      code: "CREATE FUNCTION crypto_auth_verify(mac bytea) RETURNS boolean LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ SELECT true $$;\nREVOKE ALL ON FUNCTION @extschema@.crypto_auth_verify(bytea) FROM PUBLIC;",
      path: 'pgsodium--3.0.4--3.0.5.sql',
      name: "an extension script runs with search_path set to the extension's schema: the unqualified function is @extschema@'s",
    },
    {
      code: "CREATE FUNCTION s.f(bytea) RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$ SELECT 1 $$;\nDO $$\nDECLARE func text;\nBEGIN\n  FOREACH func IN ARRAY ARRAY['s.f(bytea)'] LOOP\n    EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', func);\n  END LOOP;\nEND $$;",
      name: 'revoked by a DO loop over a constant array of signatures (pgsodium)',
    },
    { code: definer, files: { 'zz_grants.sql': 'SET search_path = app;\nREVOKE EXECUTE ON FUNCTION f(int) FROM PUBLIC;' }, name: 'revoked in a later file, unqualified through its search_path' },
    {
      code: 'CREATE SCHEMA pgbouncer AUTHORIZATION pgbouncer;\nCREATE FUNCTION pgbouncer.get_auth(p_usename text) RETURNS TABLE(username text, password text) LANGUAGE sql SECURITY DEFINER AS $$ SELECT usename::text, passwd::text FROM pg_catalog.pg_shadow WHERE usename = p_usename $$;',
      name: 'a new schema gives PUBLIC no USAGE, so PUBLIC cannot reach the function',
    },
    {
      code: 'CREATE SCHEMA app;\nREVOKE ALL ON SCHEMA app FROM PUBLIC;\n' + definer,
      name: 'schema USAGE revoked from PUBLIC',
    },
    {
      code: definer + '\nALTER FUNCTION app.f(int) SECURITY INVOKER;',
      name: 'a later ALTER makes it SECURITY INVOKER (the final state counts)',
    },
    {
      code: definer,
      files: { 'zz_later.sql': 'CREATE OR REPLACE FUNCTION app.f(a int) RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;' },
      name: 'a later CREATE OR REPLACE without SECURITY DEFINER',
    },
    {
      code: definer,
      files: { 'zz_later.sql': 'CREATE OR REPLACE FUNCTION app.f(a int) RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 2 $$;' },
      name: 'the earlier CREATE of a function a later one replaces, still as definer',
    },
    {
      code: definer + '\nREVOKE ALL ON ALL FUNCTIONS IN SCHEMA app FROM PUBLIC;',
      name: 'a bulk revoke after it',
    },
    { code: definer + '\nREVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA app FROM PUBLIC;', name: 'ALL FUNCTIONS IN SCHEMA after the function' },
    { code: 'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\n' + definer, name: 'global default privileges before the function' },
    { code: definer, files: { 'a_defaults.sql': 'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;' }, name: 'global default privileges in a file that sorts first' },
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
      code: 'CREATE TABLE app.users (email text);\nCREATE FUNCTION app.all_users() RETURNS SETOF app.users LANGUAGE sql SECURITY DEFINER AS $$ SELECT * FROM app.users $$;',
      name: 'no input but reads a table: every role reads it with the owner\'s rights',
      errors: [{ line: 2, column: 17, endColumn: 30 }],
      output: 'CREATE TABLE app.users (email text);\nCREATE FUNCTION app.all_users() RETURNS SETOF app.users LANGUAGE sql SECURITY DEFINER AS $$ SELECT * FROM app.users $$;\nREVOKE EXECUTE ON FUNCTION app.all_users() FROM PUBLIC;',
    },
    {
      code: "CREATE FUNCTION public.is_member(g uuid) RETURNS boolean LANGUAGE sql SECURITY DEFINER AS $$ SELECT true $$;\nCREATE POLICY member_read ON docs FOR SELECT TO authenticated USING (public.is_member(group_id));",
      name: 'called only by a policy for a named role: revoke from PUBLIC, grant to that role',
      errors: [{ line: 1, column: 17, endColumn: 33 }],
      output:
        "CREATE FUNCTION public.is_member(g uuid) RETURNS boolean LANGUAGE sql SECURITY DEFINER AS $$ SELECT true $$;\nREVOKE EXECUTE ON FUNCTION public.is_member(uuid) FROM PUBLIC;\nCREATE POLICY member_read ON docs FOR SELECT TO authenticated USING (public.is_member(group_id));",
    },
    {
      code: 'CREATE SCHEMA app;\nGRANT USAGE ON SCHEMA app TO PUBLIC;\n' + definer,
      name: 'USAGE granted back to PUBLIC',
      errors: [{ line: 3, column: 17 }],
      output: 'CREATE SCHEMA app;\nGRANT USAGE ON SCHEMA app TO PUBLIC;\n' + definer + '\nREVOKE EXECUTE ON FUNCTION app.f(int4) FROM PUBLIC;',
    },
    {
      code: 'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;',
      name: 'schema public: PUBLIC has USAGE by default',
      errors: [{ line: 1, column: 17, endColumn: 18 }],
      output: 'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;\nREVOKE EXECUTE ON FUNCTION f(int4) FROM PUBLIC;',
    },
    {
      code: 'CREATE OR REPLACE FUNCTION app.f(a int) RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 2 $$;',
      files: { 'a_first.sql': definer },
      name: 'a later CREATE OR REPLACE that is also SECURITY DEFINER is where the finding goes',
      errors: [{ line: 1, column: 28 }],
      output: 'CREATE OR REPLACE FUNCTION app.f(a int) RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 2 $$;\nREVOKE EXECUTE ON FUNCTION app.f(int4) FROM PUBLIC;',
    },
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
