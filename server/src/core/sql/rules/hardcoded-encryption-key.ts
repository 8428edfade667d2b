// hardcoded-encryption-key: a pgcrypto call whose key is a string written into the SQL.
// The key then sits in the file, its history and the server's statement log, next to the
// data it protects. Checked: every function call in a statement's parse tree, which covers
// SQL-standard function bodies (BEGIN ATOMIC ... END, RETURN ...); bodies written as
// strings ($$ ... $$) are not parsed here.

import { Finding } from '../../rules';
import { walk } from '../ast';
import { SqlStmt } from '../document';
import { tokenEndAt } from '../locate';
import { SqlRule } from '../rule';

/** pgcrypto functions with the argument counts they take; the key is always the second argument. */
const KEYED_FUNCTIONS: ReadonlyMap<string, readonly number[]> = new Map([
  ['pgp_sym_encrypt', [2, 3]],
  ['pgp_sym_encrypt_bytea', [2, 3]],
  ['pgp_sym_decrypt', [2, 3]],
  ['pgp_sym_decrypt_bytea', [2, 3]],
  ['encrypt', [3]],
  ['decrypt', [3]],
  ['encrypt_iv', [4]],
  ['decrypt_iv', [4]],
  ['hmac', [3]],
]);

const NAMES = /pgp_sym_|encrypt|decrypt|hmac/i;

/** Functions that only re-encode a constant: a key given through them is still written in the file. */
const ENCODERS = new Set(['decode', 'convert_to', 'convert', 'digest']);

/** The string constant a key argument boils down to, if any: `'k'`, `'k'::bytea`, `bytea 'k'`, `decode('..', 'hex')`. */
function constantKey(node: any): { location?: number } | undefined {
  let cur = node;
  for (let depth = 0; depth < 16 && cur; depth++) {
    if (cur.TypeCast) {
      cur = cur.TypeCast.arg;
      continue;
    }
    if (cur.FuncCall) {
      const names: any[] = cur.FuncCall.funcname ?? [];
      const fn = names[names.length - 1]?.String?.sval;
      if (!ENCODERS.has(fn)) return undefined;
      cur = cur.FuncCall.args?.[0];
      continue;
    }
    const c = cur.A_Const;
    if (c && (c.sval || c.bsval)) return { location: c.location };
    return undefined;
  }
  return undefined;
}

function findings(stmt: SqlStmt): Finding[] {
  const out: Finding[] = [];
  walk(stmt.node, (type, value) => {
    if (type !== 'FuncCall') return;
    const names: any[] = value.funcname ?? [];
    const fn = names[names.length - 1]?.String?.sval;
    const arities = typeof fn === 'string' ? KEYED_FUNCTIONS.get(fn) : undefined;
    const args: any[] = value.args ?? [];
    if (!arities || !arities.includes(args.length)) return;
    const key = constantKey(args[1]);
    if (!key) return;
    const start = stmt.offset(key.location);
    // `:'key'` is a psql variable: the key comes from outside the file.
    if (stmt.variableAt(start)) return;
    out.push({
      ruleId: 'hardcoded-encryption-key',
      start,
      end: tokenEndAt(stmt, start),
      message:
        `The key given to ${fn} is written in the SQL: it sits in this file, its history and the statement log next to the data it protects. ` +
        'Pass it as a parameter or a psql variable, or keep it outside the database.',
    });
  });
  return out;
}

export const hardcodedEncryptionKey: SqlRule = {
  meta: {
    id: 'hardcoded-encryption-key',
    language: 'sql',
    defaultSeverity: 'error',
    description:
      'A pgcrypto function (pgp_sym_encrypt/decrypt, encrypt, decrypt, encrypt_iv, decrypt_iv, hmac) given a string literal as its key.',
    fixable: false,
  },
  types: '*',
  check(stmt) {
    // A cheap test first, so the AST walk runs only for statements that can name a pgcrypto function.
    if (!NAMES.test(stmt.unit.parseText)) return [];
    return findings(stmt);
  },
};
