// grant-option: WITH GRANT OPTION on a privilege, and WITH ADMIN OPTION (or ADMIN TRUE,
// PostgreSQL 16+) on a role membership. Either lets the grantee pass the privilege or the
// membership on to any role, so who holds it stops being decided in one place.

import { fix, replace } from '../../fix';
import { Finding } from '../../rules';
import { SqlStmt } from '../document';
import { Range, shownName, shownRoles, skipBlanks, tokenEndAt } from '../locate';
import { SqlRule } from '../rule';
import { onlySuperusers } from './grant-all';

/** The whitespace (and blanked comments) just before a document offset. */
function blanksBefore(stmt: SqlStmt, at: number): number {
  const base = stmt.unit.start;
  let i = at - base;
  while (i > 0 && /\s/.test(stmt.masked[i - 1])) i--;
  return base + i;
}

/** `WITH GRANT OPTION` on GRANT and ALTER DEFAULT PRIVILEGES ... GRANT. */
function grantOptionFinding(stmt: SqlStmt, grant: any, defaults: boolean): Finding[] {
  const at = stmt.find(/\bWITH\s+GRANT\s+OPTION\b/i);
  if (!at) return [];
  const who = shownRoles(stmt, grant.grantees);
  const removeFrom = blanksBefore(stmt, at.start);
  return [
    {
      ruleId: 'grant-option',
      start: at.start,
      end: at.end,
      message: defaults
        ? `WITH GRANT OPTION in default privileges lets ${who} re-grant privileges on every object created later to any role. Remove it and grant to the other roles yourself.`
        : `WITH GRANT OPTION lets ${who} re-grant these privileges to any role, outside your control. Remove it and grant to the other roles yourself.`,
      fixes: [fix('Remove WITH GRANT OPTION', [replace(removeFrom, at.end, '')], { consequence: 'the grantee can no longer grant the privilege to others' })],
    },
  ];
}

/** `WITH ADMIN OPTION` / `WITH ADMIN TRUE` (possibly among INHERIT and SET options) on GRANT role. */
function adminOptionFindings(stmt: SqlStmt): Finding[] {
  const n = stmt.node;
  const opts: any[] = (n.opt ?? []).map((o: any) => o?.DefElem).filter(Boolean);
  const findings: Finding[] = [];
  const roles = (n.granted_roles ?? []).map((r: any) => shownName(stmt, String(r?.AccessPriv?.priv_name ?? '?'))).join(', ');
  const who = shownRoles(stmt, n.grantee_roles);
  opts.forEach((d, k) => {
    if (d.defname !== 'admin' || d.arg?.Boolean?.boolval !== true) return;
    // The option is `ADMIN OPTION` or `ADMIN TRUE`: the keyword at the location and one word after it.
    const start = stmt.offset(d.location);
    const end = tokenEndAt(stmt, skipBlanks(stmt, tokenEndAt(stmt, start)));
    const removal = removalRange(stmt, opts, k, start, end);
    findings.push({
      ruleId: 'grant-option',
      start,
      end,
      message: `ADMIN option lets ${who} grant and revoke membership in ${roles} for any role, outside your control. Remove it and manage the membership yourself.`,
      fixes: [fix('Remove the ADMIN option', [replace(removal.start, removal.end, '')], { consequence: 'the member can no longer grant the role to others' })],
    });
  });
  return findings;
}

/**
 * What to delete so the rest of the option list still parses: the whole ` WITH ADMIN ...`
 * when it is the only option, else the option with the comma that separates it.
 */
function removalRange(stmt: SqlStmt, opts: any[], k: number, start: number, end: number): Range {
  const base = stmt.unit.start;
  const masked = stmt.masked;
  if (opts.length === 1) {
    const withKw = blanksBefore(stmt, start);
    const w = masked.slice(withKw - base - 4, withKw - base);
    const withStart = /^with$/i.test(w) ? withKw - 4 : start;
    return { start: blanksBefore(stmt, withStart), end };
  }
  if (k === 0) {
    // `ADMIN TRUE, INHERIT FALSE` -> `INHERIT FALSE`: drop through the comma and the blanks after it.
    const comma = skipBlanks(stmt, end);
    if (masked[comma - base] === ',') return { start, end: skipBlanks(stmt, comma + 1) };
    return { start, end };
  }
  // `INHERIT FALSE, ADMIN TRUE` -> `INHERIT FALSE`: drop from the comma before the option.
  const before = blanksBefore(stmt, start);
  if (masked[before - base - 1] === ',') return { start: blanksBefore(stmt, before - 1), end };
  return { start, end };
}

/** `CREATE ROLE r ADMIN alice, bob`: the listed roles get membership in r with the admin option. */
function createRoleAdminFindings(stmt: SqlStmt): Finding[] {
  const findings: Finding[] = [];
  for (const o of stmt.node.options ?? []) {
    const d = o?.DefElem;
    const items: any[] = d?.arg?.List?.items ?? [];
    if (d?.defname !== 'adminmembers' || items.length === 0) continue;
    const start = stmt.offset(d.location);
    const last = items[items.length - 1]?.RoleSpec;
    const end = tokenEndAt(stmt, stmt.offset(last?.location));
    findings.push({
      ruleId: 'grant-option',
      start,
      end,
      message: `ADMIN ${shownRoles(stmt, items)} gives membership in the new role ${shownName(stmt, String(stmt.node.role))} with the admin option: they can grant and revoke it for any role, outside your control. Remove the clause and grant the membership yourself.`,
      fixes: [fix('Remove the ADMIN clause', [replace(blanksBefore(stmt, start), end, '')], { consequence: 'the named roles can no longer grant the role to others' })],
    });
  }
  return findings;
}

export const grantOption: SqlRule = {
  meta: {
    id: 'grant-option',
    language: 'sql',
    defaultSeverity: 'warning',
    description: 'WITH GRANT OPTION or WITH ADMIN OPTION lets the grantee hand the privilege or role membership on to any other role.',
    fixable: true,
  },
  types: ['GrantStmt', 'AlterDefaultPrivilegesStmt', 'GrantRoleStmt', 'CreateRoleStmt'],
  skipTests: true,
  check(stmt, ctx) {
    if (stmt.type === 'CreateRoleStmt') return createRoleAdminFindings(stmt);
    if (stmt.type === 'GrantRoleStmt') {
      // REVOKE ADMIN OPTION FOR ... takes the option away; only a GRANT adds it. A
      // superuser grantee can manage every membership anyway.
      return stmt.node.is_grant && !onlySuperusers(stmt.node.grantee_roles, ctx) ? adminOptionFindings(stmt) : [];
    }
    const defaults = stmt.type === 'AlterDefaultPrivilegesStmt';
    const grant = defaults ? stmt.node.action : stmt.node;
    // REVOKE GRANT OPTION FOR sets grant_option too, but with is_grant false.
    if (!grant?.is_grant || !grant.grant_option) return [];
    // `GRANT ... TO postgres WITH GRANT OPTION` (Supabase's setup scripts): a superuser may
    // grant every privilege anyway, so the option gives nothing.
    if (onlySuperusers(grant.grantees, ctx)) return [];
    return grantOptionFinding(stmt, grant, defaults);
  },
};
