import { ruleTester } from './harness';

const rls = 'CREATE TABLE t (a int);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\n';

ruleTester('view-bypasses-rls', {
  valid: [
    rls + 'CREATE VIEW v WITH (security_invoker = true) AS SELECT * FROM t;',
    rls + 'CREATE VIEW v WITH (security_invoker) AS SELECT * FROM t;',
    rls + "CREATE VIEW v WITH (security_barrier, security_invoker = 'on') AS SELECT * FROM t;",
    rls + 'CREATE OR REPLACE VIEW v WITH (security_invoker = 1) AS SELECT * FROM t;',
    rls + 'CREATE VIEW v WITH (security_invoker = yes) AS SELECT * FROM t;',
    { code: 'CREATE VIEW v AS SELECT * FROM u;', files: { 'a.sql': rls }, name: 'the view reads no RLS table' },
    { code: 'CREATE VIEW v AS WITH t AS (SELECT 1 AS a) SELECT * FROM t;', files: { 'a.sql': rls }, name: 'a CTE named like an RLS table' },
    { code: 'CREATE VIEW v AS SELECT * FROM billing.t;', files: { 'a.sql': 'ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;' }, name: 'same name, other schema' },
    { code: 'CREATE VIEW v AS SELECT * FROM t;', files: { 'a.sql': rls + 'ALTER VIEW v SET (security_invoker = true);' }, name: 'switched on by ALTER VIEW elsewhere' },
    'CREATE VIEW v AS SELECT * FROM t;',
    { code: 'CREATE MATERIALIZED VIEW mv AS SELECT * FROM u;', files: { 'a.sql': rls } },
    {
      code: 'create view person as select * from account;',
      path: 'test/sql/views_integration.sql',
      files: { 'test/sql/row_level_security.sql': 'create table account(id int);\nalter table account enable row level security;' },
      name: 'pg_regress tests share table names but not their state',
    },
  ],
  invalid: [
    {
      code: rls + 'CREATE VIEW v AS SELECT * FROM t;',
      errors: [{ line: 3, column: 13, endColumn: 14, message: 'View v reads t, which has row-level security' }],
      output: rls + 'CREATE VIEW v WITH (security_invoker = true) AS SELECT * FROM t;',
    },
    {
      code: 'CREATE OR REPLACE VIEW app."Open Orders" (id, total) AS\n  SELECT o.id, o.total FROM app.orders o WHERE o.id IN (SELECT order_id FROM app.lines);',
      files: { 'rls.sql': 'ALTER TABLE app.lines ENABLE ROW LEVEL SECURITY;\nALTER TABLE orders ENABLE ROW LEVEL SECURITY;' },
      name: 'column list, quoted name, tables in a subquery, enabled in another file',
      errors: [{ line: 1, column: 24, endColumn: 41, message: 'reads app.orders, app.lines' }],
      output:
        'CREATE OR REPLACE VIEW app."Open Orders" (id, total) WITH (security_invoker = true) AS\n  SELECT o.id, o.total FROM app.orders o WHERE o.id IN (SELECT order_id FROM app.lines);',
    },
    {
      code: rls + 'CREATE VIEW v WITH (security_barrier) AS SELECT * FROM t;',
      name: 'an existing option list',
      errors: [{ line: 3, column: 13 }],
      output: rls + 'CREATE VIEW v WITH (security_invoker = true, security_barrier) AS SELECT * FROM t;',
    },
    {
      code: rls + "CREATE VIEW v WITH (security_invoker = 'off', check_option = local) AS SELECT * FROM t;",
      name: 'security_invoker set false',
      errors: [{ line: 3, column: 13 }],
      output: rls + 'CREATE VIEW v WITH (security_invoker = true, check_option = local) AS SELECT * FROM t;',
    },
    {
      code: rls + 'CREATE VIEW v WITH (security_invoker=false) AS SELECT * FROM t;',
      errors: [{ line: 3, column: 13 }],
      output: rls + 'CREATE VIEW v WITH (security_invoker = true) AS SELECT * FROM t;',
    },
    {
      code: rls + 'CREATE TEMP VIEW v AS SELECT * FROM t;',
      name: 'PostgreSQL 15, the first with security_invoker, gets the fix',
      config: { postgresVersion: 15 },
      errors: [{ line: 3, column: 18, endColumn: 19, message: 'Create it WITH (security_invoker = true)' }],
      output: rls + 'CREATE TEMP VIEW v WITH (security_invoker = true) AS SELECT * FROM t;',
    },
    {
      code: rls + 'CREATE VIEW v AS SELECT * FROM t;',
      name: 'PostgreSQL 14: no fix, a function instead',
      config: { postgresVersion: 14 },
      errors: [{ line: 3, column: 13, message: 'security_invoker needs PostgreSQL 15' }],
    },
    {
      code: rls + 'CREATE MATERIALIZED VIEW mv AS SELECT a FROM t JOIN u USING (a);',
      name: 'materialized views store the owner\'s rows; no fix',
      errors: [{ line: 3, column: 26, endColumn: 28, message: 'Materialized view mv stores the rows of t' }],
    },
  ],
});
