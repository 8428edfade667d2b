import { ruleTester } from './harness';

ruleTester('syntax-error', {
  valid: [
    'SELECT 1;',
    { code: "\\set pw 'x'\nCREATE ROLE app PASSWORD :'pw';", name: 'psql meta-commands and variables are not SQL errors' },
    { code: 'COPY t FROM stdin;\n1\tfoo\n\\.\nSELECT 1;', name: 'inline COPY data' },
    { code: 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;', name: 'BEGIN ATOMIC body' },
    '',
  ],
  invalid: [
    { code: 'SELECT FROM FROM;', errors: [{ line: 1, column: 13, endColumn: 17, message: 'syntax error at or near "FROM"' }] },
    {
      code: 'SELECT 1;\nGRANT SELECT ON t TO;\nSELECT 2;',
      name: 'one broken statement among good ones',
      errors: [{ line: 2, column: 21, message: 'syntax error at end of input' }],
    },
    { code: "SELECT '日本🙂' FRM t;", name: 'cursor after CJK and emoji', errors: [{ line: 1, column: 19, endColumn: 20, message: 'syntax error at or near "t"' }] },
    { code: 'SELECT $$abc', errors: [{ line: 1, column: 8, message: 'unterminated dollar-quoted string' }] },
    { code: 'CREATE POLICY p ON t AS UGLY USING (true);', errors: [{ line: 1, column: 25, message: 'unrecognized row security option "ugly"' }] },
    {
      code: "UPDATE film_price_history\nFOR PORTION OF valid_at FROM '2024-07-01' TO '2024-08-01'\nSET rental_rate = 0.49;",
      name: 'PostgreSQL 19 syntax is info: not analysed, and not an error PostgreSQL 19 would raise',
      errors: [{ line: 2, column: 1, endColumn: 4, severity: 'info', message: 'Not analysed: FOR PORTION OF is PostgreSQL 19 syntax' }],
    },
    {
      code: 'CREATE PROPERTY GRAPH pagila_graph\n  VERTEX TABLES (actor KEY (actor_id));',
      name: 'a property graph (SQL/PGQ)',
      errors: [{ line: 1, column: 8, severity: 'info', message: 'a property graph (SQL/PGQ) is PostgreSQL 19 syntax' }],
    },
    {
      code: "SELECT 'FOR PORTION OF' FRM t; -- FOR PORTION OF",
      name: 'the words in a string or comment do not make newer syntax',
      errors: [{ line: 1, column: 29, severity: 'error', message: 'syntax error at or near "t"' }],
    },
  ],
});
