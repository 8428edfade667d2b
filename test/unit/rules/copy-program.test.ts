import { ruleTester } from './harness';

ruleTester('copy-program', {
  valid: [
    'COPY t TO STDOUT;',
    { code: "COPY t FROM '/srv/data/t.csv' WITH (FORMAT csv);", name: 'a server file is not a program' },
    { code: "\\copy t to program 'gzip > t.gz'\nSELECT 1;", name: "psql's \\copy runs the program on the client" },
    { code: "COPY t (program) FROM STDIN;\n1\n\\.", name: 'a column named program' },
    "SELECT 'COPY t TO PROGRAM ''x''';",
    "-- COPY t FROM PROGRAM 'curl x'\nSELECT 1;",
  ],
  invalid: [
    {
      code: "COPY t TO PROGRAM 'gzip > /tmp/t.gz';",
      errors: [{ line: 1, column: 11, endColumn: 37, message: 'COPY TO PROGRAM runs a shell command on the database server' }],
    },
    {
      code: "copy audit from program $$curl -s https://example.com/x$$ with (format csv);",
      name: 'lower case, dollar-quoted command',
      errors: [{ line: 1, column: 17, endColumn: 58, message: 'COPY FROM STDIN' }],
    },
    {
      code: "SELECT '日本語🙂';\nCOPY (SELECT * FROM t) TO PROGRAM :'cmd';",
      name: 'a query, a psql variable command, after CJK and emoji',
      errors: [{ line: 2, column: 27, endColumn: 41, message: 'COPY TO STDOUT' }],
    },
  ],
});
