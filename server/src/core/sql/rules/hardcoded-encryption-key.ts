// hardcoded-encryption-key: a pgcrypto call whose key is a string written into the SQL.
// The key then sits in the file, its history and the server's statement log, next to the
// data it protects. Checked: every function call in a statement's parse tree (which covers
// SQL-standard bodies, BEGIN ATOMIC ... END and RETURN ...), and calls in dollar-quoted
// bodies of sql and plpgsql functions and DO blocks, found by a scan of the body's code.

import { Finding } from '../../rules';
import { walk } from '../ast';
import { SqlStmt } from '../document';
import { maskCode } from '../mask';
import { skipBlanks, tokenAfter, tokenEndAt } from '../locate';
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
    out.push({ ruleId: 'hardcoded-encryption-key', start, end: tokenEndAt(stmt, start), message: message(fn) });
  });
  return out;
}

/** The message, the same for parsed calls and for calls found in a function body. */
function message(fn: string): string {
  return (
    `The key given to ${fn} is written in the SQL: it sits in this file, its history and the statement log next to the data it protects. ` +
    'Pass it as a parameter or a psql variable, or keep it outside the database.'
  );
}

const CALL = /\b(pgp_sym_encrypt_bytea|pgp_sym_encrypt|pgp_sym_decrypt_bytea|pgp_sym_decrypt|encrypt_iv|decrypt_iv|encrypt|decrypt|hmac)\s*\(/gi;

/** A whole argument that is one string literal, optionally cast (`'k'`, `E'k'`, `'k'::bytea`). */
const LITERAL_ARG = /^(?:[Ee]'(?:[^'\\]|\\[\s\S]|'')*'|'(?:[^']|'')*')(?:\s*::\s*[A-Za-z_][\w ]*)?$/;

/**
 * Keyed calls in a function body given as a dollar-quoted string. The body is not SQL the
 * statement's parser saw, so it is scanned: the masked body gives call sites and argument
 * boundaries (commas and parentheses outside literals and comments), the real text says
 * whether the key argument is a bare literal. Bodies in single quotes are skipped: their
 * doubled quotes would shift what the scan sees.
 */
function bodyFindings(stmt: SqlStmt): Finding[] {
  const n = stmt.node;
  const options: any[] = ((stmt.type === 'DoStmt' ? n.args : n.options) ?? []).map((o: any) => o?.DefElem).filter(Boolean);
  const lang = options.find((d) => d.defname === 'language')?.arg?.String?.sval ?? (stmt.type === 'DoStmt' ? 'plpgsql' : undefined);
  if (lang !== 'sql' && lang !== 'plpgsql') return [];
  const as = options.find((d) => d.defname === 'as');
  if (!as) return [];
  // CREATE FUNCTION's location is the AS keyword; DO's is the body itself.
  let at = skipBlanks(stmt, stmt.offset(as.location));
  if (/^as\b/i.test(stmt.masked.slice(at - stmt.unit.start, at - stmt.unit.start + 3))) at = tokenAfter(stmt, at + 2).start;
  const text = stmt.unit.parseText;
  const rel = at - stmt.unit.start;
  const tag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(rel, rel + 64));
  if (!tag) return [];
  const bodyStart = rel + tag[0].length;
  const close = text.indexOf(tag[0], bodyStart);
  const body = text.slice(bodyStart, close < 0 ? text.length : close);
  if (!NAMES.test(body)) return [];
  const masked = maskCode(body);
  const out: Finding[] = [];
  CALL.lastIndex = 0;
  for (let m = CALL.exec(masked); m; m = CALL.exec(masked)) {
    const fn = m[1].toLowerCase();
    const args: Array<[number, number]> = [];
    let depth = 0;
    let argStart = m.index + m[0].length;
    let i = argStart;
    for (; i < masked.length; i++) {
      const c = masked[i];
      if (c === '(') depth++;
      else if (c === ')' && depth > 0) depth--;
      else if (c === ')' || (c === ',' && depth === 0)) {
        args.push([argStart, i]);
        argStart = i + 1;
        if (c === ')') break;
      } else if (c === ';' && depth === 0) break;
    }
    if (masked[i] !== ')' || !KEYED_FUNCTIONS.get(fn)!.includes(args.length)) continue;
    const [ks, ke] = args[1];
    const raw = body.slice(ks, ke);
    const lead = raw.length - raw.trimStart().length;
    if (!LITERAL_ARG.test(raw.trim())) continue;
    const start = stmt.unit.start + bodyStart + ks + lead;
    out.push({ ruleId: 'hardcoded-encryption-key', start, end: tokenEndAt(stmt, start), message: message(fn) });
  }
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
    const found = findings(stmt);
    if (stmt.type === 'CreateFunctionStmt' || stmt.type === 'DoStmt') found.push(...bodyFindings(stmt));
    return found;
  },
};
