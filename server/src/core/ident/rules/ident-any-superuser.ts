// ident-any-superuser: a mapping whose system-user regex matches any name and whose
// PostgreSQL user is a superuser, `all` (16+) or a regex matching a superuser: whoever
// passes the method (any local account for peer, any holder of a certificate from the CA
// for cert, any principal of the realm for gss) may log in as a superuser.

import { Finding } from '../../rules';
import { finding, IdentRule, factOf, matchesAnySystemUser, ownMappings, pgTarget, superusersOf, tokenRange } from '../rule';

export const identAnySuperuser: IdentRule = {
  meta: {
    id: 'ident-any-superuser',
    language: 'ident',
    defaultSeverity: 'error',
    description: 'A pg_ident.conf mapping that lets any system user log in as a superuser: a regex matching every name mapped to a superuser, all, or a regex matching one.',
    fixable: false,
  },
  check(ctx) {
    const out: Finding[] = [];
    const version = ctx.config.postgresVersion;
    for (const m of ownMappings(ctx)) {
      const f = factOf(m);
      if (!matchesAnySystemUser(f.system.value)) continue;
      const target = pgTarget(f, version);
      // `\1` alone maps each system user to the role of the same name: what the method does without a map.
      if (target.kind === 'captured' && target.template === '\\1') continue;
      const supers = superusersOf(f, version, ctx.superusers);
      if (supers.length === 0) continue;
      const names = supers.map((s) => `"${s}"`).join(', ');
      const how = target.kind === 'all' ? `as any role, the superuser${supers.length > 1 ? 's' : ''} ${names} included` : `as the superuser${supers.length > 1 ? 's' : ''} ${names}`;
      out.push(
        finding(
          'ident-any-superuser',
          tokenRange(m, m.systemToken),
          `Map "${f.map}": ${f.system.value} matches any system user, so everyone who passes the method of a record with map=${f.map} may log in ${how}. Name the system users, anchored (/^alice$ or alice).`,
        ),
      );
    }
    return out;
  },
};
