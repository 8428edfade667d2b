// A role's attributes in words, shared by the role tree and `pgwarden roles`.

import type { RoleInfo } from './catalog';

/** The attributes the summary reads; a RoleInfo has them all. */
export type RoleAttributes = Pick<RoleInfo, 'superuser' | 'login' | 'createrole' | 'createdb' | 'bypassrls' | 'replication' | 'inherit' | 'connectionLimit' | 'validUntil'> &
  Partial<Pick<RoleInfo, 'passwordType'>>;

/** The attributes that differ from a plain role, as CREATE ROLE spells them. */
export function roleAttributeList(r: RoleAttributes): string[] {
  const out: string[] = [];
  if (r.superuser) out.push('SUPERUSER');
  if (r.login) out.push('LOGIN');
  if (r.createrole) out.push('CREATEROLE');
  if (r.createdb) out.push('CREATEDB');
  if (r.bypassrls) out.push('BYPASSRLS');
  if (r.replication) out.push('REPLICATION');
  if (!r.inherit) out.push('NOINHERIT');
  if (r.connectionLimit >= 0) out.push(`CONNECTION LIMIT ${r.connectionLimit}`);
  if (r.validUntil) out.push(`VALID UNTIL ${r.validUntil}`);
  return out;
}

/** Why each risky attribute matters, one sentence each; empty for a role with none. */
export function roleRisks(r: RoleAttributes): string[] {
  const risky: string[] = [];
  if (r.superuser) risky.push('SUPERUSER bypasses every permission check and row-level security');
  if (r.bypassrls) risky.push('BYPASSRLS ignores every row-level security policy');
  if (r.createrole) risky.push('CREATEROLE can create roles and grant itself most privileges');
  if (r.replication) risky.push('REPLICATION can stream every row of the cluster');
  if (r.passwordType === 'md5') risky.push('the password is an MD5 hash (use SCRAM-SHA-256)');
  if (r.passwordType === 'plain') risky.push('the password is stored in plain text');
  return risky;
}
