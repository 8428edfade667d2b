// `pgwarden roles --db CONN [--format json|text]`: every role with its attributes and
// memberships, and every user table and view with RLS, policies and grants.

import { loadMemberships, loadRoles, loadTables } from '../db/catalog';
import { parseArgs } from './args';
import { openSession, withSession } from './conn-args';
import { CliError, CliIo } from './io';

const USAGE = 'usage: pgwarden roles --db CONN [--format json|text]';

export interface RolesOutput {
  roles: Array<{
    name: string;
    superuser: boolean;
    login: boolean;
    createrole: boolean;
    createdb: boolean;
    bypassrls: boolean;
    replication: boolean;
    inherit: boolean;
    connectionLimit: number;
    validUntil: string | null;
    memberOf: Array<{ role: string; admin: boolean; inherit: boolean; set: boolean }>;
  }>;
  tables: Array<{
    schema: string;
    name: string;
    rls: boolean;
    forceRls: boolean;
    policies: Array<{ name: string; command: string; permissive: boolean; roles: string[]; using: string | null; withCheck: string | null }>;
    grants: Array<{ grantee: string; privilege: string; grantable: boolean }>;
  }>;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { values: ['db', 'format'], flags: [] }, USAGE);
  const format = args.values.format ?? 'json';
  if (!['json', 'text'].includes(format)) throw new CliError(`unknown --format "${format}" (json or text)`);
  if (args.positional.length) throw new CliError(`unexpected argument "${args.positional[0]}"\n${USAGE}`);
  const session = await openSession(args.values.db, io, USAGE);
  const out = await withSession(session, async (s) => {
    const [roles, memberships, tables] = [await loadRoles(s), await loadMemberships(s), await loadTables(s)];
    const result: RolesOutput = {
      roles: roles.map((r) => ({
        name: r.name,
        superuser: r.superuser,
        login: r.login,
        createrole: r.createrole,
        createdb: r.createdb,
        bypassrls: r.bypassrls,
        replication: r.replication,
        inherit: r.inherit,
        connectionLimit: r.connectionLimit,
        validUntil: r.validUntil,
        memberOf: memberships.filter((m) => m.member === r.name).map((m) => ({ role: m.role, admin: m.admin, inherit: m.inherit, set: m.set })),
      })),
      tables: tables.map((t) => ({
        schema: t.schema,
        name: t.name,
        rls: t.rls,
        forceRls: t.forceRls,
        policies: t.policies.map((p) => ({ name: p.name, command: p.command, permissive: p.permissive, roles: p.roles, using: p.using, withCheck: p.withCheck })),
        grants: t.grants.map((g) => ({ grantee: g.grantee, privilege: g.privilege, grantable: g.grantable })),
      })),
    };
    return result;
  });
  io.stdout(format === 'json' ? JSON.stringify(out, null, 2) + '\n' : formatRolesText(out));
  return 0;
}

export function formatRolesText(out: RolesOutput): string {
  const lines: string[] = [`Roles (${out.roles.length})`];
  for (const r of out.roles) {
    const attrs = [
      r.superuser && 'SUPERUSER',
      r.login && 'LOGIN',
      r.createrole && 'CREATEROLE',
      r.createdb && 'CREATEDB',
      r.bypassrls && 'BYPASSRLS',
      r.replication && 'REPLICATION',
      !r.inherit && 'NOINHERIT',
      r.connectionLimit >= 0 && `CONNECTION LIMIT ${r.connectionLimit}`,
      r.validUntil && `VALID UNTIL ${r.validUntil}`,
    ].filter(Boolean);
    lines.push(`  ${r.name}${attrs.length ? '  ' + attrs.join(' ') : ''}`);
    for (const m of r.memberOf) {
      const opts = [m.admin && 'ADMIN', m.inherit ? 'INHERIT' : 'NOINHERIT', m.set ? 'SET' : 'NOSET'].filter(Boolean);
      lines.push(`    member of ${m.role} (${opts.join(', ')})`);
    }
  }
  lines.push('', `Tables (${out.tables.length})`);
  for (const t of out.tables) {
    lines.push(`  ${t.schema}.${t.name}  RLS ${t.forceRls ? 'forced' : t.rls ? 'on' : 'off'}`);
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
