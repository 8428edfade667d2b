// `pgwarden access --db CONN (--role NAME | --table SCHEMA.NAME) [--format json|text|markdown|csv]`:
// a role's privileges on tables and views, or every role holding each privilege on one
// table, with the path granting each (a grant to it, PUBLIC, a membership path, ownership,
// superuser, or only after SET ROLE) and what row-level security leaves of the rows. The
// privileges are the ones has_table_privilege grants (the tests hold them to it); the row
// verdicts come from core/live/row-access.ts, which the db tests hold to what a real
// server returns under SET ROLE.

import { parseArgs } from './args';
import { openSession, parseQualifiedName, withSession } from './conn-args';
import { CliError, CliIo } from './io';
import { loadAccessSnapshot } from '../db';
import { ACCESS_FORMATS, AccessFormat, holdingText, renderAccess, tableTitle, verdictText } from '../core/live/access-report';
import { AccessEntry, Holding, RowAccess, RowVerdict } from '../core/live/row-access';

const USAGE = 'usage: pgwarden access --db CONN (--role NAME | --table SCHEMA.NAME) [--format json|text|markdown|csv]';

/** One privilege as JSON: `via` is the membership path has_table_privilege follows (as before), `path` and `rowSecurity` the report's words. */
export interface AccessJson {
  privilege: string;
  via: string[];
  path: string;
  /** Absent for privileges row-level security does not govern. */
  rls?: RowVerdict;
  rowSecurity: string;
}

/** A privilege reached only by SET ROLE: `setRole` is the chain of roles set, `as` the last. */
export interface SetRoleJson {
  privilege: string;
  setRole: string[];
  as: string;
  path: string;
  rls?: RowVerdict;
  rowSecurity: string;
}

export interface RoleAccessOutput {
  role: string;
  /** What the role holds itself; a superuser holds every privilege on every table, with via []. */
  privileges: Array<{ schema: string; table: string } & AccessJson>;
  afterSetRole: Array<{ schema: string; table: string } & SetRoleJson>;
}

export interface TableAccessOutput {
  table: string;
  holders: Array<{ role: string; superuser: boolean } & AccessJson>;
  afterSetRole: Array<{ role: string } & SetRoleJson>;
}

/** The membership path of an inherited holding, as has_table_privilege's walk finds it. */
function viaOf(h: Exclude<Holding, { kind: 'setRole' }>): string[] {
  return h.kind === 'member' || h.kind === 'owner' ? h.via : h.kind === 'public' ? ['PUBLIC'] : [];
}

function json(e: AccessEntry): AccessJson | SetRoleJson {
  const words = { path: holdingText(e.holding), ...(e.rls ? { rls: e.rls } : {}), rowSecurity: verdictText(e.rls, e.privilege) };
  if (e.holding.kind === 'setRole') return { privilege: e.privilege, setRole: e.holding.via, as: e.holding.as, ...words };
  return { privilege: e.privilege, via: viaOf(e.holding), ...words };
}

const isSet = (e: AccessEntry) => e.holding.kind === 'setRole';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { values: ['db', 'format', 'role', 'table'], flags: [] }, USAGE);
  // A person at a terminal reads text; a pipe gets JSON, as before.
  const format = args.values.format ?? (io.tty ? 'text' : 'json');
  if (format !== 'json' && !ACCESS_FORMATS.includes(format as AccessFormat)) throw new CliError(`unknown --format "${format}" (json, text, markdown or csv)`);
  if (args.positional.length) throw new CliError(`unexpected argument "${args.positional[0]}"\n${USAGE}`);
  const role = args.values.role;
  const tableArg = args.values.table;
  if ((role === undefined) === (tableArg === undefined)) throw new CliError(`give exactly one of --role and --table\n${USAGE}`);
  const table = tableArg !== undefined ? parseQualifiedName(tableArg) : undefined;
  if (tableArg !== undefined && !table) throw new CliError(`--table takes SCHEMA.NAME (quote names with double quotes), not "${tableArg}"`);

  const session = await openSession(args.values.db, io, USAGE);
  const snap = await withSession(session, (s) => loadAccessSnapshot(s));
  const access = new RowAccess(snap);
  if (role !== undefined) {
    if (!access.hasRole(role)) throw new CliError(`role "${role}" does not exist`);
    const entries = access.forRole(role);
    if (format !== 'json') {
      io.stdout(renderAccess(roleTitle(role, snap.roles.find((r) => r.name === role)), entries, 'role', format as AccessFormat));
      return 0;
    }
    const out: RoleAccessOutput = {
      role,
      privileges: entries.filter((e) => !isSet(e)).map((e) => ({ schema: e.schema, table: e.table, ...(json(e) as AccessJson) })),
      afterSetRole: entries.filter(isSet).map((e) => ({ schema: e.schema, table: e.table, ...(json(e) as SetRoleJson) })),
    };
    io.stdout(JSON.stringify(out, null, 2) + '\n');
  } else if (table) {
    const t = access.table(table.schema, table.name);
    if (!t) throw new CliError(`table "${table.schema}"."${table.name}" does not exist (or is not a table or view)`);
    const entries = access.forTable(t.schema, t.name);
    if (format !== 'json') {
      io.stdout(renderAccess(tableTitle(t), entries, 'table', format as AccessFormat));
      return 0;
    }
    const out: TableAccessOutput = {
      table: `${t.schema}.${t.name}`,
      holders: entries.filter((e) => !isSet(e)).map((e) => ({ role: e.role, superuser: e.holding.kind === 'superuser', ...(json(e) as AccessJson) })),
      afterSetRole: entries.filter(isSet).map((e) => ({ role: e.role, ...(json(e) as SetRoleJson) })),
    };
    io.stdout(JSON.stringify(out, null, 2) + '\n');
  }
  return 0;
}

function roleTitle(role: string, r: { superuser: boolean; bypassrls: boolean } | undefined): string {
  const attrs = [r?.superuser ? 'superuser: every privilege, every row' : '', r?.bypassrls && !r.superuser ? 'BYPASSRLS: every row it may read' : ''].filter(Boolean);
  return `Tables ${role} can access${attrs.length ? ` (${attrs.join('; ')})` : ''}`;
}
