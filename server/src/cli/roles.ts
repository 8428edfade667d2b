// `pgwarden roles --db CONN [--format json|text]`: every role with its attributes and
// memberships, and every user table and view with RLS, policies and grants.

import { rlsLabel } from '../core/live/rls';
import { roleAttributeList } from '../core/live/roles';
import { loadMemberships, loadRoles, loadTables } from '../db';
import type { AclGrant, Membership, PolicyInfo, RoleInfo, TableInfo } from '../db';
import { parseArgs } from './args';
import { openSession, withSession } from './conn-args';
import { CliError, CliIo } from './io';

const USAGE = 'usage: pgwarden roles --db CONN [--format json|text]';

// The fields the command prints, in the order it prints them: each list is both the
// output's type (a Pick of the db layer's shape) and the copy made from the catalog's rows.
const ROLE_FIELDS = ['name', 'superuser', 'login', 'createrole', 'createdb', 'bypassrls', 'replication', 'inherit', 'connectionLimit', 'validUntil'] as const;
const MEMBERSHIP_FIELDS = ['role', 'admin', 'inherit', 'set'] as const;
const TABLE_FIELDS = ['schema', 'name', 'rls', 'forceRls'] as const;
const POLICY_FIELDS = ['name', 'command', 'permissive', 'roles', 'using', 'withCheck'] as const;
const GRANT_FIELDS = ['grantee', 'privilege', 'grantable'] as const;

export interface RolesOutput {
  roles: Array<Pick<RoleInfo, (typeof ROLE_FIELDS)[number]> & { memberOf: Array<Pick<Membership, (typeof MEMBERSHIP_FIELDS)[number]>> }>;
  tables: Array<
    Pick<TableInfo, (typeof TABLE_FIELDS)[number]> & {
      policies: Array<Pick<PolicyInfo, (typeof POLICY_FIELDS)[number]>>;
      grants: Array<Pick<AclGrant, (typeof GRANT_FIELDS)[number]>>;
    }
  >;
}

function pick<T, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = o[k];
  return out;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { values: ['db', 'format'], flags: [] }, USAGE);
  // A person at a terminal reads text; a pipe gets JSON, as before.
  const format = args.values.format ?? (io.tty ? 'text' : 'json');
  if (!['json', 'text'].includes(format)) throw new CliError(`unknown --format "${format}" (json or text)`);
  if (args.positional.length) throw new CliError(`unexpected argument "${args.positional[0]}"\n${USAGE}`);
  const session = await openSession(args.values.db, io, USAGE);
  const out = await withSession(session, async (s): Promise<RolesOutput> => {
    const [roles, memberships, tables] = [await loadRoles(s), await loadMemberships(s), await loadTables(s)];
    return {
      roles: roles.map((r) => ({
        ...pick(r, ROLE_FIELDS),
        memberOf: memberships.filter((m) => m.member === r.name).map((m) => pick(m, MEMBERSHIP_FIELDS)),
      })),
      tables: tables.map((t) => ({
        ...pick(t, TABLE_FIELDS),
        policies: t.policies.map((p) => pick(p, POLICY_FIELDS)),
        grants: t.grants.map((g) => pick(g, GRANT_FIELDS)),
      })),
    };
  });
  io.stdout(format === 'json' ? JSON.stringify(out, null, 2) + '\n' : formatRolesText(out));
  return 0;
}

export function formatRolesText(out: RolesOutput): string {
  const lines: string[] = [`Roles (${out.roles.length})`];
  for (const r of out.roles) {
    const attrs = roleAttributeList(r);
    lines.push(`  ${r.name}${attrs.length ? '  ' + attrs.join(' ') : ''}`);
    for (const m of r.memberOf) {
      const opts = [m.admin && 'ADMIN', m.inherit ? 'INHERIT' : 'NOINHERIT', m.set ? 'SET' : 'NOSET'].filter(Boolean);
      lines.push(`    member of ${m.role} (${opts.join(', ')})`);
    }
  }
  lines.push('', `Tables (${out.tables.length})`);
  for (const t of out.tables) {
    lines.push(`  ${t.schema}.${t.name}  ${rlsLabel(t.rls, t.forceRls)}`);
    for (const p of t.policies) {
      const parts = [`    policy ${p.name} ${p.command} ${p.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} to ${p.roles.join(', ')}`];
      if (p.using !== null) parts.push(`USING (${p.using})`);
      if (p.withCheck !== null) parts.push(`WITH CHECK (${p.withCheck})`);
      lines.push(parts.join(' '));
    }
    const byGrantee = new Map<string, string[]>();
    for (const g of t.grants) byGrantee.set(g.grantee, [...(byGrantee.get(g.grantee) ?? []), g.privilege + (g.grantable ? '*' : '')]);
    for (const [grantee, privs] of byGrantee) lines.push(`    ${grantee}: ${privs.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}
