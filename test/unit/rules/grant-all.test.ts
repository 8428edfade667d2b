import { ruleTester } from './harness';

ruleTester('grant-all', {
  valid: [
    'GRANT SELECT, INSERT ON t TO app_writer;',
    { code: 'REVOKE ALL ON t FROM PUBLIC;', name: 'REVOKE ALL takes privileges away' },
    { code: 'REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA s FROM alice;', name: 'REVOKE ALL PRIVILEGES' },
    { code: 'GRANT SELECT ON ALL TABLES IN SCHEMA s TO alice;', name: 'ALL TABLES names objects, not privileges' },
    { code: 'ALTER DEFAULT PRIVILEGES REVOKE ALL ON TABLES FROM PUBLIC;', name: 'default privileges revoked' },
    { code: 'GRANT ALL (a, b) ON t TO alice;', name: 'column grants are already narrowed to columns' },
    { code: 'GRANT all_access TO alice;', name: 'a role named all_access is role membership' },
    "SELECT 'GRANT ALL ON t TO alice';",
    '-- GRANT ALL ON t TO alice\nSELECT 1;',
    { code: 'grant all on function graphql.resolve to anon;', name: 'ALL on a function is EXECUTE, nothing wider' },
    { code: 'alter default privileges in schema public grant all on functions to anon;', name: 'default privileges on functions' },
    { code: 'GRANT ALL ON PROCEDURE p() TO app; GRANT ALL ON ROUTINE r TO app;', name: 'procedures and routines' },
    { code: 'GRANT ALL ON TYPE mood TO app; GRANT ALL ON DOMAIN email TO app;', name: 'types and domains: USAGE' },
    { code: 'GRANT ALL ON LANGUAGE plpgsql TO app; GRANT ALL ON FOREIGN DATA WRAPPER postgres_fdw TO app; GRANT ALL ON FOREIGN SERVER remote TO app;', name: 'languages, wrappers, servers: USAGE' },
    { code: 'GRANT ALL ON TABLESPACE fast TO app;', name: 'tablespaces: CREATE' },
    { code: 'ALTER TABLE public.actor OWNER TO postgres;\nGRANT ALL ON TABLE public.actor TO postgres;', name: "pg_dump's grant to the owning superuser" },
    { code: 'GRANT ALL ON TABLE t TO dba;', files: { 'roles.sql': 'CREATE ROLE dba SUPERUSER;' }, name: 'a superuser created in the workspace' },
  ],
  invalid: [
    {
      code: 'GRANT ALL ON TABLE public.actor TO postgres, reporting;',
      name: 'one grantee that is not a superuser is enough',
      errors: [{ line: 1, column: 7, endColumn: 10, message: 'gives "postgres", "reporting"' }],
      output: 'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.actor TO postgres, reporting;',
    },
    {
      code: 'GRANT ALL ON LARGE OBJECT 1234 TO app;',
      name: 'large objects have two privileges',
      errors: [{ line: 1, column: 7, endColumn: 10, message: '(SELECT, UPDATE)' }],
      output: 'GRANT SELECT ON LARGE OBJECT 1234 TO app;',
    },
    {
      code: 'GRANT ALL ON t TO alice;',
      errors: [{ line: 1, column: 7, endColumn: 10, message: 'GRANT ALL on table "t" gives "alice" every table privilege (SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER, MAINTAIN)' }],
      output: 'GRANT SELECT, INSERT, UPDATE, DELETE ON t TO alice;',
    },
    {
      code: 'GRANT ALL ON t TO alice;',
      name: 'MAINTAIN only from PostgreSQL 17',
      config: { postgresVersion: 16 },
      errors: [{ line: 1, column: 7, endColumn: 10, message: '(SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER)' }],
      output: 'GRANT SELECT, INSERT, UPDATE, DELETE ON t TO alice;',
    },
    {
      code: 'grant all privileges on sequence s.seq to app;',
      name: 'lower case keeps lower case',
      errors: [{ line: 1, column: 7, endColumn: 21, message: 'sequence "s.seq"' }],
      output: 'grant usage, select on sequence s.seq to app;',
    },
    {
      code: 'GRANT ALL ON SCHEMA app TO reader;',
      errors: [{ line: 1, column: 7, endColumn: 10, message: 'schema "app"' }],
      output: 'GRANT USAGE ON SCHEMA app TO reader;',
    },
    {
      code: 'GRANT ALL ON DATABASE appdb TO reader;',
      errors: [{ line: 1, column: 7, endColumn: 10, message: '(CREATE, CONNECT, TEMPORARY)' }],
      output: 'GRANT CONNECT ON DATABASE appdb TO reader;',
    },
    {
      code: 'GRANT ALL ON ALL TABLES IN SCHEMA app TO reader, writer;',
      errors: [{ line: 1, column: 7, endColumn: 10, message: 'all tables in schema "app" gives "reader", "writer"' }],
      output: 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA app TO reader, writer;',
    },
    {
      code: 'ALTER DEFAULT PRIVILEGES IN SCHEMA app\n  GRANT ALL PRIVILEGES ON SEQUENCES TO app;',
      name: 'default privileges, on the second line',
      errors: [{ line: 2, column: 9, endLine: 2, endColumn: 23, message: 'sequences created later' }],
      output: 'ALTER DEFAULT PRIVILEGES IN SCHEMA app\n  GRANT USAGE, SELECT ON SEQUENCES TO app;',
    },
    {
      code: "SELECT '日本語🙂'; GRANT /* 全部 */ ALL ON TABLE t TO \"Ärger\";",
      name: 'positions after CJK, emoji and a comment',
      errors: [{ line: 1, column: 32, endColumn: 35, message: 'gives "Ärger"' }],
      output: "SELECT '日本語🙂'; GRANT /* 全部 */ SELECT, INSERT, UPDATE, DELETE ON TABLE t TO \"Ärger\";",
    },
    {
      code: 'GRANT ALL ON TABLE t TO :role;',
      name: 'a psql variable grantee',
      errors: [{ line: 1, column: 7, endColumn: 10 }],
      output: 'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE t TO :role;',
    },
  ],
});
