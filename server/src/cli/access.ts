// `pgwarden access --db CONN (--role NAME | --table SCHEMA.NAME) [--format json|text]`:
// a role's effective privileges on tables and views with the membership path granting
// each, or every role holding each privilege on one table. The answers come from the
// privilege graph (server/src/db/privileges.ts), which the tests hold to
// has_table_privilege for every role, table and privilege.

import { parseArgs } from './args';
import { openSession, parseQualifiedName, withSession } from './conn-args';
import { CliError, CliIo } from './io';
import { EffectivePrivilege, loadPrivilegeGraph, TableHolder } from '../db';

const USAGE = 'usage: pgwarden access --db CONN (--role NAME | --table SCHEMA.NAME) [--format json|text]';

/** Exactly the shape: a superuser's list holds every privilege on every table, with via []. */
export interface RoleAccessOutput {
  role: string;
  privileges: EffectivePrivilege[];
}

export interface TableAccessOutput {
  table: string;
  holders: TableHolder[];
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { values: ['db', 'format', 'role', 'table'], flags: [] }, USAGE);
  // A person at a terminal reads text; a pipe gets JSON, as before.
  const format = args.values.format ?? (io.tty ? 'text' : 'json');
  if (!['json', 'text'].includes(format)) throw new CliError(`unknown --format "${format}" (json or text)`);
  if (args.positional.length) throw new CliError(`unexpected argument "${args.positional[0]}"\n${USAGE}`);
  const role = args.values.role;
  const tableArg = args.values.table;
  if ((role === undefined) === (tableArg === undefined)) throw new CliError(`give exactly one of --role and --table\n${USAGE}`);
  const table = tableArg !== undefined ? parseQualifiedName(tableArg) : undefined;
  if (tableArg !== undefined && !table) throw new CliError(`--table takes SCHEMA.NAME (quote names with double quotes), not "${tableArg}"`);

  const session = await openSession(args.values.db, io, USAGE);
  const graph = await withSession(session, (s) => loadPrivilegeGraph(s));
  if (role !== undefined) {
    if (!graph.hasRole(role)) throw new CliError(`role "${role}" does not exist`);
    const out: RoleAccessOutput = { role, privileges: graph.effectivePrivileges(role) };
    io.stdout(format === 'json' ? JSON.stringify(out, null, 2) + '\n' : formatRoleText(out, graph.isSuperuser(role)));
  } else if (table) {
    if (!graph.hasTable(table.schema, table.name)) throw new CliError(`table "${table.schema}"."${table.name}" does not exist (or is not a table or view)`);
    const out: TableAccessOutput = { table: `${table.schema}.${table.name}`, holders: graph.tableHolders(table.schema, table.name) };
    io.stdout(format === 'json' ? JSON.stringify(out, null, 2) + '\n' : formatTableText(out));
  }
  return 0;
}

const path = (via: string[]) => (via.length ? ` via ${via.join(' -> ')}` : '');

export function formatRoleText(out: RoleAccessOutput, superuser: boolean): string {
  const lines = [`${out.role}${superuser ? ' (superuser: holds every privilege)' : ''}: ${out.privileges.length} privilege(s)`];
  for (const p of out.privileges) lines.push(`  ${p.schema}.${p.table}  ${p.privilege}${path(p.via)}`);
  return lines.join('\n') + '\n';
}

export function formatTableText(out: TableAccessOutput): string {
  const lines = [`${out.table}`];
  let current = '';
  for (const h of out.holders) {
    if (h.privilege !== current) {
      current = h.privilege;
      lines.push(`  ${current}`);
    }
    lines.push(`    ${h.role}${h.superuser ? ' (superuser)' : path(h.via)}`);
  }
  return lines.join('\n') + '\n';
}
