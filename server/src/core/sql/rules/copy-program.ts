// copy-program: COPY ... TO PROGRAM and COPY ... FROM PROGRAM. The command runs in a
// shell on the database server as the operating-system user that runs PostgreSQL, so
// whoever controls the statement controls the server.

import { SqlRule } from '../rule';
import { keywordAndValue } from '../locate';

export const copyProgram: SqlRule = {
  meta: {
    id: 'copy-program',
    language: 'sql',
    defaultSeverity: 'error',
    description: 'COPY ... TO/FROM PROGRAM runs a shell command on the database server.',
    fixable: false,
  },
  types: ['CopyStmt'],
  check(stmt) {
    const n = stmt.node;
    if (!n.is_program) return [];
    const kw = stmt.find(/\bPROGRAM\b/i);
    if (!kw) return [];
    const range = keywordAndValue(stmt, kw.start);
    const direction = n.is_from ? 'FROM' : 'TO';
    return [
      {
        ruleId: 'copy-program',
        ...range,
        message:
          `COPY ${direction} PROGRAM runs a shell command on the database server as the operating-system user that runs PostgreSQL; ` +
          'it needs superuser or pg_execute_server_program, and anyone who can change the command owns the server. ' +
          `Use COPY ${n.is_from ? 'FROM STDIN' : 'TO STDOUT'} (or psql's \\copy ... PROGRAM) so the program runs on the client instead.`,
      },
    ];
  },
};
