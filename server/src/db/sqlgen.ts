// SQL text the user may copy to remove a privilege. pgwarden never runs it: the client
// opens it in an untitled editor. Identifiers are quoted with pg's escapeIdentifier, so a
// role or table name can never break out of its place in the statement.

import { escapeIdentifier } from 'pg';
import { EffectivePrivilege, ObjectPrivilege } from './types';

const ident = (name: string) => (name === 'PUBLIC' ? 'PUBLIC' : escapeIdentifier(name));
/**
 * A comment line: a name may hold a line break, which would end a `--` comment and turn
 * the rest of the name into a statement, so control and line-separator characters become `?`.
 */
const comment = (text: string) => `-- ${text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, '?')}`;
const qualified = (schema: string, name: string) => `${escapeIdentifier(schema)}.${escapeIdentifier(name)}`;

/**
 * The statements that would take an effective table privilege away from `role`, one
 * alternative per line of attack: revoke the grant from the grantee that holds it (which
 * also affects that grantee's other members), or end the first membership on the path.
 * A superuser's privileges cannot be revoked; the answer says so.
 */
export function revokeEffective(role: string, p: EffectivePrivilege, superuser = false): string[] {
  const table = qualified(p.schema, p.table);
  if (superuser) return [`${comment(`${ident(role)} is a superuser and holds every privilege; remove it with:`)}\nALTER ROLE ${ident(role)} NOSUPERUSER;`];
  if (p.via.length === 0) return [`REVOKE ${p.privilege} ON ${table} FROM ${ident(role)};`];
  const holder = p.via[p.via.length - 1];
  const out: string[] = [];
  if (holder.startsWith('pg_') && holder !== 'PUBLIC') {
    out.push(comment(`${ident(holder)} holds ${p.privilege} on every table.`));
  } else {
    out.push(`${comment(`Takes ${p.privilege} from ${holder === 'PUBLIC' ? 'every role' : `${ident(holder)} and all its members`}:`)}\nREVOKE ${p.privilege} ON ${table} FROM ${ident(holder)};`);
  }
  if (p.via[0] !== 'PUBLIC') {
    out.push(`${comment(`Ends ${ident(role)}'s membership in ${ident(p.via[0])} (and everything it inherits from there):`)}\nREVOKE ${ident(p.via[0])} FROM ${ident(role)};`);
  }
  return out;
}

const OBJECT_KEYWORD: Partial<Record<ObjectPrivilege['objectType'], string>> = {
  database: 'DATABASE',
  schema: 'SCHEMA',
  table: 'TABLE',
  sequence: 'SEQUENCE',
  function: 'FUNCTION',
  language: 'LANGUAGE',
};

/**
 * The REVOKE for a privilege listed under a role (from roleDetails). `object` is already
 * quoted by the catalog query (quote_ident), so it is used as is. Column privileges and
 * default privileges get their own forms; undefined when there is no single statement.
 */
export function revokeObjectPrivilege(role: string, p: ObjectPrivilege): string | undefined {
  const grantee = p.viaPublic ? 'PUBLIC' : ident(role);
  if (p.objectType === 'column') {
    const dot = lastDotOutsideQuotes(p.object);
    if (dot < 0) return undefined;
    return `REVOKE ${p.privilege} (${p.object.slice(dot + 1)}) ON TABLE ${p.object.slice(0, dot)} FROM ${grantee};`;
  }
  const kw = OBJECT_KEYWORD[p.objectType];
  if (!kw) return undefined;
  return `REVOKE ${p.privilege} ON ${kw} ${p.object} FROM ${grantee};`;
}

/** The position of the last `.` that separates quoted or plain identifiers, or -1. */
function lastDotOutsideQuotes(s: string): number {
  let inQuotes = false;
  let last = -1;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '"') inQuotes = !inQuotes;
    else if (s[i] === '.' && !inQuotes) last = i;
  }
  return last;
}
