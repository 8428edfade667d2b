// db-extension-review (off by default): the extension checks of the CIS benchmark that are
// review items rather than weaknesses (pgdsat 1.8, 4.8, 6.9, 6.11). Each installed
// extension is listed for the "remove unused extensions" review, and the three extensions
// CIS recommends are named when absent: set_user (audited privilege escalation instead of
// shared superuser passwords), pgcrypto (encryption in the database) and anon (masking for
// copies of production data). Off by default: whether an extension is used, or one of these
// is needed, is the DBA's judgement, and on by default the list would be on every server.

import { LiveRule, liveMeta } from '../rule';

/** The extensions CIS recommends, with its item and why. */
const RECOMMENDED: ReadonlyArray<{ name: string; item: string; why: string }> = [
  { name: 'set_user', item: '4.8', why: 'it lets administrators escalate to superuser through an audited function instead of logging in as one' },
  { name: 'pgcrypto', item: '6.9', why: 'it gives the database encryption and hashing functions (crypt(), pgp_sym_encrypt()) so sensitive columns need not be stored in clear' },
  { name: 'anon', item: '6.11', why: 'PostgreSQL Anonymizer masks personal data for copies of production data and for roles that must not see it' },
];

export const dbExtensionReview: LiveRule = {
  meta: liveMeta(
    'db-extension-review',
    'info',
    "Lists installed extensions for the CIS review of unused ones, and names set_user, pgcrypto and anon when they are not installed (off by default).",
    { defaultOff: true },
  ),
  check(s, ctx) {
    const installed = new Set(s.extensions.map((e) => e.name));
    for (const e of s.extensions) {
      if (e.name === 'plpgsql') continue;
      ctx.report({
        objectKind: 'extension',
        object: e.name,
        message: `Extension "${e.name}" ${e.version} is installed in schema ${e.schema}: each extension adds functions every role may call. If nothing uses it, DROP EXTENSION (CIS 1.8).`,
      });
    }
    for (const r of RECOMMENDED) {
      if (installed.has(r.name)) continue;
      // anon can also be loaded per session without CREATE EXTENSION (CIS 6.11 checks both).
      if (r.name === 'anon' && s.settings?.rows.some((x) => /^(session|shared)_preload_libraries$/.test(x.name) && /(^|[,\s])"?anon"?($|[,\s])/.test(x.setting))) continue;
      ctx.report({
        objectKind: 'extension',
        object: r.name,
        message: `Extension "${r.name}" is not installed in this database: CIS ${r.item} recommends it because ${r.why}. Install it where that need exists.`,
      });
    }
  },
};
