// hba-superuser-remote: a superuser may log in from another machine in a way the
// hardening guides advise against: from an open, public or mixed network, or with a weak
// method. A superuser record limited to private networks with scram-sha-256, cert or gss is
// the guides' "admin network" practice (`host all postgres 10.0.0.0/8 scram-sha-256`),
// not a finding. `all` includes superusers; a record only counts when a superuser can
// actually reach it, so a record shadowed by an earlier one, or preceded by a record
// naming the superuser for the same connections (typically a reject), is left alone.

import { Finding } from '../../rules';
import { HbaRecord } from '../parse';
import { addressText, finding, HbaRule, isLocalAddress, isOpenAddress, isPrivateAddress, isTcp, isWideAddress, recordRange } from '../rule';
import { HbaToken } from '../tokenize';
import { superusersOf as mapSuperusers } from '../../ident/rule';

export const hbaSuperuserRemote: HbaRule = {
  meta: {
    id: 'hba-superuser-remote',
    language: 'hba',
    defaultSeverity: 'warning',
    description: 'A record that lets a superuser (postgres, configured, or known from SQL or a live database) log in from an open, public or hostname address, or remotely with a method weaker than scram-sha-256, cert or gss.',
    fixable: false,
  },
  check(ctx) {
    const out: Finding[] = [];
    const supers = ctx.superusers;
    if (supers.length === 0) return out;
    const regex = ctx.config.postgresVersion >= 16;
    const shadow = ctx.shadow();
    // Earlier records that name a superuser explicitly can take that superuser's connections first.
    const naming: HbaRecord[] = [];
    const all = ctx.parse.records.filter((r) => !r.error && r.type);
    for (const r of all) {
      const matched = superusersOf(r.users, supers, regex);
      const why = r.inDocument && isTcp(r) && r.method !== 'reject' && !isLocalAddress(r) ? risk(r) : undefined;
      if (why && !shadow.shadowedBy.has(r.index) && !shadow.duplicateOf.has(r.index)) {
        const viaMap = mapYields(ctx, r);
        const reachable = matched.filter((m) => !naming.some((i) => i.index < r.index && coversFor(ctx, i, r, m.name)) && (!viaMap || viaMap.has(m.name)));
        if (reachable.length) {
          const m = reachable[0];
          const names = reachable.map((x) => `"${x.name}"`).join(', ');
          out.push(
            finding(
              'hba-superuser-remote',
              recordRange(r, m.token),
              m.token.value === 'all' && !m.token.quoted
                ? `User all includes the superuser${reachable.length > 1 ? 's' : ''} ${names}, so ${reachable.length > 1 ? 'they' : 'it'} may log in ${why}. Put a reject record for superusers before this one, or list the roles this record is for.`
                : `The superuser ${names} may log in ${why}. ${ADVICE}`,
            ),
          );
        }
      }
      if (r.users.some((t) => !(t.value === 'all' && !t.quoted) && matchesSuper(t, supers, regex).length)) naming.push(r);
    }
    return out;
  },
};

const ADVICE = 'Allow superusers only locally, or from an admin network in the private ranges with scram-sha-256 or cert.';

/** Methods that neither send the password nor keep a replayable hash: the guides' choice for administrators. */
const STRONG = new Set(['scram-sha-256', 'cert', 'gss']);

/** Why a remote superuser login through this record is a risk, as a phrase after "may log in", or undefined. */
function risk(r: HbaRecord): string | undefined {
  const where = isOpenAddress(r)
    ? `from ${addressText(r)}, which is any address`
    : isPrivateAddress(r)
      ? undefined
      : r.address?.kind === 'ip'
        ? `from ${addressText(r)}, ${isWideAddress(r) ? 'a wide network beyond' : 'outside'} the private ranges`
        : `from ${addressText(r)}, which is not a private network`;
  const weak = STRONG.has(r.method ?? '') ? undefined : `with ${r.method}`;
  if (!where && !weak) return undefined;
  if (!where) return `from ${addressText(r)} ${weak}`;
  return weak ? `${where}, ${weak}` : where;
}

/**
 * The superusers a record's map= can yield, when the workspace knows the pg_ident.conf:
 * a login through the record must pass the map, so a superuser no line of the map yields
 * cannot log in through it. Undefined when the record has no map or the maps are unknown.
 */
function mapYields(ctx: Parameters<HbaRule['check']>[0], r: HbaRecord): Set<string> | undefined {
  const map = r.options.find((o) => o.name === 'map')?.value;
  if (map === undefined) return undefined;
  const facts = ctx.identMaps();
  if (!facts) return undefined;
  const out = new Set<string>();
  for (const f of facts) if (f.map === map) for (const s of mapSuperusers(f, ctx.config.postgresVersion, ctx.superusers)) out.add(s);
  return out;
}

function coversFor(ctx: Parameters<HbaRule['check']>[0], i: HbaRecord, j: HbaRecord, superuser: string): boolean {
  if (!superusersOf(i.users, [superuser], ctx.config.postgresVersion >= 16).length) return false;
  // Compare as if j were for this superuser alone.
  const narrowed: HbaRecord = { ...j, index: -1, users: [{ value: superuser, quoted: true, sawQuote: true, start: 0, end: 0 }] };
  const iNarrow: HbaRecord = { ...i, index: -2, users: [{ value: superuser, quoted: true, sawQuote: true, start: 0, end: 0 }] };
  return ctx.shadow().covers(iNarrow, narrowed);
}

function matchesSuper(t: HbaToken, supers: readonly string[], regex: boolean): string[] {
  if (!t.quoted && t.value === 'all') return [...supers];
  if (!t.quoted && t.value[0] === '+') return [];
  if (regex && t.value[0] === '/') {
    try {
      const re = new RegExp(t.value.slice(1));
      return supers.filter((s) => re.test(s));
    } catch {
      return [];
    }
  }
  return supers.includes(t.value) ? [t.value] : [];
}

function superusersOf(users: HbaToken[], supers: readonly string[], regex: boolean): Array<{ name: string; token: HbaToken }> {
  const out: Array<{ name: string; token: HbaToken }> = [];
  for (const t of users) for (const name of matchesSuper(t, supers, regex)) if (!out.some((o) => o.name === name)) out.push({ name, token: t });
  return out;
}
